// Snow study files: what they set, and a clear error (file, key, value) for
// every bad input.

#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/snow/study_file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace caf::consensus;
using namespace caf::consensus::sim::snow;

namespace {

const std::string base = R"(study: s
runs: 10
seed: 7
network:
  nodes: 50
  colours: 3
  k: 10
  alpha_preference: 6
  alpha_confidence: 8
  beta: 5
  semantics: luxfi
  schedule: sync
  adversary_share: 0.1
  attack: equivocating
  max_polls_per_node: 40
  checkpoints: 12
)";

std::string error_of(const std::string& text) {
  auto st = parse_study(text, "f.yaml");
  return st ? std::string{"(no error)"} : context_text(st.error());
}

} // namespace

TEST(snow_study_file, network_keys_and_defaults) {
  auto st = parse_study(base, "f.yaml");
  ASSERT_TRUE(st) << context_text(st.error());
  EXPECT_EQ(st->name, "s");
  EXPECT_EQ(st->runs, 10u);
  EXPECT_EQ(st->seed, 7u);
  ASSERT_EQ(st->arms.size(), 1u);
  auto& x = st->arms[0].cfg;
  EXPECT_EQ(x.nodes, 50u);
  EXPECT_EQ(x.colours, 3u);
  EXPECT_EQ(x.q.k, 10);
  EXPECT_EQ(x.q.alpha_preference, 6);
  EXPECT_EQ(x.q.alpha_confidence, 8);
  EXPECT_EQ(x.q.beta, 5);
  EXPECT_EQ(x.sem, semantics::luxfi);
  EXPECT_EQ(x.sched, schedule::sync);
  EXPECT_EQ(x.adversaries, 5u); // 10% of 50, whatever the key order
  EXPECT_EQ(x.attack, adversary::equivocating);
  EXPECT_EQ(x.max_polls_per_node, 40);
  EXPECT_EQ(x.checkpoints, 12u);
  EXPECT_FALSE(st->baseline);
}

TEST(snow_study_file, sweep_arms_and_baseline) {
  auto st = parse_study(base + "sweep:\n  k: [8, 10]\nbaseline:\n  beta: 9\n",
                        "f.yaml");
  ASSERT_TRUE(st) << context_text(st.error());
  ASSERT_EQ(st->arms.size(), 2u);
  EXPECT_EQ(st->arms[0].name, "k=8");
  EXPECT_EQ(st->arms[0].cfg.q.k, 8);
  EXPECT_EQ(st->arms[1].cfg.q.k, 10);
  ASSERT_TRUE(st->baseline);
  EXPECT_EQ(st->baseline->cfg.q.beta, 9);
  EXPECT_EQ(st->baseline->cfg.q.k, 10);
  auto arms = parse_study(base
                            + "arms:\n  - {name: a, beta: 3}\n  - {name: "
                              "b, adversary_share: 0.2}\n",
                          "f.yaml");
  ASSERT_TRUE(arms) << context_text(arms.error());
  EXPECT_EQ(arms->arms[0].name, "a");
  EXPECT_EQ(arms->arms[0].cfg.q.beta, 3);
  EXPECT_EQ(arms->arms[1].cfg.adversaries, 10u);
}

TEST(snow_study_file, bad_inputs_name_file_key_and_value) {
  struct bad_case {
    std::string text;
    std::string message;
  };
  auto with = [](const std::string& from, const std::string& to) {
    auto t = base;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  bad_case cases[] = {
    {"[1, 2", "f.yaml: not valid YAML"},
    {"- 1\n", "f.yaml: key '': a study file is a map"},
    {with("study: s\n", ""), "f.yaml: key 'study': missing"},
    {with("runs: 10", "runs: 0"), "f.yaml: key 'runs': must be in [1, 10^8], "
                                  "got '0'"},
    {with("runs: 10", "runs: many"),
     "f.yaml: key 'runs': expected a number, got 'many'"},
    {with("seed: 7", "sed: 7"), "f.yaml: key 'sed': unknown key"},
    {with("  k: 10", "  k: 60"),
     "f.yaml: key 'network': k = 60: must be in [1, nodes]"},
    {with("  beta: 5", "  beta: five"),
     "f.yaml: key 'network.beta': expected a number, got 'five'"},
    {with("  nodes: 50", "  nodes: -3"),
     "f.yaml: key 'network.nodes': must be a non-negative integer, got '-3'"},
    {with("semantics: luxfi", "semantics: avalanche"),
     "f.yaml: key 'network.semantics': expected snowflake, snowball or luxfi, "
     "got 'avalanche'"},
    {with("schedule: sync", "schedule: later"),
     "f.yaml: key 'network.schedule': expected async or sync, got 'later'"},
    {with("attack: equivocating", "attack: loud"),
     "f.yaml: key 'network.attack': expected fixed, balancing or "
     "equivocating, got 'loud'"},
    {with("adversary_share: 0.1", "adversary_share: 1.5"),
     "f.yaml: key 'network.adversary_share': must be in [0, 1), got '1.5'"},
    {with("  colours: 3", "  colour: 3"),
     "f.yaml: key 'network.colour': unknown key"},
    {with("alpha_confidence: 8", "alpha_confidence: 4"),
     "f.yaml: key 'network': alpha_confidence = 4: must be in "
     "[alpha_preference, k]"},
    {base + "sweep:\n  k: []\n", "f.yaml: key 'sweep.k': expected a "
                                 "non-empty list"},
    {base + "sweep:\n  k: [8, 99]\n",
     "f.yaml: key 'k=99': k = 99: must be in [1, nodes]"},
    {base + "sweep:\n  k: [8]\n  beta: [2]\n",
     "f.yaml: key 'sweep': expected one key with a list of values"},
    {base + "arms:\n  - {beta: 3}\n",
     "f.yaml: key 'arms[0]': expected a map with a name"},
    {base + "arms:\n  - {name: a}\nsweep:\n  k: [8]\n",
     "f.yaml: key 'sweep': use either arms or sweep, not both"},
    {base + "baseline:\n  wrong: 3\n",
     "f.yaml: key 'baseline': wrong = 3: must be a colour in [0, colours - "
     "1]"},
  };
  for (auto& c : cases)
    EXPECT_EQ(error_of(c.text).substr(0, c.message.size()), c.message)
      << error_of(c.text);
}

TEST(snow_study_file, missing_file_is_named) {
  auto st = load_study("/nonexistent/study.yaml");
  ASSERT_FALSE(st);
  EXPECT_EQ(context_text(st.error()),
            "/nonexistent/study.yaml: cannot open file");
}

TEST(snow_study_file, shipped_studies_parse) {
  // scenarios/studies/ holds Snow study files (top-level key `study`) and
  // scenario files for `consensus-sim run` (top-level key `name`).
  namespace fs = std::filesystem;
  size_t n = 0;
  for (auto& e : fs::directory_iterator(std::string{CAF_CONSENSUS_SCENARIOS}
                                        + "/studies")) {
    if (e.path().extension() != ".yaml")
      continue;
    std::ifstream in{e.path()};
    std::string line;
    bool study = false;
    while (std::getline(in, line))
      if (line.rfind("study:", 0) == 0)
        study = true;
    if (!study) {
      auto sc = caf::consensus::sim::load_scenario(e.path().string());
      EXPECT_TRUE(sc) << e.path();
      continue;
    }
    auto st = load_study(e.path().string());
    EXPECT_TRUE(st) << e.path() << ": " << (st ? "" : context_text(st.error()));
    ++n;
  }
  EXPECT_GE(n, 8u);
}

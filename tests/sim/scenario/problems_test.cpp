// Tests: a scenario's error lists every problem of the file (in file order,
// up to a limit), one a line, and leaves out the consequences of a problem.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

namespace {

/// Returns the lines of the error of parsing `text` (without the
/// `malformed_input: ` of the first one); empty if it parsed.
std::vector<std::string> problems(const std::string& text) {
  auto msg = parse_error(text);
  std::vector<std::string> out;
  if (msg.empty())
    return out;
  const std::string prefix = "malformed_input: ";
  EXPECT_EQ(msg.compare(0, prefix.size(), prefix), 0) << msg;
  msg.erase(0, prefix.size());
  size_t pos = 0;
  for (;;) {
    auto end = msg.find('\n', pos);
    out.push_back(msg.substr(pos, end - pos));
    if (end == std::string::npos)
      break;
    pos = end + 1;
  }
  return out;
}

/// Returns whether `x` starts with `prefix`.
bool starts_with(const std::string& x, const std::string& prefix) {
  return x.compare(0, prefix.size(), prefix) == 0;
}

const std::string top_keys = "(accepted: name, description, prompt, policy, "
                             "params, labels, ground_truth, agents, "
                             "replicates, seed, seeds, sweep)";

} // namespace

TEST(scenario_problems, independent_mistakes_in_every_section) {
  auto text = "name: several\n"                       // 1
              "polcy: vote\n"                         // 2
              "params:\n"                             // 3
              "  k: many\n"                           // 4
              "  rounds: 3\n"                         // 5
              "labels: [correct, wrong]\n"            // 6
              "ground_truth: correct\n"               // 7
              "agents:\n"                             // 8
              "  - name: a\n"                         // 9
              "    speed: 3\n"                        // 10
              "  - name: b\n"                         // 11
              "    answers: {correct: 1, wrnog: 1}\n" // 12
              "sweep:\n"                              // 13
              "  beta_2: [0.5, x]\n"                  // 14
              "  temperature: [1, 2]\n";              // 15
  auto xs = problems(text);
  ASSERT_EQ(xs.size(), 6u);
  EXPECT_EQ(xs[0], "inline.yaml:2: key 'polcy': unknown key " + top_keys);
  EXPECT_EQ(xs[1], "inline.yaml:4: key 'params.k': expected an integer in "
                   "[0, 2147483647], got 'many'");
  EXPECT_EQ(xs[2],
            "inline.yaml:10: key 'agents[0].speed': unknown key "
            "(accepted: name, count, latency, answers, behaviour, "
            "wrong_label, noise, faults, tokens, kind, trace, participant)");
  EXPECT_EQ(xs[3], "inline.yaml:12: key 'agents[1].answers.wrnog': unknown "
                   "label 'wrnog' (accepted: correct, wrong)");
  EXPECT_EQ(xs[4], "inline.yaml:14: key 'sweep.beta_2[1]': expected a finite "
                   "number, got 'x'");
  EXPECT_TRUE(starts_with(xs[5], "inline.yaml:15: key 'sweep.temperature': "
                                 "unknown sweep key"))
    << xs[5];
}

TEST(scenario_problems, several_mistakes_in_one_group_and_list) {
  auto xs = problems("ground_truth: correct\n"
                     "agents:\n"
                     "  - name: solo\n"
                     "    count: 0\n"
                     "    noise: 2\n"
                     "    answers: {correct: x, wrong: -1}\n"
                     "seeds: [1, x, 2.5]\n");
  ASSERT_EQ(xs.size(), 6u);
  EXPECT_EQ(xs[0], "inline.yaml:4: key 'agents[0].count': expected an "
                   "integer in [1, 100000], got '0'");
  EXPECT_EQ(xs[1], "inline.yaml:5: key 'agents[0].noise': expected a number "
                   "in [0, 1], got '2'");
  EXPECT_EQ(xs[2], "inline.yaml:6: key 'agents[0].answers.correct': expected "
                   "a number >= 0, got 'x'");
  EXPECT_EQ(xs[3], "inline.yaml:6: key 'agents[0].answers.wrong': expected a "
                   "number >= 0, got '-1'");
  const std::string seed = "expected an integer of at most 10000 decimal "
                           "digits with an optional sign, got ";
  EXPECT_EQ(xs[4], "inline.yaml:7: key 'seeds[1]': " + seed + "'x'");
  EXPECT_EQ(xs[5], "inline.yaml:7: key 'seeds[2]': " + seed + "'2.5'");
}

TEST(scenario_problems, one_mistake_gives_one_line) {
  auto xs = problems(base + "params:\n  kk: 3\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_TRUE(starts_with(xs[0], "inline.yaml:5: key 'params.kk': unknown key"))
    << xs[0];
}

TEST(scenario_problems, first_ones_in_file_order_then_a_count) {
  // The sweep is parsed last but comes first in the file: its problem is
  // among the first ones shown.
  std::string text = "sweep:\n"                // 1
                     "  k: [x]\n"              // 2
                     "ground_truth: correct\n" // 3
                     "agents:\n"               // 4
                     "  - name: solo\n";       // 5
  for (int i = 0; i < 25; ++i)                 // lines 6 to 30
    text += "extra" + std::to_string(i) + ": 1\n";
  auto xs = problems(text);
  ASSERT_EQ(xs.size(), 21u);
  EXPECT_EQ(xs[0], "inline.yaml:2: key 'sweep.k[0]': expected an integer in "
                   "[0, 2147483647], got 'x'");
  EXPECT_EQ(xs[1], "inline.yaml:6: key 'extra0': unknown key " + top_keys);
  EXPECT_EQ(xs[19], "inline.yaml:24: key 'extra18': unknown key " + top_keys);
  EXPECT_EQ(xs[20], "inline.yaml: ... and 6 more problems");
}

TEST(scenario_problems, no_consequences_of_a_problem) {
  // An unknown policy: its parameters are not checked under the default.
  auto xs = problems(base + "policy: raft\nparams:\n  k: 0\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_TRUE(starts_with(xs[0], "inline.yaml:4: key 'policy': unknown policy "
                                 "'raft' ("))
    << xs[0];
  // A group that failed: no totals, no sweep of its fields.
  xs = problems("ground_truth: correct\n"
                "agents:\n"
                "  - name: a\n"
                "    count: many\n"
                "sweep:\n"
                "  agents.a.count: [1, 2]\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_EQ(xs[0], "inline.yaml:4: key 'agents[0].count': expected an "
                   "integer in [1, 100000], got 'many'");
  // A missing ground truth is reported once; the labels are not judged.
  xs = problems("labels: [a, b]\n"
                "agents:\n"
                "  - name: g\n"
                "    answers: {a: 1}\n"
                "    wrong_label: b\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_EQ(xs[0], "inline.yaml:1: key 'ground_truth': missing required key");
  // Missing agents: reported once.
  xs = problems("ground_truth: correct\nreplicates: 0\n");
  ASSERT_EQ(xs.size(), 2u);
  EXPECT_EQ(xs[0], "inline.yaml:1: key 'agents': missing required key");
  EXPECT_EQ(xs[1], "inline.yaml:2: key 'replicates': expected an integer in "
                   "[1, 1000000000], got '0'");
  // A bad seed range: no comparison with the replicates.
  xs = problems(base + "replicates: 5\nseeds: {from: 10, to: 1}\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_EQ(xs[0], "inline.yaml:5: key 'seeds.to': expected 'to' >= 'from' "
                   "(10), got 1");
}

TEST(scenario_problems, whole_file_problems_stay_alone) {
  auto xs = problems("polcy: [\nfoo: 1\n");
  ASSERT_EQ(xs.size(), 1u);
  EXPECT_NE(xs[0].find("YAML syntax error"), std::string::npos) << xs[0];
  xs = problems("- a\n- b\n");
  ASSERT_EQ(xs.size(), 1u);
}

// Tests: top-level and value-form errors, agent ids, policy rules, hostile
// input.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

TEST(scenario_checks, top_level_errors) {
  EXPECT_EQ(parse_error(""),
            "malformed_input: inline.yaml: empty scenario (expected a map "
            "with at least 'ground_truth' and 'agents')");
  EXPECT_EQ(parse_error("# only a comment\n"),
            "malformed_input: inline.yaml: empty scenario (expected a map "
            "with at least 'ground_truth' and 'agents')");
  EXPECT_EQ(parse_error("just text"),
            "malformed_input: inline.yaml:1: expected a map of scenario keys "
            "at the top level, got 'just text'");
  EXPECT_EQ(parse_error("agents:\n  - name: x\n"),
            "malformed_input: inline.yaml:1: key 'ground_truth': missing "
            "required key");
  EXPECT_EQ(parse_error("{a: 1"),
            "malformed_input: inline.yaml:1: YAML syntax error: end of map "
            "flow not found");
  EXPECT_EQ(parse_error(base + "name: \"\"\n"),
            "malformed_input: inline.yaml:4: key 'name': expected a "
            "non-empty string, got the string ''");
  EXPECT_EQ(parse_error(base + "prompt: [a]\n"),
            "malformed_input: inline.yaml:4: key 'prompt': expected a "
            "non-empty string, got a list");
}

TEST(scenario_checks, value_forms) {
  // Numbers: exponents, signs, integers for doubles; underflow reads as 0.
  auto s = must_parse(base
                      + "params: {alpha: 5e-1, beta_1: +1, beta_2: "
                        "1e-400, k: +4}\n");
  EXPECT_EQ(s.ps.alpha, 0.5);
  EXPECT_EQ(s.ps.beta_1, 1.0);
  EXPECT_EQ(s.ps.beta_2, 0.0);
  EXPECT_EQ(s.ps.k, 4);
  // Strings may be quoted; numbers and booleans may not.
  EXPECT_EQ(parse_error(base + "params: {luminance_weighted: \"true\"}\n"),
            "malformed_input: inline.yaml:4: key "
            "'params.luminance_weighted': expected true or false, got the "
            "string 'true'");
  EXPECT_EQ(parse_error(base + "params: {alpha: 0x10}\n"),
            "malformed_input: inline.yaml:4: key 'params.alpha': expected a "
            "finite number, got '0x10'");
  EXPECT_EQ(parse_error(base + "params: {alpha: }\n"),
            "malformed_input: inline.yaml:4: key 'params.alpha': expected a "
            "finite number, got null");
  // Long and control-character values are shortened in messages.
  auto msg
    = parse_error(base + "policy: \"" + std::string(200, 'x') + "\\u0001\"\n");
  EXPECT_EQ(msg, "malformed_input: inline.yaml:4: key 'policy': unknown "
                 "policy '"
                   + std::string(60, 'x')
                   + "...' (accepted: metastable, hanzo, snowball, vote, "
                     "sequential)");
  // Keys must be plain scalars.
  EXPECT_EQ(parse_error(base + "? [a, b]\n: 1\n"),
            "malformed_input: inline.yaml:4: key '': expected plain keys, "
            "got a list as a key");
}

TEST(scenario_checks, agent_ids_stay_unique) {
  // worker-4 does not collide with worker-1 .. worker-3.
  auto s = must_parse("ground_truth: c\n"
                      "agents:\n"
                      "  - {name: worker, count: 3}\n"
                      "  - {name: worker-4}\n"
                      "  - {name: worker-1, count: 2}\n");
  auto ids = participant_ids(s);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"worker-1", "worker-2", "worker-3",
                                      "worker-4", "worker-1-1", "worker-1-2"}));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  // A sweep that makes ids collide is caught for the value at fault.
  EXPECT_EQ(parse_error("ground_truth: c\n"
                        "agents:\n"
                        "  - {name: worker, count: 3}\n"
                        "  - {name: worker-4}\n"
                        "sweep:\n"
                        "  agents.worker.count: [3, 4]\n"),
            "malformed_input: inline.yaml:6: key "
            "'sweep.agents.worker.count[1]': value '4': agent id 'worker-4' "
            "of group 'worker' collides with this group's name");
}

TEST(scenario_checks, policy_rules_come_from_the_policy) {
  // hanzo accepts k = 0, metastable does not.
  EXPECT_EQ(parse_error(base + "policy: hanzo\nparams: {k: 0}\n"), "");
  EXPECT_EQ(parse_error(base + "policy: vote\nparams: {k: 0, rounds: 0}\n"),
            "");
  EXPECT_EQ(parse_error(base + "policy: vote\nparams: {k: 0, rounds: 1}\n"),
            "malformed_input: inline.yaml:5: key 'params.k': k must be >= 1 "
            "for policy vote with rounds > 0, got 0");
  // A rule about a key the file does not set points at the policy.
  EXPECT_EQ(parse_error(base + "policy: snowball\nparams: {beta: 0}\n"),
            "malformed_input: inline.yaml:5: key 'params.beta': beta "
            "(consecutive successful polls) must be >= 1, got 0");
  EXPECT_EQ(
    parse_error("policy: metastable\n" + base + "params: {timeout_ms: 0}\n"),
    "malformed_input: inline.yaml:5: key 'params.timeout_ms': "
    "expected an integer >= 1, got '0'");
  EXPECT_EQ(parse_error("policy: metastable\n" + base + "params: {alpha: 2}\n"),
            "malformed_input: inline.yaml:5: key 'params.alpha': alpha must "
            "be in [0, 1], got 2");
}

TEST(scenario_checks, hostile_input_never_crashes) {
  auto text = slurp(good("quickstart.yaml"))
              + "sweep:\n  k: [1, 2]\n  agents.fast.count: {from: 1, to: 3}\n";
  ASSERT_TRUE(parse_scenario(text, "fuzz.yaml"));
  const std::string alphabet = ":-[]{}#&*!|>'\"%@`,?\n \t0123456789.eE~";
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  size_t ok = 0;
  for (int i = 0; i < 3000; ++i) {
    auto x = text;
    auto edits = 1 + next() % 4;
    for (uint64_t j = 0; j < edits && !x.empty(); ++j) {
      auto pos = next() % x.size();
      auto c = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0:
          x[pos] = c;
          break;
        case 1:
          x.insert(x.begin() + static_cast<long>(pos), c);
          break;
        default:
          x.erase(pos, 1 + next() % 8);
          break;
      }
    }
    auto s = parse_scenario(x, "fuzz.yaml");
    if (!s) {
      auto msg = render(s.error());
      ASSERT_EQ(msg.rfind("malformed_input: fuzz.yaml", 0), 0u) << msg;
      continue;
    }
    ++ok;
    uint64_t n = 0;
    for (auto& g : s->groups)
      n += g.count;
    EXPECT_EQ(participant_ids(*s).size(), n);
    for (uint64_t c = 0; c < std::min<uint64_t>(cell_count(*s), 8); ++c)
      static_cast<void>(resolve_cell(*s, c));
  }
  // Some mutations are harmless (comments, digits in strings).
  EXPECT_GT(ok, 0u);
}

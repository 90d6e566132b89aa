// Tests: sweep axes, cell math and resolving cells.

#include <gtest/gtest.h>

#include <chrono>
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

TEST(scenario_sweep, an_astronomically_long_range_prints_its_size_briefly) {
  EXPECT_EQ(
    parse_error(base + "sweep:\n  alpha: {from: 0, to: 1, step: 1e-300}\n"),
    "malformed_input: inline.yaml:5: key 'sweep.alpha': expected at "
    "most 100000 values, the range has 1e+300 (about)");
}

TEST(scenario_sweep, axes_and_values) {
  auto s = must_load(good("sweep.yaml"));
  ASSERT_EQ(s.sweep.size(), 11u);
  EXPECT_EQ(s.sweep[0].key, "alpha");
  EXPECT_EQ(s.sweep[0].values, (std::vector<std::string>{"0.1", "0.2", "0.3"}));
  EXPECT_EQ(s.sweep[0].line, 15);
  EXPECT_EQ(s.sweep[1].key, "k");
  EXPECT_EQ(s.sweep[1].values, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(s.sweep[2].values,
            (std::vector<std::string>{"vote", "metastable"}));
  EXPECT_EQ(s.sweep[6].values,
            (std::vector<std::string>{"stubborn", "conform:0.75"}));
  EXPECT_EQ(s.sweep[8].key, "agents.slow.crash_after");
  EXPECT_EQ(s.sweep[8].values, (std::vector<std::string>{"null", "1"}));
  EXPECT_EQ(s.sweep[8].line, 23);
  // The base scenario is unchanged by the sweep.
  EXPECT_EQ(s.ps.policy, "vote");
  EXPECT_EQ(s.groups[0].count, 2u);
}

TEST(scenario_sweep, cell_math_is_mixed_radix_last_axis_fastest) {
  auto s = must_load(good("sweep.yaml"));
  // 3 * 3 * 2 * 2 * 2 * 1 * 2 * 2 * 2 * 1 * 2
  EXPECT_EQ(cell_count(s), 1152u);
  EXPECT_EQ(cell_coordinates(s, 0), std::vector<size_t>(11, 0));
  EXPECT_EQ(cell_coordinates(s, 1),
            (std::vector<size_t>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(cell_coordinates(s, 2),
            (std::vector<size_t>{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(cell_coordinates(s, 1151),
            (std::vector<size_t>{2, 2, 1, 1, 1, 0, 1, 1, 1, 0, 1}));
  // Strides: 384, 128, 64, 32, 16, 16, 8, 4, 2, 2, 1.
  EXPECT_EQ(cell_coordinates(s, 987),
            (std::vector<size_t>{2, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1}));
  // Every cell has distinct coordinates.
  std::set<std::vector<size_t>> seen;
  for (uint64_t c = 0; c < cell_count(s); ++c)
    seen.insert(cell_coordinates(s, c));
  EXPECT_EQ(seen.size(), 1152u);
}

TEST(scenario_sweep, resolve_cell_applies_every_axis) {
  auto s = must_load(good("sweep.yaml"));
  auto c = resolve_cell(s, 987);
  ASSERT_TRUE(c) << render(c.error());
  EXPECT_EQ(c->ps.alpha, 0.3);
  EXPECT_EQ(c->ps.k, 2);
  EXPECT_EQ(c->ps.policy, "metastable");
  EXPECT_TRUE(c->ps.stop_on_unanimity);
  auto& fast = c->groups[0];
  auto& slow = c->groups[1];
  EXPECT_EQ(fast.count, 1u);
  EXPECT_EQ(fast.refine, behaviour::conform);
  EXPECT_EQ(fast.conform_p, 0.75);
  EXPECT_EQ(fast.labels, (std::vector<std::string>{"correct", "wrong"}));
  EXPECT_EQ(fast.weights, (std::vector<double>{0.7, 0}));
  EXPECT_EQ(slow.latency.type, latency_model::kind::lognormal);
  EXPECT_EQ(slow.latency.a, 5000);
  EXPECT_EQ(slow.latency.b, 0.1);
  EXPECT_EQ(slow.crash_after, 1);
  EXPECT_EQ(slow.no_answer, 0.2);
  EXPECT_EQ(slow.fail, 0.1);
  EXPECT_EQ(participant_ids(*c), (std::vector<std::string>{"fast", "slow"}));
  auto d = resolve_cell(s, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ps.alpha, 0.1);
  EXPECT_EQ(d->ps.k, 1);
  EXPECT_EQ(d->ps.policy, "vote");
  EXPECT_FALSE(d->ps.stop_on_unanimity);
  EXPECT_EQ(d->groups[0].refine, behaviour::stubborn);
  EXPECT_EQ(d->groups[1].crash_after, -1);
  EXPECT_EQ(d->groups[1].latency.a, 1000);
  // The base scenario is not modified.
  EXPECT_EQ(s.ps.alpha, 0.6);
  EXPECT_EQ(s.groups[1].latency.a, 3000);
  // Every cell resolves.
  for (uint64_t i = 0; i < cell_count(s); ++i)
    ASSERT_TRUE(resolve_cell(s, i)) << "cell " << i;
  auto e = resolve_cell(s, 1152);
  ASSERT_FALSE(e);
  EXPECT_EQ(render(e.error()),
            "malformed_input: " + good("sweep.yaml")
              + ": cell 1152 out of range (the sweep has 1152 cells)");
}

TEST(scenario_sweep, group_fields) {
  auto s = must_parse("labels: [correct, wrong]\n"
                      "ground_truth: correct\n"
                      "params: {timeout_ms: 1000}\n"
                      "agents:\n"
                      "  - name: g\n"
                      "    latency: {dist: uniform, min_ms: 1, max_ms: 5}\n"
                      "sweep:\n"
                      "  agents.g.answers.wrong: [0.5]\n"
                      "  agents.g.latency.max_ms: [7]\n"
                      "  agents.g.latency.a: [3]\n"
                      "  agents.g.wrong_label: [wrong]\n"
                      "  agents.g.fail: [0.25]\n"
                      "  agents.g.noise: [0.125]\n"
                      "  agents.g.conform_p: [0.5]\n"
                      "  timeout_ms: [500]\n");
  auto c = resolve_cell(s, 0);
  ASSERT_TRUE(c) << render(c.error());
  auto& g = c->groups[0];
  // A label the group had no weight for is appended.
  EXPECT_EQ(g.labels, (std::vector<std::string>{"correct", "wrong"}));
  EXPECT_EQ(g.weights, (std::vector<double>{1, 0.5}));
  EXPECT_EQ(g.latency.type, latency_model::kind::uniform);
  EXPECT_EQ(g.latency.a, 3);
  EXPECT_EQ(g.latency.b, 7);
  EXPECT_EQ(g.wrong_label, "wrong");
  EXPECT_EQ(g.fail, 0.25);
  EXPECT_EQ(g.noise, 0.125);
  EXPECT_EQ(g.conform_p, 0.5);
  EXPECT_EQ(c->ps.timeout_ms, 500);
  EXPECT_EQ(c->world.timeout_ms, 500);
  // A plain number for `latency` makes it constant.
  auto t = must_parse(base + "sweep:\n  agents.solo.latency: [0, 250.5]\n");
  auto d = resolve_cell(t, 1);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->groups[0].latency.type, latency_model::kind::constant);
  EXPECT_EQ(d->groups[0].latency.a, 250.5);
}

TEST(scenario_sweep, ranges) {
  auto s = must_parse(base
                      + "sweep:\n"
                        "  beta_2: {from: 0.5, to: 1, step: 0.1}\n"
                        "  rounds: {from: 0, to: 10, step: 5}\n"
                        "  beta_1: {from: 0.25, to: 0.25}\n");
  EXPECT_EQ(s.sweep[0].values,
            (std::vector<std::string>{"0.5", "0.6", "0.7", "0.8", "0.9", "1"}));
  EXPECT_EQ(s.sweep[1].values, (std::vector<std::string>{"0", "5", "10"}));
  EXPECT_EQ(s.sweep[2].values, (std::vector<std::string>{"0.25"}));
  EXPECT_EQ(cell_count(s), 18u);
  auto c = resolve_cell(s, 17);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.beta_2, 1.0);
  EXPECT_EQ(c->ps.rounds, 10);
  // A fractional step on an integer key fails on the first bad value.
  EXPECT_EQ(parse_error(base + "sweep:\n  k: {from: 1, to: 2, step: 0.5}\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k[1]': expected an "
            "integer in [0, 2147483647], got '1.5'");
}

TEST(scenario_sweep, log_ranges) {
  auto s = must_parse(base
                      + "sweep:\n"
                        "  k: {from: 1, to: 16, factor: 2}\n"
                        "  beta_1: {from: 0.001, to: 1, factor: 10}\n"
                        "  alpha: {from: 0.2, to: 0.5, factor: 1.5}\n");
  EXPECT_EQ(s.sweep[0].values,
            (std::vector<std::string>{"1", "2", "4", "8", "16"}));
  EXPECT_EQ(s.sweep[1].values,
            (std::vector<std::string>{"0.001", "0.01", "0.1", "1"}));
  EXPECT_EQ(s.sweep[2].values,
            (std::vector<std::string>{"0.2", "0.3", "0.45"}));
  auto c = resolve_cell(s, cell_count(s) - 1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.k, 16);
  EXPECT_EQ(c->ps.beta_1, 1.0);
  EXPECT_EQ(parse_error(base + "sweep:\n  k: {from: 0, to: 8, factor: 2}\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k.from': expected "
            "'from' > 0 in a range with 'factor', got 0");
  EXPECT_EQ(parse_error(base + "sweep:\n  k: {from: 1, to: 8, factor: 1}\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k.factor': expected "
            "a number > 1, got '1'");
  EXPECT_EQ(
    parse_error(base + "sweep:\n  k: {from: 1, to: 8, step: 1, factor: 2}\n"),
    "malformed_input: inline.yaml:5: key 'sweep.k.factor': give 'step' (a "
    "linear range) or 'factor' (a log range), not both");
  EXPECT_EQ(parse_error(base
                        + "sweep:\n  alpha: {from: 1e-300, to: 1, factor: "
                          "1.000000001}\n"),
            "malformed_input: inline.yaml:5: key 'sweep.alpha': expected at "
            "most 100000 values, the range has 690775471089");
}

TEST(scenario_sweep, a_bad_combination_names_axis_value_and_cell) {
  auto s = must_parse("policy: snowball\n"
                      "params: {k: 3}\n"
                      "ground_truth: correct\n"
                      "agents:\n"
                      "  - name: crowd\n"
                      "    count: 5\n"
                      "sweep:\n"
                      "  k: [3, 1]\n"
                      "  alpha_preference: [1,\n"
                      "                     2]\n");
  // Each value is fine on its own; k = 1 with alpha_preference = 2 is not.
  EXPECT_EQ(cell_count(s), 4u);
  EXPECT_TRUE(resolve_cell(s, 0));
  EXPECT_TRUE(resolve_cell(s, 1));
  EXPECT_TRUE(resolve_cell(s, 2));
  auto c = resolve_cell(s, 3);
  ASSERT_FALSE(c);
  EXPECT_EQ(render(c.error()),
            "malformed_input: inline.yaml:10: key 'sweep.alpha_preference[1]': "
            "value '2' (cell 3: k=1, alpha_preference=2): alpha_preference "
            "must be in [1, k=1], got 2");
}

TEST(scenario_sweep, values_are_checked_one_by_one_without_the_grid) {
  // 1000 * 1000 * 1000 cells: validating must not expand the grid.
  auto start = std::chrono::steady_clock::now();
  auto s = must_parse(base
                      + "replicates: 1\n"
                        "sweep:\n"
                        "  timeout_ms: {from: 1, to: 1000}\n"
                        "  rounds: {from: 0, to: 999}\n"
                        "  beta_1: {from: 0.001, to: 1, step: 0.001}\n");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(cell_count(s), 1000000000u);
  EXPECT_LT(elapsed, std::chrono::seconds{10});
  auto c = resolve_cell(s, 999999999);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ps.timeout_ms, 1000);
  EXPECT_EQ(c->ps.rounds, 999);
  EXPECT_EQ(c->ps.beta_1, 1.0);
  // One more value along any axis exceeds the cap.
  EXPECT_EQ(parse_error(base
                        + "replicates: 2\n"
                          "sweep:\n"
                          "  timeout_ms: {from: 1, to: 1000}\n"
                          "  rounds: {from: 0, to: 999}\n"
                          "  beta_1: {from: 0.001, to: 1, step: 0.001}\n"),
            "malformed_input: inline.yaml:5: key 'sweep': 1000000000 cells x "
            "2 replicates = 2000000000 runs, more than the cap of "
            "1000000000");
}

TEST(scenario_sweep, long_accepted_lists_are_cut) {
  std::string text = "ground_truth: c\nagents:\n";
  for (int i = 0; i < 25; ++i)
    text += "  - name: g" + std::to_string(i) + "\n";
  text += "sweep:\n  agents.nope.count: [1]\n";
  EXPECT_EQ(parse_error(text),
            "malformed_input: inline.yaml:29: key 'sweep.agents.nope.count': "
            "unknown group 'nope' (accepted: g0, g1, g2, g3, g4, g5, g6, g7, "
            "g8, g9, g10, g11, g12, g13, g14, g15, g16, g17, g18, g19, ... 25 "
            "in all)");
}

TEST(scenario_sweep, key_errors) {
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo: [1]\n"),
            "malformed_input: inline.yaml:5: key 'sweep.agents.solo': "
            "expected agents.<group>.<field> (accepted: count, fail, "
            "no_answer, crash_after, noise, behaviour, conform_p, "
            "wrong_label, latency, latency.<field>, answers.<label>)");
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo.answers.maybe: [1]\n"),
            "malformed_input: inline.yaml:5: key "
            "'sweep.agents.solo.answers.maybe': unknown label 'maybe' "
            "(accepted: correct)");
  EXPECT_EQ(parse_error(base + "sweep:\n  seed: [1, 2]\n"),
            "malformed_input: inline.yaml:5: key 'sweep.seed': unknown sweep "
            "key (accepted: rounds, k, alpha, beta_1, beta_2, timeout_ms, "
            "beta, alpha_preference, alpha_confidence, luminance_weighted, "
            "delta, max_calls, stop_on_unanimity, extractor, "
            "extractor_pattern, policy, "
            "agents.<group>.<field>)");
  EXPECT_EQ(parse_error(base + "sweep:\n  k: 3\n"),
            "malformed_input: inline.yaml:5: key 'sweep.k': expected a list "
            "of values or a map with 'from', 'to' and 'step' (or 'factor'), "
            "got '3'");
  EXPECT_EQ(parse_error(base + "sweep:\n  agents.solo.count: [1, 100000]\n"),
            "");
  EXPECT_EQ(parse_error(base
                        + "  - name: other\n"
                          "sweep:\n  agents.solo.count: [1, 100000]\n"),
            "malformed_input: inline.yaml:6: key "
            "'sweep.agents.solo.count[1]': value '100000': the scenario has "
            "100001 agents, more than the cap of 100000");
  EXPECT_EQ(parse_error(base
                        + "sweep:\n  agents.solo.behaviour: [majority, "
                          "fixed-wrong]\n"),
            "malformed_input: inline.yaml:5: key "
            "'sweep.agents.solo.behaviour[1]': value 'fixed-wrong': "
            "behaviour fixed-wrong needs a label other than the ground truth "
            "'correct'");
}

// The equal-compute baseline taken from a finished run (its round-0 labels
// reused) gives the label of asking every call again.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/equal_calls.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;

namespace {

const std::string dir = CAF_CONSENSUS_SCENARIOS;

/// Runs `replicates` runs of every cell of `sc` (at most `max_cells`) and
/// returns how many runs were compared; fails where the two baselines differ.
/// `adjust` changes each resolved cell (a scenario made in code).
size_t compare_runs(const sim::scenario& sc, const std::string& name,
                    uint64_t replicates, uint64_t max_cells = 8,
                    const std::function<void(sim::scenario&)>& adjust = {}) {
  size_t compared = 0;
  auto cells = std::min<uint64_t>(sim::cell_count(sc), max_cells);
  for (uint64_t c = 0; c < cells; ++c) {
    auto cell = sim::resolve_cell(sc, c);
    if (!cell) {
      ADD_FAILURE() << name << ": " << render(cell.error());
      continue;
    }
    if (adjust)
      adjust(*cell);
    auto agents = sim::make_agents(*cell);
    for (uint64_t r = 0; r < replicates; ++r) {
      auto seed = sim::run_seed(sc, c, r);
      auto st = sim::run_inline(*cell, seed, agents);
      if (!st) {
        ADD_FAILURE() << name << ": " << render(st.error());
        continue;
      }
      EXPECT_EQ(sim::equal_calls_label(*cell, seed, *st, agents),
                sim::equal_calls_label(*cell, seed, st->calls, agents))
        << name << ", cell " << c << ", replicate " << r;
      ++compared;
    }
  }
  return compared;
}

sim::scenario parse(const std::string& text) {
  auto sc = sim::parse_scenario(text, "test");
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  return *sc;
}

} // namespace

TEST(equal_calls, a_run_gives_the_label_of_asking_every_call_again) {
  namespace fs = std::filesystem;
  size_t compared = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".yaml")
      continue;
    // Study files (`study:`) are not scenarios.
    auto sc = sim::load_scenario(e.path().string());
    if (!sc)
      continue;
    compared += compare_runs(*sc, e.path().filename().string(), 20);
  }
  EXPECT_GT(compared, 1000u);
}

TEST(equal_calls, labels_the_engine_filled_in_are_not_reused) {
  // A scenario made in code without a ground truth: flip-flop agents answer
  // an empty label in round 0 (with the default template of "" as text),
  // which policy vote fills in from the text, and asking again does not.
  auto sc = parse("name: t\npolicy: vote\nparams:\n  rounds: 0\n"
                  "labels:\n  a: a\n  b: b\nground_truth: a\n"
                  "agents:\n  - name: x\n    count: 3\n    behaviour: "
                  "flip-flop\n  - name: y\n    count: 2\n    answers: {a: "
                  "0.5, b: 0.5}\nreplicates: 50\nseed: 3\n");
  auto no_truth = [](sim::scenario& cell) { cell.world.ground_truth.clear(); };
  EXPECT_EQ(compare_runs(sc, "flip-flop", 50, 1, no_truth), 50u);
}

TEST(equal_calls, failed_and_timed_out_round0_calls_carry_no_vote) {
  // Faults in round 0, and runs that stop after one refinement round.
  auto sc = parse("name: t\npolicy: metastable\nparams:\n  rounds: 3\n  k: 2\n"
                  "  beta_1: 0.3\n  timeout_ms: 1000\n"
                  "labels:\n  a: alpha answer\n  b: beta answer\n  c: gamma\n"
                  "ground_truth: a\nagents:\n  - name: x\n    count: 4\n"
                  "    faults: {fail: 0.3, no_answer: 0.2}\n"
                  "    latency: {dist: exponential, mean_ms: 600}\n"
                  "    answers: {a: 0.4, b: 0.3, c: 0.3}\n    behaviour: "
                  "majority\nreplicates: 200\nseed: 9\n");
  EXPECT_EQ(compare_runs(sc, "faults", 200), 200u);
}

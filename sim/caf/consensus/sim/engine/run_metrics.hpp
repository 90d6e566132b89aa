// caf-consensus sim: the metrics of one run (a row of runs.csv) and how they
// are measured from its final state.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

/// Per-agent outcome of one run (one row of agents.csv, optional).
struct agent_row {
  std::string agent;
  /// Label of the agent's latest ok response (empty: never answered ok).
  std::string final_label;
  double confidence = 0;
  uint64_t calls = 0;
  uint64_t failures = 0;
  /// Snowball: round in which it decided (-1: never), its decided label, and
  /// the polls (rounds it answered ok in) until then.
  int32_t decided_round = -1;
  std::string decided_label;
  int32_t decided_polls = -1;
};

/// The metrics of one run (one row of runs.csv / runs.jsonl).
struct run_metrics {
  uint64_t cell = 0;
  uint64_t replicate = 0;
  rng::seed seed;
  std::string policy;
  int32_t rounds = 0;
  int32_t k = 0;
  double alpha = 0;
  double beta_1 = 0;
  double beta_2 = 0;
  int32_t rounds_executed = 0;
  std::string stop_reason;
  bool finalized = false;
  std::string winner;
  std::string winner_label;
  bool winner_correct = false;
  double winner_confidence = 0;
  double winner_score = 0;
  /// Fraction of agents whose final label equals the winner's label.
  double agreement = 0;
  int32_t unanimity_round = -1;
  std::string unanimity_label;
  uint64_t calls = 0;
  uint64_t failures = 0;
  uint64_t timeouts = 0;
  int64_t latency_ms = 0;
  /// Tokens of all calls, as far as the agents report them (simulated:
  /// the groups' `tokens`).
  uint64_t tokens = 0;
  /// Refinement rounds until the run decided (-1: it never did). `snowball`:
  /// the round by which every participant had decided; the other policies:
  /// the round in which a threshold stopped sampling (`beta_1`, `unanimity`).
  int32_t rounds_to_decide = -1;
  /// Polls until the decision: participant-calls in refinement rounds 1 ..
  /// `rounds_to_decide` (round 0's proposals are not polls; -1: never).
  int64_t polls_to_decide = -1;
  /// The same over the participants live at the end (answered ok in the last
  /// round executed): participants that crashed or stopped answering are not
  /// waited for, and their calls are not counted.
  int32_t rounds_to_decide_live = -1;
  int64_t polls_to_decide_live = -1;
  /// Sampling stopped before `rounds` refinement rounds.
  bool stopped_early = false;
  /// Equal-compute baseline: the plurality of plain majority vote over
  /// `calls` calls to the same agents with the same seeds
  /// (`equal_calls_label`), and whether it is the ground truth.
  std::string equal_calls_label;
  bool equal_calls_correct = false;
  /// Per-agent rows (filled when `sweep_options::agent_rows` is set).
  std::vector<agent_row> agents;
  /// Every executed round (0 .. rounds_executed) in numbers, compared with
  /// the winner's label and the ground truth.
  std::vector<round_summary> trajectory;
};

/// Computes the metrics of a finished run.
run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, const rng::seed& seed, const state& st,
                    bool agent_rows = false);

/// The same with the cell's agents made beforehand (`make_agents(cell)`,
/// which the equal-compute baseline asks): a sweep makes them once per cell.
run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, const rng::seed& seed, const state& st,
                    bool agent_rows, const std::vector<agent>& agents);

} // namespace caf::consensus::sim

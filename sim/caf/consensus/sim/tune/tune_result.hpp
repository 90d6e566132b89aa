// caf-consensus sim: what `tune` found: every cell it ran with its
// estimates, the stages of the race, the best cells, the Pareto front and
// the confirmation on fresh seeds.

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/tune/objective.hpp"

namespace caf::consensus::sim {

/// An estimate with its two-sided interval over `n` runs.
struct tune_interval {
  uint64_t n = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Where a cell ended.
enum class tune_status : uint8_t {
  /// Still in the race at the end.
  alive,
  /// Dropped: another cell that meets the constraints is better with
  /// confidence (paired, on the same seeds).
  worse,
  /// Dropped: it misses a constraint with confidence.
  infeasible,
};

std::string to_string(tune_status x);

/// The estimates of one cell (95% intervals unless said otherwise).
struct tune_estimates {
  tune_interval accuracy;
  tune_interval finalize;
  tune_interval wrong_final;
  tune_interval calls;
  tune_interval latency;
  tune_interval p95_latency;
};

/// Returns the estimate of `metric` in `e`.
const tune_interval& estimate_of(const tune_estimates& e, tune_metric metric);

/// One cell of the sweep grid as the race left it.
struct tune_cell {
  uint64_t cell = 0;
  /// `policy=hanzo, k=3` (the sweep values as written).
  std::string label;
  /// (axis key, value) of every sweep axis.
  std::vector<std::pair<std::string, std::string>> settings;
  tune_status status = tune_status::alive;
  /// The stage (0-based) that dropped it, and why (the cell that beat it,
  /// or the constraint it misses, with the decision interval).
  uint64_t dropped_at = 0;
  std::string why;
  /// Runs spent on it (replicates 0 .. runs-1 of the common seeds).
  uint64_t runs = 0;
  tune_estimates est;
  /// The goal's paired difference `winner - this` (sign: positive means the
  /// winner is better), over the runs both have; 95%.
  tune_interval vs_winner;
  /// Runner-up shown equivalent to the winner: the decision interval of the
  /// difference lies within +-delta.
  bool tied = false;
};

/// One stage of the race: every surviving cell brought to `replicates`.
struct tune_stage {
  uint64_t replicates = 0;
  uint64_t alive_before = 0;
  uint64_t alive_after = 0;
  uint64_t runs = 0;
};

/// How the race ended.
enum class tune_verdict : uint8_t {
  /// One cell is better than every other with confidence.
  separated,
  /// The cells left are shown equivalent (within +-delta): a tie.
  tied,
  /// The budget ran out before the cells left were separated.
  budget,
  /// Every cell left reached the most replicates per cell.
  cap,
  /// No cell meets the constraints.
  infeasible,
};

std::string to_string(tune_verdict x);

/// The confirmation of the chosen cell on fresh seeds.
struct tune_confirmation {
  uint64_t runs = 0;
  tune_estimates est;
  /// Per constraint: `met`, `missed` or `unsure` (95% interval straddles).
  std::vector<std::string> constraints;
};

/// Everything `tune` found.
struct tune_result {
  std::string scenario_name;
  std::string scenario_file;
  tune_objective objective;
  uint64_t seed = 0;
  uint64_t budget = 0;
  uint64_t max_replicates = 0;
  uint64_t first_replicates = 0;
  double confidence = 0.95;
  /// Per-comparison level of the race's decisions (Bonferroni).
  double decision_alpha = 0;
  double delta = 0;
  /// Runs of the whole grid (cells x max_replicates), for comparison.
  uint64_t grid_runs = 0;
  std::vector<tune_cell> cells;
  std::vector<tune_stage> stages;
  tune_verdict verdict = tune_verdict::budget;
  /// The best cells: the leader first, then the runners-up (not separated
  /// from it). With a Pareto objective: the front of the cells left.
  std::vector<uint64_t> best;
  /// The cell whose settings are written out (see docs/tune.md), if any.
  bool has_choice = false;
  uint64_t chosen = 0;
  /// How the chosen cell met the constraints in the race: 2 with confidence
  /// (at the decision level), 1 by its estimates only, 0 not even by them
  /// (then no cell left did better).
  int chosen_feasibility = 2;
  /// The Pareto front of every feasible cell's estimates (accuracy up,
  /// calls down, latency down).
  std::vector<uint64_t> front;
  tune_confirmation confirmation;
  uint64_t runs_search = 0;
  /// Of `runs_search`, the runs taken from the store of an earlier,
  /// interrupted tune instead of run again.
  uint64_t runs_reused = 0;
  uint64_t runs_confirm = 0;
  double seconds = 0;
};

} // namespace caf::consensus::sim

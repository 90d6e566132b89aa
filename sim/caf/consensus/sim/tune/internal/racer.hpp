// caf-consensus sim: the race of `tune`: stages that bring every surviving
// cell to the same number of replicates on common seeds, and the decisions
// between stages (drop the infeasible and the worse, stop when separated).

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/tune/internal/samples.hpp"
#include "caf/consensus/sim/tune/tune_options.hpp"
#include "caf/consensus/sim/tune/tune_result.hpp"

namespace caf::consensus::sim {
class sweep_runtime;
} // namespace caf::consensus::sim

namespace caf::consensus::sim::tune_internal {

/// Whether an interval meets a constraint.
enum class fit : uint8_t { met, missed, unsure };

/// Judges interval `i` against constraint `c`.
fit judge(const tune_constraint& c, const tune_interval& i);

/// Returns `i` times -1 when `maximize` is false, so that larger is better.
tune_interval oriented(tune_interval i, bool maximize);

/// Runs the race and fills `out` (all but the confirmation).
class racer {
public:
  racer(const scenario& s, const tune_objective& obj, const tune_options& opts,
        tune_result& out);

  /// Runs the stages until separated, tied, out of budget or at the cap.
  error run(uint64_t search_budget);

  /// Gives the race a run stored by an earlier process: it is used instead
  /// of running (cell, replicate) again.
  void preload(uint64_t cell, uint64_t replicate, const run_point& p);

  /// Called with every batch of runs as it finishes (to store them).
  void on_batch(std::function<error(const std::vector<run_metrics>&)> f) {
    on_batch_ = std::move(f);
  }

  /// The samples of every cell (for the result and the confirmation).
  const std::vector<samples>& cell_samples() const noexcept {
    return xs_;
  }

  /// The leader among the cells left (undefined when none is left).
  size_t leader() const;

  /// 2: cell `c` meets every constraint at the decision level; 1: by its
  /// estimates; 0: not even by its estimates.
  int feasibility(size_t c) const;

  /// The smallest difference that matters for `metric` when `better` is the
  /// better cell.
  double delta_for(tune_metric metric, size_t better) const;

private:
  /// Runs replicates [from, to) of every cell left (`spent` runs so far, in
  /// stage `stage`, for the progress).
  error run_replicates(uint64_t from, uint64_t to, uint64_t spent,
                       size_t stage);
  /// Drops cells; returns whether the race is decided.
  bool evaluate(size_t stage);
  void drop_infeasible(size_t stage);
  void drop_worse(size_t stage, const std::vector<size_t>& feasible);
  void drop_dominated(size_t stage, const std::vector<size_t>& feasible);
  bool certainly_feasible(size_t c) const;
  double goal_mean(size_t c) const;
  std::vector<size_t> alive_cells() const;

  const scenario& s_;
  const tune_objective& obj_;
  const tune_options& opts_;
  tune_result& out_;
  std::vector<samples> xs_;
  /// Stored runs not used yet, per cell by replicate.
  std::vector<std::unordered_map<uint64_t, run_point>> stored_;
  std::function<error(const std::vector<run_metrics>&)> on_batch_;
  std::vector<uint8_t> alive_;
  uint64_t n_ = 0;
  double a_ = 0.05;
  /// The threads of the stages' sweeps (local sweeps only).
  std::shared_ptr<sweep_runtime> runtime_;
};

/// Returns the cells of `cs` on the Pareto front of their point estimates
/// (each over all its runs): accuracy up, calls and latency down.
std::vector<size_t> pareto_front(const std::vector<samples>& xs,
                                 const std::vector<size_t>& cs);

} // namespace caf::consensus::sim::tune_internal

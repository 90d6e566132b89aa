// caf-consensus sim: convergence over rounds, per sweep cell, from the
// per-round data of the results store, and the charts that show it.

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/calibration.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/results.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

/// How the runs of one cell converge, round by round (0 .. rounds). A run
/// that stopped before round r counts with its last round (its answers do
/// not change after it stopped).
struct cell_convergence {
  uint64_t runs = 0;
  /// Mean share of live agents that agree with the run's eventual winner,
  /// and with the ground truth (runs with nobody live in a round skip it).
  std::vector<mean_ci> with_winner;
  std::vector<mean_ci> with_truth;
  /// Share of runs that decided (`rounds_to_decide`) by each round.
  std::vector<rate> decided_by;
  /// Share of runs locked on a wrong answer by each round: the eventual
  /// winner is wrong and more than half of the live agents already agree
  /// with it.
  std::vector<rate> locked_wrong;
  /// Accuracy (winner = ground truth) and calls per run.
  rate accuracy;
  mean_ci calls;
  /// The winner's confidence against being right (10 bins).
  calibration reliability;
};

/// Streams runs of a sweep into per-cell convergence data.
class convergence_acc {
public:
  explicit convergence_acc(size_t cells);

  /// Adds one run (its `trajectory` filled).
  void add(const run_metrics& m);

  /// Returns the data of every cell (cells without runs have `runs` 0).
  std::vector<cell_convergence> get() const;

private:
  struct cell_acc {
    uint64_t runs = 0;
    std::vector<mean_acc> with_winner;
    std::vector<mean_acc> with_truth;
    std::vector<uint64_t> decided;
    std::vector<uint64_t> locked;
    uint64_t correct = 0;
    mean_acc calls;
    calibration_acc reliability;
  };

  std::vector<cell_acc> cells_;
};

/// Reads the per-round data of the results store in `res.dir` (when there
/// is one) and returns its convergence charts, keyed by file stem: mean
/// agreement with the winner and the truth by round, the share of runs
/// decided by round (the distribution of rounds to decide, as a CDF), the
/// share locked on a wrong answer by round, accuracy against calls and the
/// reliability diagram (accuracy against the winner's confidence). One
/// series per cell, named after its sweep values. No store: no charts.
expected<std::vector<std::pair<std::string, line_chart>>>
convergence_charts(const results& res);

/// The same for several results directories overlaid (`report --compare`):
/// one series per directory and cell, named `DIR: CELL` (the directory's
/// last path component, or the path as given when two share it). A
/// directory without a store contributes nothing.
expected<std::vector<std::pair<std::string, line_chart>>>
convergence_charts(const std::vector<const results*>& all);

/// Builds the charts of `convergence_charts` from data already read
/// (`names[i]` labels cell i).
std::vector<std::pair<std::string, line_chart>>
convergence_charts(const std::vector<cell_convergence>& cells,
                   const std::vector<std::string>& names);

} // namespace caf::consensus::sim

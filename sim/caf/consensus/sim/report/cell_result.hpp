// caf-consensus sim: the summary of one sweep cell as the report shows it,
// and pooling several cells into one.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

/// The summary of one sweep cell (from summary.jsonl or recomputed).
struct cell_result {
  uint64_t cell = 0;
  /// False for a cell that has no summary (e.g. an interrupted sweep).
  bool present = false;
  std::string label;
  /// Index of this cell's value on each axis (aligned with the axes).
  std::vector<size_t> coords;
  uint64_t runs = 0;
  rate finalize_rate;
  rate accuracy;
  rate accuracy_finalized;
  mean_ci rounds;
  mean_ci latency_ms;
  mean_ci calls;
  /// The equal-compute baseline and the calibration error, when the summary
  /// has them (a scenario with a ground truth; not for pooled cells).
  bool has_baseline = false;
  rate equal_calls_accuracy;
  mean_ci gain_over_equal_calls;
  double ece = 0;
};

/// Returns the summary of a cell from the accumulated runs.
cell_result to_cell_result(const cell_summary& x);

/// Merges cells (e.g. over the values of parameters a chart does not show):
/// rates pool their hits, means pool mean and variance (the variance of each
/// part is recovered from its t-interval), with fresh 95% intervals.
cell_result pool(const std::vector<const cell_result*>& parts);

} // namespace caf::consensus::sim

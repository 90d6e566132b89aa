// caf-consensus sim: a results directory as the report reads it: the
// manifest, the sweep axes and one summary per cell (from summary.jsonl, or
// recomputed from runs.jsonl).

#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/report/cell_result.hpp"

namespace caf::consensus::sim {

/// One swept parameter of a results directory.
struct result_axis {
  std::string key;
  std::vector<std::string> values;
  /// True when every value is a number (`numbers` holds them).
  bool numeric = false;
  std::vector<double> numbers;
};

/// A results directory as the report reads it.
struct results {
  std::string dir;
  nlohmann::json manifest;
  std::vector<result_axis> axes;
  /// One entry per grid cell, in cell order (`present` = false: missing).
  std::vector<cell_result> cells;
  /// Where the summaries came from: `summary.jsonl` or `runs.jsonl`.
  std::string source;
};

/// Options of `load_results`.
struct load_options {
  /// Summarize runs.jsonl even when summary.jsonl exists.
  bool from_runs = false;
};

/// Reads a results directory. Errors name the file, the line and the field
/// at fault (missing manifest, malformed JSON, a cell outside the sweep, an
/// interval that is not one, ...).
expected<results> load_results(const std::string& dir,
                               const load_options& opts = {});

} // namespace caf::consensus::sim

// caf-consensus sim: per-cell summaries written as summary.csv and
// summary.jsonl.

#pragma once

#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns the header line of summary.csv (no newline).
std::string summary_csv_header();

/// Returns the summary.csv line of cell `cell` (no newline).
std::string summary_csv(const scenario& s, uint64_t cell,
                        const cell_summary& x);

/// Writes dir/summary.csv and dir/summary.jsonl, each atomically (see
/// `output_file`).
error write_summaries(const std::string& dir, const scenario& s,
                      const std::vector<cell_summary>& cells);

} // namespace caf::consensus::sim

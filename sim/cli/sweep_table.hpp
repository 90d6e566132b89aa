// consensus-sim: printing and writing sweep summaries (shared by run and
// summarize), and the per-worker throughput report.

#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::cli {

/// Formats `x` with `prec` digits after the point.
std::string fmt(double x, int prec);

/// Prints the per-cell table (`consensus-sim run`'s main output).
void print_table(std::ostream& out, const sim::scenario& s,
                 const std::vector<sim::cell_summary>& cells);

/// The legend printed under the table.
extern const char* legend;

/// Prints one line per worker: threads, runs, batches, runs per busy
/// second, joins, reassigned batches and its last problem.
void print_workers(std::ostream& out,
                   const std::vector<sim::worker_report>& xs);

} // namespace caf::consensus::cli

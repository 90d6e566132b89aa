// consensus-sim: printing and writing sweep summaries (shared by run and
// summarize), and the per-worker throughput report.

#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::sim {
class results_store;
} // namespace caf::consensus::sim

namespace caf::consensus::cli {

/// Formats `x` with `prec` digits after the point.
std::string fmt(double x, int prec);

/// Prints the per-cell table (`consensus-sim run`'s main output).
void print_table(std::ostream& out, const sim::scenario& s,
                 const std::vector<sim::cell_summary>& cells);

/// The legend printed under the table.
extern const char* legend;

/// Writes summary.csv and summary.jsonl into `dir`.
error write_summaries(const std::string& dir, const sim::scenario& s,
                      const std::vector<sim::cell_summary>& cells);

/// Streams every run of `store` into `cells` (sized to the cell count) and,
/// when `dir` is not empty, into dir/runs.csv, dir/runs.jsonl and (if the
/// store has agent rows) dir/agents.csv. Returns the number of runs.
expected<uint64_t> export_results(const sim::results_store& store,
                                  const std::string& dir,
                                  std::vector<sim::cell_summary>& cells);

/// Prints one line per worker: threads, runs, batches, runs per busy
/// second, joins, reassigned batches and its last problem.
void print_workers(std::ostream& out,
                   const std::vector<sim::worker_report>& xs);

} // namespace caf::consensus::cli

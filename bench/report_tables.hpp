// caf-consensus benchmarks: prints the tables and target checks of
// docs/performance.md as Markdown for consensus-bench-report.

#pragma once

#include "report_reader.hpp"

namespace caf::consensus::bench {

/// Prints machine, floors, whole runs, scaling, shape L, sweeps and the
/// targets (met, missed or not measured) of `r` to stdout.
void print_report(const reader& r);

} // namespace caf::consensus::bench

// caf-consensus sim: the HTML page of a report: scenario and manifest,
// summary table, baselines, policy comparison and the charts inlined.

#pragma once

#include <string>
#include <vector>

#include "caf/consensus/sim/report/baselines.hpp"
#include "caf/consensus/sim/report/html.hpp"
#include "caf/consensus/sim/report/results.hpp"

namespace caf::consensus::sim {

/// Returns the whole HTML page of a report.
std::string report_html(const results& res,
                        const std::vector<chart_file>& charts,
                        const baselines* base);

} // namespace caf::consensus::sim

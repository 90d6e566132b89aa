// caf-consensus sim (private to advice/): the self-contained HTML page of an
// advice report (`index.html`).

#pragma once

#include <string>
#include <vector>

#include "caf/consensus/sim/advice/advice_report.hpp"
#include "caf/consensus/sim/report/report.hpp"

namespace caf::consensus::sim::advice_detail {

/// Returns the page: the verdicts, the baselines and `charts` inlined
/// (`command` is shown as the command that produced them).
std::string advice_page(const advice_report& rep, const std::string& command,
                        const std::vector<chart_file>& charts);

} // namespace caf::consensus::sim::advice_detail

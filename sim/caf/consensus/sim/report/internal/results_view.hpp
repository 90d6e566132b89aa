// caf-consensus sim: queries over loaded results shared by the charts and
// the page: cells pooled per axis value, the scenario's name (private header
// of the report layer).

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/sim/report/results.hpp"

namespace caf::consensus::sim::report_internal {

/// Returns one result per value of axis `axis`: the cells with that value
/// pooled over every other axis (one pass over the cells).
std::vector<cell_result> pooled_by(const std::vector<cell_result>& cells,
                                   const std::vector<result_axis>& axes,
                                   size_t axis);

/// Returns the manifest's scenario name, or the directory's name without
/// one.
std::string scenario_name(const results& res);

} // namespace caf::consensus::sim::report_internal

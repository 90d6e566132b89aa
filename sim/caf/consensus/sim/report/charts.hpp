// caf-consensus sim: the charts of a results directory: a line chart per
// swept parameter (the policy comparison when `policy` is swept) and
// heatmaps of pairs of swept parameters.

#pragma once

#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/report/baselines.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/results.hpp"

namespace caf::consensus::sim {

/// Returns the line charts of `res`: one per swept parameter (the policy
/// comparison when `policy` is swept), keyed by file stem `NN-PARAM`. Without
/// a sweep: none (one-point panels against nothing tell nothing), except with
/// `base`: the single cell beside both baselines (`baselines`).
std::vector<std::pair<std::string, line_chart>>
line_charts(const results& res, const baselines* base);

/// Returns the heatmaps of `res` (one per pair of swept parameters, at most
/// three pairs), keyed by file stem.
std::vector<std::pair<std::string, heatmap_chart>> heatmaps(const results& res);

} // namespace caf::consensus::sim

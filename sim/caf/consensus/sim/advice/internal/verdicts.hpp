// caf-consensus sim (private to advice/): the effects measured between two
// sweep cells and the verdicts they give a claim (with the rules of
// effect.hpp).

#pragma once

#include <cstdint>
#include <string>

#include "caf/consensus/sim/advice/advice_report.hpp"
#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/advice/internal/cell_runs.hpp"

namespace caf::consensus::sim::advice_detail {

/// Metric `m`, `to - from`, paired over the runs.
effect paired(const cell_runs& from, const cell_runs& to, metric m);

/// Accuracy among finalized runs, `to - from`, paired bootstrap (its
/// generator seeded from the base seed `seed`).
effect safety(const cell_runs& from, const cell_runs& to, uint64_t seed);

/// A directional claim measured between two cells of one sweep.
condition_outcome directional(const std::string& condition,
                              const cell_runs& from, const cell_runs& to,
                              metric m, direction d, const std::string& what);

/// Why verdict `v` of effect `e` (claimed direction `d`, smallest relevant
/// effect `delta` of metric `name`); empty when it holds.
std::string note_for(verdict v, const effect& e, direction d, double delta,
                     const std::string& name);

/// Returns `c` with its verdict combined from its conditions and the verdict
/// in words.
claim_outcome finish(claim_outcome c);

} // namespace caf::consensus::sim::advice_detail

// caf-consensus sim: `tune`: searching a scenario's sweep grid for the best
// settings by racing cells on common run seeds, then confirming the choice
// on fresh seeds (docs/tune.md).

#pragma once

#include "caf/expected.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/tune/objective.hpp"
#include "caf/consensus/sim/tune/tune_options.hpp"
#include "caf/consensus/sim/tune/tune_result.hpp"

namespace caf::consensus::sim {

/// Races the cells of `s`'s sweep grid for `objective` and confirms the
/// choice. Errors: options out of range, a budget too small for a first
/// look at every cell, or a grid cell that cannot run (named).
expected<tune_result> run_tune(const scenario& s,
                               const tune_objective& objective,
                               const tune_options& opts);

} // namespace caf::consensus::sim

// caf-consensus sim: what one run of a cell is given: its run seed, its
// agents' seed and its parameters.

#pragma once

#include <cstdint>

#include "caf/consensus/params.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns the run seed of (cell, replicate): `seeds[replicate]` when the
/// scenario lists seeds, else `rng::derive(seed mod 2^64, {cell, replicate})`.
rng::seed run_seed(const scenario& s, uint64_t cell, uint64_t replicate);

/// Returns the parameters of a run of `cell`: the cell's, with `seed`.
params run_params(const scenario& cell, const rng::seed& seed);

} // namespace caf::consensus::sim

// caf-consensus sim (private to advice/): the population sizes
// `consensus-sim advice` accepts and the checks `run_advice` makes on a
// population.

#pragma once

#include <cstddef>

#include "caf/error.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim::advice_detail {

/// The fewest and the most agents a population may have.
constexpr size_t min_agents = 2;
constexpr size_t max_agents = 200;

/// Returns an error when `run_advice` cannot use `pop`: fewer than
/// `min_agents` or more than `max_agents` agents, or a ground truth that is
/// not one of its labels.
error check_population(const scenario& pop);

} // namespace caf::consensus::sim::advice_detail

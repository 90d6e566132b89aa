// caf-consensus sim: how a sweep cell is named and written down (its label
// and its resolved parameters as JSON).

#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns a short label of cell `cell` (`beta_2=0.7, k=3`; empty without a
/// sweep).
std::string cell_label(const scenario& s, uint64_t cell);

/// Returns the resolved parameters of one cell as JSON.
nlohmann::json cell_json(const scenario& cell);

} // namespace caf::consensus::sim

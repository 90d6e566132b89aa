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

/// Returns the value of sweep axis `axis` in cell `cell` as tables show it:
/// as written in the file, or `-` when the axis is a policy parameter that the
/// cell's policy does not read (`beta_1` in a `snowball` cell, `alpha` in a
/// `hanzo` cell; see `policy_base::reads`).
std::string cell_value(const scenario& s, uint64_t cell, size_t axis);

/// Returns the resolved parameters of one cell as JSON.
nlohmann::json cell_json(const scenario& cell);

} // namespace caf::consensus::sim

// caf-consensus sim: the manifest of a sweep (everything that determines its
// results).

#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns the manifest: scenario file, name and hash, the full resolved
/// parameters of every cell, seed(s), replicates, engine, program version.
nlohmann::json manifest(const scenario& s, engine_kind engine,
                        const std::string& command_line);

} // namespace caf::consensus::sim

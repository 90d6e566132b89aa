// caf-consensus sim: the whole-scenario check (everything that spans several
// keys, and the protocol parameters through the policy's own validation).

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::scenario_internal {

/// A problem found by `check`: the key to blame and what is wrong.
struct issue {
  std::string key;
  std::string problem;
};

/// Checks everything that spans several keys (and the protocol parameters
/// through the policy's own `validate`).
std::optional<issue> check(const params& ps,
                           const std::vector<agent_group>& groups,
                           const agent_world& world);

} // namespace caf::consensus::sim::scenario_internal

// caf-consensus sim: the label a synthetic agent answers, by round and
// behaviour (private header, not installed).

#pragma once

#include <cstdint>
#include <string>

#include "caf/consensus/request.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Returns the label agent `a` answers to `req` in the run seeded `run_seed`
/// (see `behaviour` and `answer`).
std::string choose_label(const agent_world& world, const agent& a,
                         uint64_t run_seed, const request& req);

} // namespace caf::consensus::sim::agents_internal

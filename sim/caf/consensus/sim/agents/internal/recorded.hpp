// caf-consensus sim: the answers of replay and empirical agents (private
// header, not installed).

#pragma once

#include <cstdint>

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Plays back the recorded call of `a`'s participant for `req` in the
/// recorded run whose agents' seed is `run_seed`; a call the trace never
/// recorded (no such run or round, other peers shown) is a failed result
/// whose error starts with `unrecorded_call_prefix`.
result replay_answer(const agent_world& world, const agent& a,
                     uint64_t run_seed, const request& req);

/// Answers as `a`'s participant answered in round `req.round` (or its latest
/// earlier round) of one recorded run drawn uniformly per simulated run, with
/// a latency drawn from all its recorded latencies.
result empirical_answer(const agent_world& world, const agent& a,
                        uint64_t run_seed, const request& req);

} // namespace caf::consensus::sim::agents_internal

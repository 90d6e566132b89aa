// caf-consensus sim: sampling a synthetic agent's latency (private header,
// not installed).

#pragma once

#include <cstdint>

#include "caf/consensus/rng/rng64.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Draws one latency from `m`: rounded to whole milliseconds, clamped to
/// [0, 10^12] (negative, zero or NaN draws are 0).
int64_t sample_latency(const latency_model& m, rng::rng64& gen);

} // namespace caf::consensus::sim::agents_internal

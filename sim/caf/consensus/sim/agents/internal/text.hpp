// caf-consensus sim: the text of a synthetic agent's answer: its label's
// template with word-level noise (private header, not installed).

#pragma once

#include <string>

#include "caf/consensus/rng/rng64.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Applies word-level noise: each word, with probability `rate`, is dropped,
/// swapped with the next word (which then is not noised itself; a swap of the
/// last word is a no-op) or followed by a filler word, the three equally
/// likely. The result joins words with single spaces. With `rate <= 0` the
/// text is returned unchanged.
std::string add_noise(const std::string& text, double rate, rng::rng64& gen);

/// Returns the template of `label` in `world`, or its default template
/// (stored in `buf`) when the world has none.
const std::string& template_of(const agent_world& world,
                               const std::string& label, std::string& buf);

} // namespace caf::consensus::sim::agents_internal

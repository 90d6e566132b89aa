// caf-consensus sim: the equal-compute baseline of a run: plain majority
// vote over as many calls as the run spent, from the same agents and seeds.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns the plurality label of `calls` plain calls to the agents of
/// `cell` in the run seeded `seed`: call c asks agent c mod n in round
/// c div n the prompt alone (no peers, no own answer), so the first n calls
/// are exactly the run's round 0 and later ones draw as the agents do when
/// asked again (a fresh draw for every behaviour but `fixed-wrong`,
/// `flip-flop` and `repeat`). Failed calls carry no vote. Ties go to the
/// label voted first; no vote at all gives an empty label.
///
/// Common random numbers: the agents draw from the same streams as in the
/// run, so the difference between the run's outcome and this one is paired.
/// For policy `vote` with `rounds = 0` it is the run's own winning label.
std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls);

/// The same with the cell's agents made beforehand (`make_agents(cell)`).
std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls, const std::vector<agent>& agents);

/// The same for the finished run `run` of `cell` (with the cell's agents):
/// where the run's round 0 is exactly the first n calls (every agent
/// synthetic, every label it can give in round 0 non-empty, the run's
/// participants the agents in order), their labels are taken from `run`'s
/// round-0 responses instead of asking the agents again; otherwise, and for
/// the calls after the first n, as above. Gives the same label as
/// `equal_calls_label(cell, seed, run.calls, agents)`.
std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              const state& run,
                              const std::vector<agent>& agents);

} // namespace caf::consensus::sim

// caf-consensus sim: command-line overrides of a scenario, checked with the
// same ranges, caps and messages as the file.

#pragma once

#include <string>

#include "caf/error.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Sets the replicates per cell of `s` from the text of the flag `flag`
/// (e.g. `--replicates`): an integer in [1, 10^9], with cells x replicates at
/// most 10^9 runs, as in a scenario file. A scenario that lists `seeds` runs
/// one replicate per listed seed; overriding it is an error that says how to
/// run more replicates.
error override_replicates(scenario& s, const std::string& text,
                          const std::string& flag = "--replicates");

} // namespace caf::consensus::sim

// caf-consensus sim: the agent populations `consensus-sim advice` tests: the
// default one (compiled in), a user's scenario file, and the populations
// derived from one for the diversity claims.

#pragma once

#include <cstdint>
#include <string>

#include "caf/expected.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// Returns the text of scenarios/advice/population.yaml (compiled in).
const std::string& default_population_text();

/// Returns the default population (scenarios/advice/population.yaml).
expected<scenario> default_population();

/// Loads a user population: the labels, ground truth and agents of a
/// scenario file (its parameters, sweep and replicates are not used).
/// Errors: the file's own errors, or a population `run_advice` cannot use
/// (fewer than 2 or more than 200 agents).
expected<scenario> load_population(const std::string& path);

/// Which population a diversity comparison uses.
enum class population_kind : uint8_t {
  /// Every agent answers with the population's mean answer distribution.
  homogeneous,
  /// Competence spread around the same mean: agent accuracies evenly spaced
  /// in [p - s, p + s] (s = min(0.25, p - 0.05, 0.95 - p)), assigned low,
  /// high, low, ... in agent order; mistakes split like the mean
  /// distribution's.
  diverse_competence,
  /// Accuracy p for all; every mistake goes to the most common wrong answer.
  shared_errors,
  /// Accuracy p for all; agent i's mistakes go to wrong answer i mod W (W
  /// wrong answers): their errors are diverse.
  diverse_errors,
};

/// Returns the population `kind` derived from `pop` (one group per agent,
/// named by the agent's id; latency, faults and behaviour kept). Equal mean
/// accuracy (probability of the ground truth) as `pop`.
scenario derive_population(const scenario& pop, population_kind kind);

/// Returns the mean probability that an agent of `pop` answers the ground
/// truth first.
double mean_accuracy(const scenario& pop);

} // namespace caf::consensus::sim

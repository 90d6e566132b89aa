// caf-consensus sim: checking the published tuning advice against sweeps.
//
// The advice published for this protocol (hanzo-consensus's README and the
// design it documents) says: more rounds give more refinement and better
// consensus but are slower; a larger k gives broader agreement; a higher
// beta_2 gives stricter finality (fewer finalizations, more accurate ones)
// and a lower beta_2 faster consensus; diverse participants give better
// consensus; start with 3 rounds. `run_advice` runs, for each policy, the
// sweeps that test each claim on an agent population, measures the effect
// with its 95% interval and turns it into a verdict with the rules of
// effect.hpp. It also checks two parameter rules that follow from the
// formulas (hanzo's finalization bound, snowball's liveness bound) and puts
// `vote` beside every policy at the same run seeds.
//
// Every verdict comes from the measurements: nothing here knows the answer.

#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/advice/advice_report.hpp"
#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/advice/output.hpp"
#include "caf/consensus/sim/advice/population.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

// -- running the advice -------------------------------------------------------

/// Options of `run_advice`.
struct advice_options {
  /// Runs per sweep cell (all cells share the same run seeds).
  uint64_t replicates = 4000;
  /// Base seed: run i of every cell has seed derive(seed, {i}).
  uint64_t seed = 2026;
  size_t threads = 1;
  engine_kind engine = engine_kind::inline_calls;
  /// Policies to test (default: all four).
  std::vector<std::string> policies{"metastable", "hanzo", "snowball", "vote"};
  /// Also check the parameter rules (hanzo bound, snowball liveness).
  bool rules = true;
  /// Called after each sweep with (what, runs done so far, runs planned).
  std::function<void(const std::string&, uint64_t, uint64_t)> on_progress;
};

/// Runs every sweep and returns the verdicts. Errors: invalid options or a
/// population a sweep cannot run (named).
expected<advice_report> run_advice(const scenario& population,
                                   const advice_options& opts);

} // namespace caf::consensus::sim

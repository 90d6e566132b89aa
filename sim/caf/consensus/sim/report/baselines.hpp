// caf-consensus sim: the `vote` baselines of a results directory: every
// cell run again as policy `vote` with the cell's own run seeds.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/cell_result.hpp"
#include "caf/consensus/sim/report/results.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

class sweep_runtime;

/// The `vote` baselines of every cell of a results directory, run with the
/// cell's own run seeds (so round 0 is the same draw as in the cell's runs).
struct baselines {
  /// Majority after round 0 (self-consistency; n calls per run).
  std::vector<cell_result> round0;
  /// Debate-then-vote with the rounds whose calls come closest to the cell's
  /// mean calls per run (`budget_rounds[c]`).
  std::vector<cell_result> equal_calls;
  std::vector<int32_t> budget_rounds;
};

/// Returns the rounds of a `vote` run with `agents` participants whose
/// `agents * (rounds + 1)` calls come closest to `mean_calls` (at least 0).
int32_t equal_call_rounds(double mean_calls, size_t agents);

/// Returns `cell` as policy `vote` with `rounds` refinement rounds (0:
/// majority after round 0), everything else unchanged.
scenario vote_baseline(const scenario& cell, int32_t rounds);

/// Runs `cell` (a resolved scenario; its sweep is dropped) once per seed,
/// replicate i with run seed `seeds[i]`, and passes every run in order to
/// `on_run`; on the threads of `runtime` if not null (see sweep_runtime.hpp).
error run_with_seeds(const scenario& cell, const std::vector<rng::seed>& seeds,
                     engine_kind engine, size_t threads,
                     const std::function<void(const run_metrics&)>& on_run,
                     std::shared_ptr<sweep_runtime> runtime = nullptr);

/// Runs the baselines of `res`, whose runs came from scenario `s` (checked
/// against the manifest's hash, replicates and seeds).
expected<baselines> run_baselines(const results& res, const scenario& s,
                                  engine_kind engine, size_t threads);

} // namespace caf::consensus::sim

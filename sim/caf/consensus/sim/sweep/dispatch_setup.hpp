// caf-consensus sim: everything the dispatcher of a sweep needs (the plan,
// batch size, local and remote workers, callbacks).

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/error.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

namespace caf::consensus::sim {

/// The fewest runs of a guided batch (unless the limit is smaller).
constexpr size_t min_guided_batch = 8;

/// The most runs of a guided batch (`run_sweep`'s limit when the caller
/// sets no batch size).
constexpr size_t max_guided_batch = 256;

/// Returns the runs of the next guided batch: `remaining / slots`
/// (`slots`: the batches the ready workers hold at once, two per thread, so
/// half of a thread's share of the remaining runs), at least
/// `min(min_guided_batch, most)` and at most `most`. Early batches are
/// large, so a sweep sends few messages per run (each result wakes the
/// sweep's bookkeeping thread, which then takes a core from a computing
/// thread); the last ones are small, so every worker stays busy until the
/// end.
size_t guided_batch_size(uint64_t remaining, size_t slots, size_t most);

/// Everything the dispatcher needs for one sweep.
struct dispatch_setup {
  std::shared_ptr<const sweep_plan> plan;
  /// Runs per batch (>= 1); with `guided`, the most runs per batch.
  size_t batch_size = 64;
  /// Sizes each batch with `guided_batch_size` (at most `batch_size` runs)
  /// instead of cutting `batch_size` runs every time.
  bool guided = false;
  /// The local session (invalid: no local workers) and its threads.
  actor local;
  uint32_t local_threads = 0;
  /// Remote workers (null: none) and the spec they load.
  std::shared_ptr<const remote_options> remote;
  sweep_spec spec;
  /// Callbacks (see `sweep_options`); all run on the dispatcher's thread.
  std::function<bool(uint64_t, uint64_t)> skip;
  std::function<void(const run_metrics&)> on_run;
  std::function<error(const std::vector<run_metrics>&)> on_batch;
  std::function<void(uint64_t, uint64_t)> on_progress;
  std::function<void(const std::string&)> on_event;
};

} // namespace caf::consensus::sim

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

/// Everything the dispatcher needs for one sweep.
struct dispatch_setup {
  std::shared_ptr<const sweep_plan> plan;
  /// Runs per batch (>= 1).
  size_t batch_size = 64;
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

// caf-consensus sim: the dispatcher, which hands batches of a sweep to local
// and remote workers and collects their results.

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/engine/run.hpp"
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

/// Spawns the dispatcher of a sweep. It answers one
/// `start_atom` request, when the sweep is over, with one `worker_report`
/// per worker, or with the error that stopped the sweep.
///
/// How it works: runs are cut into batches in canonical order (skipping
/// runs `skip` names). Each worker gets up to two batches per thread in
/// flight; the local session is always there, remote workers join after
/// connecting and passing the shared-secret handshake, and rejoin after a
/// failure (tried again every `retry_interval`). A remote worker whose
/// session goes down (CAF monitoring) or that returns nothing for
/// `batch_timeout` while it has work is dropped and its batches go back to
/// the queue; results of a batch that arrive twice are used once. Results
/// are checked against their batch (count, keys, seeds) before use.
actor spawn_dispatcher(actor_system& sys, dispatch_setup setup);

} // namespace caf::consensus::sim

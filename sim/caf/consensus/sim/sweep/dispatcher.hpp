// caf-consensus sim: the dispatcher, which hands batches of a sweep to local
// and remote workers and collects their results.

#pragma once

#include "caf/actor.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/dispatch_setup.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

namespace caf::consensus::sim {

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

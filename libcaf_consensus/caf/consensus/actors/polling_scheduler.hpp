// caf-consensus: a scheduler configuration for callers that block on short
// runs.

#pragma once

#include <cstddef>

#include "caf/actor_system_config.hpp"

namespace caf::consensus::actors {

/// Polls of an idle scheduler worker before it sleeps
/// (`use_polling_scheduler`). On the build VM 10,000 polls keep a worker awake
/// for the tens of microseconds between a blocking caller's runs
/// (docs/performance.md).
constexpr size_t default_poll_attempts = 10'000;

/// Selects CAF's work-stealing scheduler and makes an idle worker poll its
/// queue `attempts` times without sleeping (every tenth poll also tries to
/// steal from another worker) before CAF's slower phases: 500 polls with a
/// 50 µs sleep after each, then waiting on a condition variable. CAF's
/// default polls only 100 times before the sleeps begin, and a message that
/// arrives during a sleep waits for its end.
///
/// A blocking caller (`consensus::run`) hands each run to a scheduler worker
/// and back. If the worker went to sleep since the last run, waking it costs
/// a thread wake-up (30–64 µs on an idle virtual machine, more than a whole
/// run of 5 instant agents); a polling worker picks the run up at once. The
/// price is CPU time: after its last job every idle worker spins for
/// `attempts` polls. `consensus` uses this for its private actor system;
/// pass an actor system of your own (`consensus::system`) to choose another
/// trade-off.
void use_polling_scheduler(actor_system_config& cfg,
                           size_t attempts = default_poll_attempts);

} // namespace caf::consensus::actors

// caf-consensus sim: the pool of worker actors that runs batches of a sweep,
// and the sessions through which coordinators reach it.

#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "caf/actor.hpp"
#include "caf/actor_control_block.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

namespace caf::consensus::sim {

/// Spawns a pool for `threads` threads. It takes `plan_batch` messages, hands
/// each to its least busy worker and answers with a `batch_result` (runs in
/// the batch's order) or the error of the first run that failed. An exit
/// message to the pool stops every worker (a blocking worker finishes its
/// current batch first, an event-based one stops at once and drops the run
/// it waits for); batches in flight then get no answer.
///
/// Each thread has an `actor_home` for the actor engine. If
/// `takes_every_core` (a local sweep whose threads take every core),
/// inline-engine batches go to `threads` event-based workers on `sys`'s
/// scheduler (which then needs `threads` threads: the thread that finishes a
/// batch passes the result on itself, and no other thread is woken for it)
/// and actor-engine batches to an event-based worker in each home, which
/// runs and measures them on the home's thread (no thread waits for
/// another). Otherwise (worker nodes, sweeps with remote workers, whose
/// dispatcher must answer its timers while batches run, and sweeps with a
/// core to spare) inline batches go to one blocking worker per thread and
/// actor batches to two per thread, each on a thread of its own (an actor
/// worker waits while its home runs the batch, then measures the runs there:
/// the second worker keeps the home busy meanwhile). Workers are spawned
/// with the first batch that needs them.
actor spawn_pool(actor_system& sys, size_t threads,
                 bool takes_every_core = false);

/// Whether a local sweep on `threads` threads computes its inline batches on
/// its scheduler and its actor-engine batches with event-based workers in
/// the homes (`spawn_pool`): when its threads take every core of the
/// machine. Then no core is left on which the bookkeeping (the dispatcher,
/// `on_run`, `on_batch`: e.g. writing runs to the store) or the measuring of
/// finished actor-engine runs could run beside them, and waking a thread for
/// it takes a core from a computing thread. With a core to spare, workers
/// with threads of their own let that work run beside the computing
/// threads.
bool takes_every_core(size_t threads);

/// Spawns the session of the local pool for `plan`: it answers
/// `(batch_atom, std::string, run_batch)` (the string is ignored) by running
/// the batch on `pool`.
actor spawn_local_session(actor_system& sys, actor pool,
                          std::shared_ptr<const sweep_plan> plan);

/// Spawns the session of an authenticated remote coordinator `peer`. It
/// accepts messages only from `peer` and only with `token` (compared in
/// constant time): `(load_atom, token, sweep_spec)` builds the plan and
/// answers its number of runs; `(batch_atom, token, run_batch)` checks the
/// batch and runs it on `pool`. It stops when `peer` goes down. Every
/// refusal goes to `log`. Scenario texts above `max_scenario` bytes are
/// refused.
actor spawn_remote_session(actor_system& sys, actor pool, std::string token,
                           strong_actor_ptr peer,
                           std::function<void(const std::string&)> log,
                           size_t max_scenario = max_scenario_bytes);

} // namespace caf::consensus::sim

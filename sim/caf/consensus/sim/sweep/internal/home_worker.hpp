// caf-consensus sim: the event-based worker that runs actor-engine batches in
// an `actor_home` (private header, not installed).

#pragma once

#include <cstdint>

#include "caf/actor.hpp"
#include "caf/atom.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"

namespace caf::consensus::sim {

/// Pool -> home worker: (home_run_atom, ticket, plan_batch).
using home_run_atom = atom_constant<atom("csHomeRun")>;

/// Home worker -> pool: (home_done_atom, ticket, batch_result) or
/// (home_done_atom, ticket, error).
using home_done_atom = atom_constant<atom("csHomeDone")>;

/// Home worker -> pool, when the worker ended: (home_down_atom, its address,
/// the reason).
using home_down_atom = atom_constant<atom("csHomeDown")>;

/// Spawns, in `home`'s system, a worker that runs the actor-engine batches
/// it gets from `pool` one after another on the thread of that system: it
/// sends the batch's runs one at a time to a coordinator it keeps while the
/// runs belong to one cell (`cell_actors`), measures each finished run and
/// answers `pool` with `home_done_atom` and the batch's ticket (an error for
/// a batch with a run outside its sweep, before any run; for a run that
/// fails, and when the coordinator ends during a run). No thread waits for
/// another while batches run: the home's thread runs the actors and
/// measures. (The first call starts `home`'s system on the calling thread.)
/// When the worker ends, `pool` gets `home_down_atom`. Points the calling
/// thread's CAF logger to `back` afterwards (spawning pointed it to `home`'s
/// system).
actor spawn_home_worker(actor_home& home, actor pool, actor_system& back);

/// Sends a batch with `ticket` to `worker` on behalf of `sender`, to be
/// scheduled on the worker's own system. (A message sent from an actor goes
/// to the sender's scheduler thread when it wakes the receiver, which would
/// run the home's actors on the pool's threads.)
void send_home_run(const actor& worker, strong_actor_ptr sender,
                   uint64_t ticket, plan_batch batch);

} // namespace caf::consensus::sim

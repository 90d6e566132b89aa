// caf-consensus: the participant actor that wraps a user `execute`.

#pragma once

#include <string>

#include "caf/actor_system.hpp"
#include "caf/spawn_options.hpp"

#include "caf/consensus/actors/messages.hpp"

namespace caf::consensus::actors {

/// Spawns a participant that calls a synchronous `execute` inside its
/// handler. With `blocking == true` the actor gets its own thread
/// (`detached`), so an `execute` that blocks (network I/O, a model call)
/// never stalls CAF's scheduler. A thrown exception becomes a failed result.
participant_actor spawn_participant(actor_system& sys, std::string id,
                                    execute_fn fn, bool blocking = true);

/// Spawns a participant around an asynchronous `execute`: the handler starts
/// the work and replies when `done` is called (from any thread). A thrown
/// exception becomes a failed result; a callback that never fires is caught
/// by the coordinator's round deadline.
participant_actor spawn_async_participant(actor_system& sys, std::string id,
                                          async_execute_fn fn);

} // namespace caf::consensus::actors

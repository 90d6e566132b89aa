// caf-consensus: the messages and actor interfaces of the actor engine.

#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "caf/atom.hpp"
#include "caf/replies_to.hpp"
#include "caf/typed_actor.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"

namespace caf {
class actor_system_config;
} // namespace caf

namespace caf::consensus::actors {

// -- atoms --------------------------------------------------------------------

/// Asks a participant to execute one request.
using execute_atom = atom_constant<atom("csExec")>;

/// Asks a coordinator to run one consensus.
using run_atom = atom_constant<atom("csRun")>;

/// Private: an asynchronous execute finished.
using done_atom = atom_constant<atom("csDone")>;

/// Private: the deadline of a round expired.
using deadline_atom = atom_constant<atom("csDeadline")>;

// -- interfaces ---------------------------------------------------------------

/// A participant answers one request with one result. Any actor implementing
/// this interface can take part (user agents, synthetic agents, remote ones).
using participant_actor
  = typed_actor<replies_to<execute_atom, request>::with<result>>;

/// A coordinator runs one consensus per `run` request and replies with the
/// final state (or an error for invalid input). `(run_atom, prompt)` uses the
/// parameters the coordinator was spawned with; `(run_atom, prompt, params)`
/// uses the given ones for this run only (e.g. another seed), so that one
/// coordinator can serve runs with different parameters.
using coordinator_actor
  = typed_actor<replies_to<run_atom, std::string>::with<state>,
                replies_to<run_atom, std::string, params>::with<state>>;

// -- execute functions
// ---------------------------------------------------------

/// Synchronous execute: `execute(participant_id, request) -> result`.
using execute_fn
  = std::function<result(const std::string& id, const request& req)>;

/// Completion callback of an asynchronous execute; may be called from any
/// thread, at most once.
using result_callback = std::function<void(result)>;

/// Asynchronous execute: starts the work and calls `done` when finished.
using async_execute_fn = std::function<void(
  const std::string& id, const request& req, result_callback done)>;

/// Registers the message types for use across nodes (call on every node
/// before constructing the actor system).
void add_message_types(actor_system_config& cfg);

} // namespace caf::consensus::actors

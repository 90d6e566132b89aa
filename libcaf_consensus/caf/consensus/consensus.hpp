// caf-consensus: the public API, the C++ counterpart of Python's
// `Consensus` and `run`.

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/messages.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus {

using actors::async_execute_fn;
using actors::execute_fn;
using actors::result_callback;

/// Runs consensus among participants (Python: `Consensus`).
///
///     consensus c{{"a", "b", "c"}, execute, params{}};
///     auto st = c.run("What is the best approach?");
///
/// A run uses one participant actor per participant and a coordinator actor
/// that drives the rounds by message passing; `run` blocks until the final
/// state is known. Invalid input is reported before any call is made.
///
/// The actors are reused: after a run the object keeps its coordinator and
/// participants idle for the next `run`, which spawns actors only when no
/// idle set is left. `run` may be called from several threads at once; every
/// concurrent run gets a set of its own, so at most as many sets are kept as
/// runs ever overlapped. Changing a property (`system`, `similarity`,
/// `policy`, `blocking`, or `parameters()` through its mutable reference)
/// stops the idle sets, and the next run spawns actors with the new settings.
/// A set is not reused after a run with a failed or timed-out call (its
/// participant may be gone or still busy) or once any of its actors
/// terminated. The destructor stops every idle actor. Properties must not
/// change while a `run` is in progress.
class consensus {
public:
  // -- member types -----------------------------------------------------------

  /// Observer of the actors that `run` spawns: called with the coordinator
  /// and the participants (aligned with the participant ids) of every new
  /// set, before its first run. Keep addresses (`actor_addr`) rather than
  /// handles beyond the call: a private actor system waits in its destructor
  /// until every detached actor is destroyed.
  using spawn_observer
    = std::function<void(const actors::coordinator_actor&,
                         const std::vector<actors::participant_actor>&)>;

  // -- constructors -----------------------------------------------------------

  /// Participants call a synchronous `execute`. By default each participant
  /// actor runs on its own thread so that a blocking `execute` never stalls
  /// the scheduler; `blocking(false)` runs them on the scheduler instead.
  consensus(std::vector<std::string> participants, execute_fn execute,
            params ps = {});

  /// Participants call an asynchronous `execute`.
  consensus(std::vector<std::string> participants, async_execute_fn execute,
            params ps = {});

  ~consensus();

  consensus(consensus&&) noexcept;
  consensus& operator=(consensus&&) noexcept;

  // -- properties -------------------------------------------------------------

  /// Runs the actors in `sys` instead of a private actor system.
  consensus& system(actor_system& sys);

  /// Uses another similarity (policy metastable).
  consensus& similarity(std::shared_ptr<const text::similarity> sim);

  /// Uses a user policy instead of `params::policy`.
  consensus& policy(policy::policy_factory factory);

  /// Whether a synchronous `execute` may block (default: true).
  consensus& blocking(bool value);

  /// Calls `f` with every set of actors `run` spawns (for monitoring and
  /// tests; does not stop the idle sets).
  consensus& observe_spawns(spawn_observer f);

  const params& parameters() const noexcept {
    return ps_;
  }

  params& parameters() noexcept {
    return ps_;
  }

  // -- running ----------------------------------------------------------------

  /// Checks participants and parameters without calling anyone.
  error validate() const;

  /// Runs one consensus on `prompt` and blocks until it is done. Reuses an
  /// idle set of actors or spawns one.
  expected<state> run(const std::string& prompt);

  /// Returns the number of idle actor sets kept for the next runs.
  size_t idle_sets() const;

  /// Spawns fresh participants and a coordinator in `sys` and returns the
  /// coordinator (the asynchronous form for callers that are actors):
  ///
  ///     self->request(c.spawn(sys), infinite, actors::run_atom::value, q)
  ///       .then([](state& st) { ... });
  ///
  /// The participants exit when the coordinator does (they are linked).
  actors::coordinator_actor spawn(actor_system& sys) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::vector<std::string> participants_;
  params ps_;
};

/// Runs one consensus (Python: `run`).
expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants, execute_fn execute,
                    params ps = {});

/// Runs one consensus with an asynchronous `execute`.
expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants,
                    async_execute_fn execute, params ps = {});

/// Python-style names.
using Consensus = consensus;
using Result = result;
using State = state;
using Params = params;

} // namespace caf::consensus

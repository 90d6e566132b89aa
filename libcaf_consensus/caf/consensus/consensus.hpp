// caf-consensus: the public API, the C++ counterpart of Python's
// `Consensus` and `run`.

#pragma once

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
/// Every run spawns one participant actor per participant and a coordinator
/// actor that drives the rounds by message passing. `run` blocks until the
/// final state is known. Invalid input is reported before any call is made.
class consensus {
public:
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

  const params& parameters() const noexcept {
    return ps_;
  }

  params& parameters() noexcept {
    return ps_;
  }

  // -- running ----------------------------------------------------------------

  /// Checks participants and parameters without calling anyone.
  error validate() const;

  /// Runs one consensus on `prompt` and blocks until it is done.
  expected<state> run(const std::string& prompt);

  /// Spawns the participants and a coordinator in `sys` and returns the
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

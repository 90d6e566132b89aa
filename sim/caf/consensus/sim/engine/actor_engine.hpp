// caf-consensus sim: the actor engine, which runs replicates on CAF actors and
// keeps them between runs of a cell.

#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "caf/expected.hpp"
#include "caf/fwd.hpp"

#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

/// Runs replicates on the actor engine and keeps its actors between runs: a
/// coordinator, one participant per agent of the cell it ran last and a
/// driver that sends the coordinator one run after another. The
/// participants read the run's agent seed from a context that the driver
/// sets before each run, and the coordinator gets every run's parameters
/// (with its seed) with the run message, so all replicates of a cell run on
/// the same actors; a run of another cell stops them and spawns new ones.
/// Results are the same as with fresh actors per run (and as the inline
/// engine's). Not thread-safe: one engine per blocking actor. The destructor
/// stops the actors.
class actor_engine {
public:
  /// Runs on `self`, which sends the run messages and blocks for the replies
  /// (its actor system hosts the engine's actors).
  explicit actor_engine(blocking_actor* self);

  /// Runs on the thread of `self` with the actors in `home`'s system: the
  /// engine sends the runs and blocks for the replies through an actor of
  /// `home` that it keeps, so that the runs' messages stay on `home`'s
  /// thread. The destructor points the thread's CAF logger back to `self`'s
  /// system (spawning into `home` pointed it to `home`'s, and `home`'s
  /// destructor waits until no thread points to it).
  actor_engine(blocking_actor* self, std::shared_ptr<actor_home> home);

  ~actor_engine();

  actor_engine(const actor_engine&) = delete;
  actor_engine& operator=(const actor_engine&) = delete;

  /// Runs `cell` with run seed `seed` (as `run_state` does). `owner` owns
  /// `cell` (e.g. its sweep plan; may be null when `cell` outlives the
  /// engine): the engine holds it while its actors serve `cell`, so another
  /// cell allocated at the same address later is never taken for it.
  expected<state> run(const scenario& cell, const rng::seed& seed,
                      std::shared_ptr<const void> owner = nullptr);

  /// Runs `cell` once per seed in `seeds`, one run after another, and
  /// returns the states in that order (or the first error). The caller
  /// blocks once for the whole series.
  expected<std::vector<state>>
  run_many(const scenario& cell, const std::vector<rng::seed>& seeds,
           std::shared_ptr<const void> owner = nullptr);

  /// Stops the actors (the next run spawns new ones).
  void reset();

  /// Returns how many times the engine spawned actors.
  uint64_t spawns() const noexcept;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace caf::consensus::sim

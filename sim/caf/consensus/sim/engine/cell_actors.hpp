// caf-consensus sim: the actors that run the replicates of one cell (a
// coordinator and one participant per agent), kept between its runs.

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "caf/fwd.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim {

/// A coordinator and one participant per agent of a cell, spawned in one
/// actor system and kept while the runs belong to that cell. The
/// participants read the agent seed of the current run from `set_run`, so
/// all replicates of a cell run on the same actors: send the coordinator a
/// run only after `set_run` and the next `set_run` only after its reply.
/// Results are the same as with fresh actors per run (and as the inline
/// engine's). Not thread-safe: one owner sends the runs. The destructor
/// stops the actors.
class cell_actors {
public:
  cell_actors();

  ~cell_actors();

  cell_actors(const cell_actors&) = delete;
  cell_actors& operator=(const cell_actors&) = delete;

  /// Makes sure the actors serve `cell` (owned by `owner`, which they hold
  /// meanwhile, so that another cell allocated at the same address later is
  /// never taken for it; the participants hold it until they are gone):
  /// keeps them if they do and none terminated, else stops them and spawns
  /// new ones in `sys` (then drops the calling thread's CAF logger, which
  /// spawning set). Returns whether it spawned.
  bool serve(actor_system& sys, const scenario& cell,
             std::shared_ptr<const void> owner);

  /// Sets the agent seed of the next run (`agents_seed(run seed)`). Only
  /// while serving a cell (after `serve`).
  void set_run(uint64_t agent_seed);

  /// Returns a function that does what `set_run` does, from any thread (it
  /// holds what the participants read, not the actors). Only while serving a
  /// cell.
  std::function<void(uint64_t)> run_setter() const;

  /// Returns the coordinator (null when stopped).
  const actors::coordinator_actor& coordinator() const noexcept;

  /// Returns the agents of the cell served (empty when stopped).
  const std::vector<agent>& agents() const noexcept;

  /// Counts `x` among the actors whose end makes the next `serve` spawn new
  /// ones (e.g. an actor that drives the runs). Only while serving a cell.
  void watch(const actor& x);

  /// Stops the actors (the next `serve` spawns new ones).
  void stop();

  /// Returns how many times actors were spawned.
  uint64_t spawns() const noexcept;

private:
  struct context;
  std::shared_ptr<context> ctx_;
  std::shared_ptr<const void> owner_;
  actors::coordinator_actor coord_;
  std::vector<actors::participant_actor> handles_;
  /// Set when any of the actors terminated.
  std::shared_ptr<std::atomic<bool>> dead_;
  uint64_t spawns_ = 0;
};

} // namespace caf::consensus::sim

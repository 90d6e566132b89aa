// caf-consensus sim: one run of a resolved cell: its seeds, its parameters and
// the engine that executes it.

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

/// Which engine executes the runs. Both give byte-identical results.
enum class engine_kind : uint8_t {
  /// Participants are CAF actors driven by the coordinator actor.
  actors,
  /// The same policy code and agent models called directly.
  inline_calls,
};

std::string to_string(engine_kind x);

/// Runs `cell` with run seed `seed` on the inline engine (the policy code and
/// agent models called directly).
expected<state> run_inline(const scenario& cell, const rng::seed& seed);

/// The same with the cell's agents made beforehand (`make_agents(cell)`,
/// shared by all runs of the cell): a sweep makes them once per cell.
expected<state> run_inline(const scenario& cell, const rng::seed& seed,
                           const std::vector<agent>& agents);

/// Runs one replicate of a resolved cell and returns the final state. The
/// run's `params::seed` is the run seed; the agents draw from
/// `rng::derive(run_seed, {hash_name("agents")})`. `sys` is required for
/// `engine_kind::actors`; with a `home` the run's actors live in its system
/// (as in a sweep), else in `sys`.
expected<state> run_state(const scenario& cell, uint64_t cell_index,
                          uint64_t replicate, engine_kind engine,
                          actor_system* sys,
                          std::shared_ptr<actor_home> home = nullptr);

} // namespace caf::consensus::sim

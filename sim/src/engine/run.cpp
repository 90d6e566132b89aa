// caf-consensus sim: one run of a resolved cell, inline or on actors.

#include "caf/consensus/sim/engine/run.hpp"

#include "caf/scoped_actor.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"

namespace caf::consensus::sim {

std::string to_string(engine_kind x) {
  return x == engine_kind::actors ? "actors" : "inline";
}

expected<state> run_inline(const scenario& cell, const rng::seed& seed) {
  return run_inline(cell, seed, make_agents(cell));
}

expected<state> run_inline(const scenario& cell, const rng::seed& seed,
                           const std::vector<agent>& agents) {
  std::vector<std::string> ids;
  ids.reserve(agents.size());
  for (auto& a : agents)
    ids.push_back(a.id);
  auto eng = engine::make(cell.prompt, std::move(ids), run_params(cell, seed));
  if (!eng)
    return std::move(eng.error());
  auto aseed = agents_seed(seed);
  auto st = consensus::run_inline(*eng, [&](const request& req) {
    return answer(cell.world, agents[req.index], aseed, req);
  });
  if (auto why = unrecorded_call(st); !why.empty())
    return make_error(errc::invalid_params, "unrecorded call: " + why);
  return st;
}

expected<state> run_state(const scenario& cell, uint64_t cell_index,
                          uint64_t replicate, engine_kind engine,
                          actor_system* sys, std::shared_ptr<actor_home> home) {
  auto seed = run_seed(cell, cell_index, replicate);
  if (engine == engine_kind::inline_calls)
    return run_inline(cell, seed);
  if (sys == nullptr)
    return make_error(errc::invalid_params,
                      "the actor engine needs an actor system");
  scoped_actor self{*sys};
  actor_engine eng{self.ptr(), std::move(home)};
  return eng.run(cell, seed);
}

} // namespace caf::consensus::sim

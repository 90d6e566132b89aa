// caf-consensus sim: plain majority vote at the calls a run spent.

#include "caf/consensus/sim/engine/equal_calls.hpp"

#include "caf/consensus/detail/plurality.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"

namespace caf::consensus::sim {

std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls) {
  return equal_calls_label(cell, seed, calls, make_agents(cell));
}

std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls,
                              const std::vector<agent>& agents) {
  if (agents.empty() || calls == 0)
    return {};
  auto aseed = agents_seed(seed);
  auto n = static_cast<uint64_t>(agents.size());
  detail::plurality tally;
  request req;
  req.prompt = cell.prompt;
  req.query = cell.prompt;
  for (uint64_t c = 0; c < calls; ++c) {
    auto& a = agents[c % n];
    req.participant = a.id;
    req.index = a.index;
    req.round = static_cast<int32_t>(c / n);
    auto label = answer_label(cell.world, a, aseed, req);
    if (label && !label->empty())
      tally.add(*label);
  }
  return tally.empty() ? std::string{} : tally.key(tally.leader());
}

} // namespace caf::consensus::sim

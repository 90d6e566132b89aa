// caf-consensus sim: plain majority vote at the calls a run spent.

#include "caf/consensus/sim/engine/equal_calls.hpp"

#include <algorithm>

#include "caf/consensus/detail/plurality.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"

namespace caf::consensus::sim {

namespace {

/// Votes of the plain calls `first` up to `calls` (see `equal_calls_label`).
void ask_again(const scenario& cell, const rng::seed& seed, uint64_t first,
               uint64_t calls, const std::vector<agent>& agents,
               detail::plurality& tally) {
  auto aseed = agents_seed(seed);
  auto n = static_cast<uint64_t>(agents.size());
  request req;
  req.prompt = cell.prompt;
  req.query = cell.prompt;
  for (uint64_t c = first; c < calls; ++c) {
    auto& a = agents[c % n];
    req.participant = a.id;
    req.index = a.index;
    req.round = static_cast<int32_t>(c / n);
    auto label = answer_label(cell.world, a, aseed, req);
    if (label && !label->empty())
      tally.add(*label);
  }
}

bool any_empty(const std::vector<std::string>& xs) {
  return std::any_of(xs.begin(), xs.end(),
                     [](const std::string& x) { return x.empty(); });
}

/// Whether `run`'s round-0 responses carry the labels that the plain calls
/// 0 to n - 1 give. A plain call asks what the run asked in round 0 (the
/// prompt alone, same agent, same streams), but the engine fills an empty
/// label from the answer's text where the policy votes on labels, and
/// recorded agents answer from their trace: so only synthetic agents whose
/// every round-0 label (a draw from the group's or the scenario's labels,
/// the ground truth, the wrong label) is non-empty qualify.
bool round0_recorded(const scenario& cell, const state& run,
                     const std::vector<agent>& agents) {
  auto& w = cell.world;
  if (w.ground_truth.empty() || any_empty(w.labels)
      || run.participants.size() != agents.size()
      || run.responses.size() != agents.size())
    return false;
  for (size_t i = 0; i < agents.size(); ++i) {
    auto* g = agents[i].group;
    if (g == nullptr || g->kind != agent_kind::synthetic || any_empty(g->labels)
        || run.participants[i] != agents[i].id || run.responses[i].empty()
        || run.responses[i].front().round != 0)
      return false;
  }
  return true;
}

} // namespace

std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls) {
  return equal_calls_label(cell, seed, calls, make_agents(cell));
}

std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              uint64_t calls,
                              const std::vector<agent>& agents) {
  if (agents.empty() || calls == 0)
    return {};
  detail::plurality tally;
  ask_again(cell, seed, 0, calls, agents, tally);
  return tally.empty() ? std::string{} : tally.key(tally.leader());
}

std::string equal_calls_label(const scenario& cell, const rng::seed& seed,
                              const state& run,
                              const std::vector<agent>& agents) {
  if (agents.empty() || run.calls == 0)
    return {};
  if (!round0_recorded(cell, run, agents))
    return equal_calls_label(cell, seed, run.calls, agents);
  detail::plurality tally;
  auto first = std::min<uint64_t>(run.calls, agents.size());
  for (size_t i = 0; i < first; ++i) {
    auto& r = run.responses[i].front();
    if (r.ok && !r.label.empty())
      tally.add(r.label);
  }
  ask_again(cell, seed, first, run.calls, agents, tally);
  return tally.empty() ? std::string{} : tally.key(tally.leader());
}

} // namespace caf::consensus::sim

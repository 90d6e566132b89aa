// caf-consensus sim: the whole-scenario check.

#include "caf/consensus/sim/scenario/internal/check.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"
#include "caf/consensus/text/pattern.hpp"

namespace caf::consensus::sim::scenario_internal {

namespace {

/// Maps a policy's validation message (`k must be >= 1 ...`) to its key.
std::string blame_param(const std::string& msg) {
  auto word = msg.substr(0, msg.find(' '));
  if (word == "timeout")
    return "params.timeout_ms";
  auto& keys = param_keys();
  if (std::find(keys.begin(), keys.end(), word) != keys.end())
    return "params." + word;
  return "policy";
}

} // namespace

void check_each(const params& ps, const std::vector<agent_group>& groups,
                const agent_world& world, const check_scope& scope,
                const issue_sink& f) {
  // `emit` returns whether to go on.
  auto emit = [&](std::string key, std::string problem) {
    return f(issue{std::move(key), std::move(problem)});
  };
  auto& labels = world.labels;
  auto is_label = [&](const std::string& x) {
    return std::find(labels.begin(), labels.end(), x) != labels.end();
  };
  if (scope.labels && !is_label(world.ground_truth)
      && !emit("ground_truth",
               "unknown label " + quote(world.ground_truth) + accepted(labels)))
    return;
  uint64_t total = 0;
  for (auto& g : groups)
    total += g.count;
  if (scope.agents && groups.empty()) {
    emit("agents", "expected at least one group");
    return;
  }
  // Every round shows each agent min(k, agents - 1) peer texts: bound the
  // work and memory of one run, so that a file cannot ask for a run that
  // never ends (100,000 agents with k = 2^31 - 1 are 10^10 texts a round).
  if (scope.params && scope.agents && ps.rounds > 0 && ps.k > 1 && total > 1
      && total <= max_agents) {
    auto k = std::min<uint64_t>(static_cast<uint64_t>(ps.k), total - 1);
    auto per_round = total * k; // total <= 10^5, k < 10^5: no overflow
    auto rounds = static_cast<uint64_t>(ps.rounds);
    auto per_run = per_round > max_peer_views_per_run / rounds
                     ? max_peer_views_per_run + 1
                     : per_round * rounds;
    if (per_round > max_peer_views_per_round) {
      if (!emit("params.k",
                std::to_string(total) + " agents x min(k, agents - 1) = "
                  + std::to_string(per_round)
                  + " peer texts per round, more than the cap of "
                  + std::to_string(max_peer_views_per_round)
                  + " (about 1.8 GB); lower k or the number of agents"))
        return;
    } else if (per_run > max_peer_views_per_run
               && !emit("params.rounds",
                        std::to_string(per_round) + " peer texts per round x "
                          + std::to_string(ps.rounds)
                          + " rounds, more than the cap of "
                          + std::to_string(max_peer_views_per_run)
                          + " per run; lower rounds, k or the number of "
                            "agents")) {
      return;
    }
  }
  // Agent ids are `name` (count 1) or `name-1` .. `name-N`: a group of one
  // named `X-N` collides with group X if X has N agents or more. Only index
  // the names when such a group exists.
  std::unordered_map<std::string, size_t> by_name;
  auto id_like = [](const agent_group& g) {
    auto dash = g.name.rfind('-');
    return g.count == 1 && dash != std::string::npos && dash + 1 < g.name.size()
           && g.name[dash + 1] != '0' && is_int_text(g.name.substr(dash + 1));
  };
  if (scope.agents && std::any_of(groups.begin(), groups.end(), id_like))
    for (size_t i = 0; i < groups.size(); ++i)
      by_name.emplace(groups[i].name, i);
  uint64_t sum = 0;
  bool over_cap = false;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i < scope.bad_groups.size() && scope.bad_groups[i])
      continue;
    auto& g = groups[i];
    auto path = [i] { return "agents[" + std::to_string(i) + "]"; };
    sum += g.count;
    if (scope.agents && !over_cap && sum > max_agents) {
      over_cap = true;
      if (!emit(path() + ".count", "the scenario has " + std::to_string(total)
                                     + " agents, more than the cap of "
                                     + std::to_string(max_agents)))
        return;
    }
    if (scope.agents && id_like(g)) {
      auto dash = g.name.rfind('-');
      auto n = parse_int<uint64_t>(g.name.substr(dash + 1));
      auto j = by_name.find(g.name.substr(0, dash));
      if (n && j != by_name.end() && groups[j->second].count > 1
          && *n <= groups[j->second].count
          && !emit(path() + ".name", "agent id " + quote(g.name) + " of group "
                                       + quote(groups[j->second].name)
                                       + " collides with this group's name"))
        return;
    }
    auto& lat = g.latency;
    if (lat.type == latency_model::kind::uniform && lat.a > lat.b
        && !emit(path() + ".latency.max_ms", "max_ms (" + num(lat.b)
                                               + ") must be >= min_ms ("
                                               + num(lat.a) + ")"))
      return;
    if (lat.type == latency_model::kind::empirical && lat.values.empty()
        && !emit(path() + ".latency.values_ms", "expected at least one value"))
      return;
    auto& tok = g.tokens;
    if (tok.type == latency_model::kind::uniform && tok.a > tok.b
        && !emit(path() + ".tokens.max", "max (" + num(tok.b)
                                           + ") must be >= min (" + num(tok.a)
                                           + ")"))
      return;
    double weights = 0;
    for (size_t j = 0; j < g.labels.size(); ++j) {
      if (scope.labels && !is_label(g.labels[j])
          && !emit(path() + ".answers." + g.labels[j],
                   "unknown label " + quote(g.labels[j]) + accepted(labels)))
        return;
      weights += g.weights[j];
    }
    if ((g.labels.empty() || !(weights > 0) || !std::isfinite(weights))
        && !emit(path() + ".answers",
                 "the weights must sum to a positive finite number"))
      return;
    if (g.fail + g.no_answer > 1
        && !emit(path() + ".faults", "fail + no_answer must be <= 1, got "
                                       + num(g.fail) + " + "
                                       + num(g.no_answer)))
      return;
    if (!scope.labels)
      continue;
    if (!g.wrong_label.empty()) {
      if (!is_label(g.wrong_label)) {
        if (!emit(path() + ".wrong_label",
                  "unknown label " + quote(g.wrong_label) + accepted(labels)))
          return;
      } else if (g.wrong_label == world.ground_truth
                 && !emit(path() + ".wrong_label",
                          "must differ from the ground truth "
                            + quote(world.ground_truth))) {
        return;
      }
    } else if ((g.refine == behaviour::fixed_wrong
                || g.refine == behaviour::flip_flop)
               && labels.size() < 2
               && !emit(path() + ".behaviour",
                        "behaviour "
                          + std::string{g.refine == behaviour::fixed_wrong
                                          ? "fixed-wrong"
                                          : "flip-flop"}
                          + " needs a label other than the ground truth "
                          + quote(world.ground_truth))) {
      return;
    }
  }
  if (!scope.params)
    return;
  auto pol = policy::make(ps.policy);
  if (!pol) {
    if (!emit("policy",
              "unknown policy " + quote(ps.policy) + accepted(policy::names())))
      return;
  } else if (scope.agents && !over_cap) {
    if (auto err = (*pol)->validate(ps, static_cast<size_t>(total))) {
      auto msg = context_text(err);
      if (!emit(blame_param(msg), msg))
        return;
    }
  }
  if (ps.extractor == extractor_kind::regex) {
    if (ps.extractor_pattern.empty()) {
      emit("params.extractor",
           "extractor 'regex' needs a non-empty extractor_pattern");
    } else if (auto why = text::pattern_error(ps.extractor_pattern);
               !why.empty()) {
      emit("params.extractor_pattern", "not a valid regex: " + why);
    }
  }
}

std::optional<issue> check(const params& ps,
                           const std::vector<agent_group>& groups,
                           const agent_world& world) {
  std::optional<issue> out;
  check_each(ps, groups, world, check_scope{}, [&](issue x) {
    out = std::move(x);
    return false;
  });
  return out;
}

} // namespace caf::consensus::sim::scenario_internal

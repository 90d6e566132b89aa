// The parameter rules that follow from the formulas: hanzo's finalization
// bound (beta_2 < beta_1/2 + 1/2) and snowball's liveness bound
// (alpha_confidence <= k - f).

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/advice/internal/advisor.hpp"
#include "caf/consensus/sim/advice/internal/format.hpp"
#include "caf/consensus/sim/advice/internal/verdicts.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim::advice_detail {

scenario advisor::unanimous_population() const {
  auto s = pop_;
  s.sweep.clear();
  s.groups.clear();
  agent_group g;
  g.name = "agent";
  g.count = static_cast<uint32_t>(participant_ids(pop_).size());
  g.latency.type = latency_model::kind::constant;
  g.latency.a = 0;
  g.labels = {pop_.world.ground_truth};
  g.weights = {1.0};
  g.refine = behaviour::stubborn;
  g.noise = 0;
  s.groups.push_back(std::move(g));
  return s;
}

error advisor::rule_hanzo() {
  claim_outcome c{"rule.hanzo-bound",
                  "hanzo can finalize only when beta_2 < beta_1/2 + 1/2 "
                  "(beta_1 <= 1)",
                  "finalize rate and highest score at beta_2 = beta_1/2 + "
                  "1/2, beta_1 in {0.3, 0.5, 0.7, 0.9}, rounds 10",
                  "hanzo",
                  {},
                  {},
                  {}};
  std::vector<std::pair<std::string, scenario>> pops{
    {"identical instant answers (best case)", unanimous_population()},
    {"the population", pop_}};
  for (auto& [name, p] : pops) {
    uint64_t at_hits = 0;
    uint64_t at_n = 0;
    uint64_t below_hits = 0;
    uint64_t below_n = 0;
    double worst_gap = -1; // max over beta_1 of (highest score - bound)
    std::string worst;
    for (double b1 : {0.3, 0.5, 0.7, 0.9}) {
      auto bound = b1 / 2 + 0.5;
      char buf_at[32];
      char buf_below[32];
      std::snprintf(buf_at, sizeof(buf_at), "%.17g", bound);
      std::snprintf(buf_below, sizeof(buf_below), "%.17g", bound - 0.1);
      auto s = p;
      s.ps = params{};
      s.ps.policy = "hanzo";
      s.ps.rounds = 10;
      s.ps.beta_1 = b1;
      s.ps.timeout_ms = pop_.ps.timeout_ms;
      s.world.timeout_ms = s.ps.timeout_ms;
      auto r = sweep(s, "beta_2", {buf_below, buf_at}, rule_seeds_,
                     advice_sweep{"hanzo-bound",
                                  "hanzo",
                                  name + ", beta_1 = " + format_num(b1, 1),
                                  "",
                                  {}});
      if (!r)
        return std::move(r.error());
      auto& below = r->cells[0];
      auto& at = r->cells[1];
      at_hits += at.sum.finalize_rate().hits;
      at_n += at.runs.size();
      below_hits += below.sum.finalize_rate().hits;
      below_n += below.runs.size();
      double top = 0;
      for (auto* cell : {&below, &at})
        for (auto& x : cell->runs)
          top = std::max(top, x.score);
      if (top - bound > worst_gap) {
        worst_gap = top - bound;
        worst = "highest score " + format_num(top, 4) + " at beta_1 = "
                + format_num(b1, 1) + " (bound " + format_num(bound, 2) + ")";
      }
      keep(*r);
    }
    condition_outcome o;
    o.condition = name;
    auto at_rate = wilson(at_hits, at_n);
    effect e;
    e.valid = at_n > 0;
    e.value = at_rate.value;
    e.lo = at_rate.lo;
    e.hi = at_rate.hi;
    e.n = at_n;
    e.method = "Wilson";
    o.effects.emplace_back("finalize rate at beta_2 = bound", e);
    auto below_rate = wilson(below_hits, below_n);
    effect eb;
    eb.valid = below_n > 0;
    eb.value = below_rate.value;
    eb.lo = below_rate.lo;
    eb.hi = below_rate.hi;
    eb.n = below_n;
    eb.method = "Wilson";
    o.effects.emplace_back("finalize rate at beta_2 = bound - 0.1", eb);
    o.v = at_hits == 0 && worst_gap < 0 ? verdict::holds
                                        : verdict::does_not_hold;
    o.note = std::to_string(at_hits) + " of " + std::to_string(at_n)
             + " runs finalized at the bound; " + worst;
    c.conditions.push_back(std::move(o));
  }
  report_.claims.push_back(finish(std::move(c)));
  return {};
}

scenario advisor::snowball_population(uint32_t failing) const {
  auto s = pop_;
  s.sweep.clear();
  s.groups.clear();
  auto n = static_cast<uint32_t>(participant_ids(pop_).size());
  agent_group live;
  live.name = "live";
  live.count = n - failing;
  live.latency.type = latency_model::kind::constant;
  live.latency.a = 100;
  live.labels = {pop_.world.ground_truth};
  live.weights = {1.0};
  live.refine = behaviour::stubborn;
  s.groups.push_back(live);
  if (failing > 0) {
    auto dead = live;
    dead.name = "failing";
    dead.count = failing;
    dead.fail = 1.0;
    s.groups.push_back(dead);
  }
  s.ps = params{};
  s.ps.policy = "snowball";
  s.ps.rounds = 20;
  s.ps.beta = 3;
  s.ps.alpha_preference = 1;
  s.ps.timeout_ms = pop_.ps.timeout_ms;
  s.world.timeout_ms = s.ps.timeout_ms;
  return s;
}

error advisor::rule_snowball() {
  auto n = static_cast<int>(participant_ids(pop_).size());
  claim_outcome c{"rule.snowball-liveness",
                  "snowball: no participant can decide when "
                  "alpha_confidence > k - f (f = failing agents)",
                  "share of runs in which every live agent decided (20 "
                  "rounds, beta 3), per k, f and alpha_confidence",
                  "snowball",
                  {},
                  {},
                  {}};
  struct cond {
    std::string name;
    int k;
  };
  std::vector<cond> conds{
    {"k = n - 1 = " + std::to_string(n - 1) + " (every peer polled)", n - 1}};
  if (n - 1 > 3)
    conds.push_back(
      {"k = 3 of " + std::to_string(n - 1) + " peers (random polls)", 3});
  for (auto& cd : conds) {
    uint64_t dead_hits = 0;
    uint64_t dead_n = 0;
    uint64_t live_hits = 0;
    uint64_t live_n = 0;
    bool live_ok = true;
    int max_f = std::min(3, n - 2);
    for (int f = 0; f <= max_f; ++f) {
      std::vector<std::string> alphas;
      for (int a = std::max(1, cd.k - 3); a <= cd.k; ++a)
        alphas.push_back(std::to_string(a));
      auto s = snowball_population(static_cast<uint32_t>(f));
      s.ps.k = cd.k;
      auto r = sweep(s, "alpha_confidence", alphas, rule_seeds_,
                     advice_sweep{"snowball-liveness",
                                  "snowball",
                                  cd.name + ", f = " + std::to_string(f),
                                  "",
                                  {}});
      if (!r)
        return std::move(r.error());
      for (auto& cell : r->cells) {
        auto a = std::stoi(cell.value);
        uint64_t decided = 0;
        for (auto& x : cell.runs)
          if (x.all_decided)
            ++decided;
        if (a > cd.k - f) {
          dead_hits += decided;
          dead_n += cell.runs.size();
        } else {
          live_hits += decided;
          live_n += cell.runs.size();
          if (!(wilson(decided, cell.runs.size()).lo > 0.5))
            live_ok = false;
        }
      }
      keep(*r);
    }
    condition_outcome o;
    o.condition = cd.name;
    auto to_effect = [](uint64_t hits, uint64_t total) {
      auto w = wilson(hits, total);
      effect e;
      e.valid = total > 0;
      e.value = w.value;
      e.lo = w.lo;
      e.hi = w.hi;
      e.n = total;
      e.method = "Wilson";
      return e;
    };
    o.effects.emplace_back("decided share where alpha > k - f",
                           to_effect(dead_hits, dead_n));
    o.effects.emplace_back("decided share where alpha <= k - f",
                           to_effect(live_hits, live_n));
    if (dead_hits == 0 && live_ok) {
      o.v = verdict::holds;
      o.note = "no run decided where alpha > k - f; runs decided where "
               "alpha <= k - f";
    } else {
      o.v = verdict::does_not_hold;
      o.note = dead_hits > 0
                 ? std::to_string(dead_hits) + " of " + std::to_string(dead_n)
                     + " runs decided although alpha > k - f (polls that "
                       "miss the failing agents still succeed)"
                 : "some cells with alpha <= k - f did not decide";
    }
    c.conditions.push_back(std::move(o));
  }
  report_.claims.push_back(finish(std::move(c)));
  return {};
}

} // namespace caf::consensus::sim::advice_detail

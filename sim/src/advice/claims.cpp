// The published advice put to the test, per policy: each claim's sweep and
// how its verdict is computed (rounds, k, beta_2, diverse participants).

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/advice/internal/advisor.hpp"
#include "caf/consensus/sim/advice/internal/format.hpp"
#include "caf/consensus/sim/advice/internal/verdicts.hpp"

namespace caf::consensus::sim::advice_detail {

namespace {

/// A condition the round claims are measured under.
struct condition_def {
  std::string name;
  double beta_1;
};

/// Early stop on and off for the policies that stop early (metastable,
/// hanzo); default parameters otherwise.
std::vector<condition_def> round_conditions(const std::string& policy) {
  if (policy == "metastable" || policy == "hanzo")
    return {{"beta_1 = 0.5 (default: early stop)", 0.5},
            {"beta_1 = 1.01 (early stop off)", 1.01}};
  return {{"default parameters", params{}.beta_1}};
}

/// "Start with 3 rounds": holds when rounds beyond 3 add less than 0.02
/// accuracy and fewer rounds lose accuracy.
condition_outcome start_with_3(const std::string& condition,
                               const cell_runs& c1, const cell_runs& c3,
                               const cell_runs& c5) {
  condition_outcome out;
  out.condition = condition;
  auto gain = paired(c3, c5, metric::accuracy);
  auto loss = paired(c1, c3, metric::accuracy);
  out.effects.emplace_back("accuracy, 3 -> 5 (what more rounds add)", gain);
  out.effects.emplace_back("accuracy, 1 -> 3 (what starting at 3 adds)", loss);
  auto cost = paired(c1, c3, metric::calls);
  out.effects.emplace_back("calls, 1 -> 3 (what starting at 3 costs)", cost);
  constexpr double delta = 0.02;
  if (!gain.valid || !loss.valid) {
    out.v = verdict::not_testable;
    out.note = "cannot be measured here";
  } else if (gain.hi < delta && loss.lo > 0) {
    out.v = verdict::holds;
    out.note = "rounds beyond 3 add less than " + format_num(delta, 2)
               + " accuracy, and fewer rounds lose accuracy";
  } else if (gain.lo > 0) {
    out.v = verdict::does_not_hold;
    out.note = "more than 3 rounds still add accuracy";
  } else if (loss.hi < delta) {
    out.v = verdict::does_not_hold;
    out.note = "3 rounds add less than " + format_num(delta, 2)
               + " accuracy over 1 round";
    if (cost.valid && cost.lo > 0)
      out.note += " and cost " + format_num(cost.value, 1)
                  + " more calls per run";
  } else {
    out.v = verdict::inconclusive;
    out.note = "the intervals are too wide to tell";
  }
  return out;
}

} // namespace

error advisor::claims_rounds(const std::string& policy) {
  std::vector<std::string> vals{"1", "2", "3", "4", "5"};
  claim_outcome refine{"rounds.refinement",
                       "more rounds -> more refinement",
                       "rounds executed, rounds 1 -> 5",
                       policy,
                       {},
                       {},
                       {}};
  claim_outcome better{"rounds.better",
                       "more rounds -> better consensus",
                       "accuracy, rounds 1 -> 5",
                       policy,
                       {},
                       {},
                       {}};
  claim_outcome slower{"rounds.slower",
                       "more rounds -> slower",
                       "simulated latency (s), rounds 1 -> 5",
                       policy,
                       {},
                       {},
                       {}};
  claim_outcome start3{"rounds.start3",
                       "start with 3 rounds",
                       "accuracy: rounds 3 -> 5 (gain) and 1 -> 3 (loss "
                       "when starting lower)",
                       policy,
                       {},
                       {},
                       {}};
  bool first = true;
  for (auto& cond : round_conditions(policy)) {
    auto s = base(policy);
    s.ps.beta_1 = cond.beta_1;
    auto r = sweep(s, "rounds", vals, seeds_,
                   advice_sweep{"rounds", policy, cond.name, "", {}});
    if (!r)
      return std::move(r.error());
    auto& c1 = *r->find("1");
    auto& c3 = *r->find("3");
    auto& c5 = *r->find("5");
    refine.conditions.push_back(directional(cond.name, c1, c5, metric::rounds,
                                            direction::up,
                                            "rounds executed, 1 -> 5"));
    better.conditions.push_back(directional(cond.name, c1, c5, metric::accuracy,
                                            direction::up, "accuracy, 1 -> 5"));
    slower.conditions.push_back(directional(cond.name, c1, c5, metric::latency,
                                            direction::up,
                                            "latency (s), 1 -> 5"));
    start3.conditions.push_back(start_with_3(cond.name, c1, c3, c5));
    if (first)
      defaults_[policy] = c3;
    first = false;
    keep(*r);
  }
  report_.claims.push_back(finish(std::move(refine)));
  report_.claims.push_back(finish(std::move(better)));
  report_.claims.push_back(finish(std::move(slower)));
  report_.claims.push_back(finish(std::move(start3)));
  return {};
}

std::vector<std::string> advisor::k_values() const {
  auto n = static_cast<int>(participant_ids(pop_).size());
  std::vector<int> ks{1, 2, 3, (n - 1 + 1) / 2 + 1, n - 1};
  std::vector<std::string> out;
  std::sort(ks.begin(), ks.end());
  ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
  for (auto k : ks)
    if (k >= 1 && k <= n - 1)
      out.push_back(std::to_string(k));
  return out;
}

error advisor::claims_k(const std::string& policy) {
  claim_outcome broader{
    "k.broader", "larger k -> broader agreement", "", policy, {}, {}, {}};
  auto vals = k_values();
  if (vals.size() < 2) {
    condition_outcome c;
    c.condition = "default parameters";
    c.note = "the population is too small to vary k";
    broader.conditions.push_back(c);
    report_.claims.push_back(finish(std::move(broader)));
    return {};
  }
  broader.measure = "agreement (share of agents on the winner's answer), "
                    "k "
                    + vals.front() + " -> " + vals.back();
  auto r = sweep(base(policy), "k", vals, seeds_,
                 advice_sweep{"k", policy, "default parameters", "", {}});
  if (!r)
    return std::move(r.error());
  broader.conditions.push_back(
    directional("default parameters", *r->find(vals.front()),
                *r->find(vals.back()), metric::agreement, direction::up,
                "agreement, k " + vals.front() + " -> " + vals.back()));
  keep(*r);
  report_.claims.push_back(finish(std::move(broader)));
  return {};
}

error advisor::claims_beta_2(const std::string& policy) {
  std::vector<std::string> vals{"0.5", "0.6", "0.7", "0.8", "0.9"};
  auto r = sweep(base(policy), "beta_2", vals, seeds_,
                 advice_sweep{"beta_2", policy, "default parameters", "", {}});
  if (!r)
    return std::move(r.error());
  auto& lo = *r->find("0.5");
  auto& hi = *r->find("0.9");
  claim_outcome fewer{"beta_2.fewer",
                      "higher beta_2 -> stricter finality: fewer "
                      "finalizations",
                      "finalize rate, beta_2 0.5 -> 0.9",
                      policy,
                      {},
                      {},
                      {}};
  fewer.conditions.push_back(directional("default parameters", lo, hi,
                                         metric::finalize, direction::down,
                                         "finalize rate, 0.5 -> 0.9"));
  claim_outcome safer{"beta_2.safer",
                      "higher beta_2 -> stricter finality: more accurate "
                      "finalizations",
                      "accuracy among finalized runs, beta_2 0.5 -> 0.9",
                      policy,
                      {},
                      {},
                      {}};
  {
    condition_outcome c;
    c.condition = "default parameters";
    auto e = safety(lo, hi, opts_.seed);
    c.v = classify(e, direction::up, 0.02);
    c.effects.emplace_back("accuracy among finalized, 0.5 -> 0.9", e);
    if (e.valid)
      c.note = note_for(c.v, e, direction::up, 0.02, "accuracy");
    else if (lo.sum.safety().n == 0 || hi.sum.safety().n == 0)
      c.note = "no finalized run at beta_2 = "
               + std::string{lo.sum.safety().n == 0 ? "0.5" : "0.9"};
    else
      c.note = "too few finalized runs to compare";
    safer.conditions.push_back(std::move(c));
  }
  claim_outcome faster{"beta_2.faster",
                       "lower beta_2 -> faster consensus",
                       "simulated latency (s), beta_2 0.9 -> 0.5",
                       policy,
                       {},
                       {},
                       {}};
  faster.conditions.push_back(directional("default parameters", hi, lo,
                                          metric::latency, direction::down,
                                          "latency (s), 0.9 -> 0.5"));
  keep(*r);
  report_.claims.push_back(finish(std::move(fewer)));
  report_.claims.push_back(finish(std::move(safer)));
  report_.claims.push_back(finish(std::move(faster)));
  return {};
}

error advisor::claims_diversity(const std::string& policy) {
  auto b = base(policy);
  std::vector<std::pair<std::string, scenario>> xs{
    {"homogeneous", derive_population(b, population_kind::homogeneous)},
    {"diverse competence",
     derive_population(b, population_kind::diverse_competence)},
    {"shared errors", derive_population(b, population_kind::shared_errors)},
    {"diverse errors", derive_population(b, population_kind::diverse_errors)}};
  auto r = cells(
    xs, seeds_,
    advice_sweep{"population", policy, "default parameters", "population", {}});
  if (!r)
    return std::move(r.error());
  claim_outcome c{"diversity.better",
                  "diverse participants -> better consensus",
                  "accuracy, homogeneous -> diverse population of equal "
                  "mean accuracy",
                  policy,
                  {},
                  {},
                  {}};
  c.conditions.push_back(directional(
    "diverse competence (accuracies spread, same mean)",
    *r->find("homogeneous"), *r->find("diverse competence"), metric::accuracy,
    direction::up, "accuracy, homogeneous -> diverse"));
  auto wrong = pop_.world.labels.size() - 1;
  if (wrong >= 2) {
    c.conditions.push_back(directional(
      "diverse errors (each agent errs towards its own wrong answer)",
      *r->find("shared errors"), *r->find("diverse errors"), metric::accuracy,
      direction::up, "accuracy, shared errors -> diverse errors"));
  } else {
    condition_outcome na;
    na.condition = "diverse errors";
    na.note = "needs at least two wrong answers";
    c.conditions.push_back(std::move(na));
  }
  keep(*r);
  report_.claims.push_back(finish(std::move(c)));
  return {};
}

} // namespace caf::consensus::sim::advice_detail

// Each policy beside `vote` at the same run seeds: majority after round 0,
// and debate-then-vote at equal calls.

#include <map>
#include <string>

#include "caf/consensus/sim/advice/internal/advisor.hpp"
#include "caf/consensus/sim/advice/internal/verdicts.hpp"
#include "caf/consensus/sim/report/report.hpp"

namespace caf::consensus::sim::advice_detail {

error advisor::baselines_vs_vote() {
  auto n = participant_ids(pop_).size();
  auto vote0 = vote_baseline(base("vote"), 0);
  auto r0 = cells(
    {{"0", vote0}}, seeds_,
    advice_sweep{"baseline", "vote", "majority after round 0", "rounds", {}});
  if (!r0)
    return std::move(r0.error());
  auto& v0 = r0->cells[0];
  std::map<int32_t, cell_runs> budget;
  for (auto& policy : report_.policies) {
    auto i = defaults_.find(policy);
    if (i == defaults_.end())
      continue;
    auto& own = i->second;
    auto rounds = equal_call_rounds(mean_of(own, metric::calls), n);
    if (budget.count(rounds) == 0) {
      auto rb = cells(
        {{std::to_string(rounds), vote_baseline(base("vote"), rounds)}}, seeds_,
        advice_sweep{"baseline", "vote", "equal calls", "rounds", {}});
      if (!rb)
        return std::move(rb.error());
      budget.emplace(rounds, std::move(rb->cells[0]));
    }
    auto& vb = budget.at(rounds);
    baseline_row row;
    row.policy = policy;
    row.calls = own.sum.calls();
    row.accuracy = own.sum.accuracy();
    row.vote0_calls = v0.sum.calls();
    row.vote0_accuracy = v0.sum.accuracy();
    row.vs_vote0 = paired(v0, own, metric::accuracy);
    row.budget_rounds = rounds;
    row.budget_calls = vb.sum.calls();
    row.budget_accuracy = vb.sum.accuracy();
    row.vs_budget = paired(vb, own, metric::accuracy);
    report_.baselines.push_back(std::move(row));
  }
  return {};
}

} // namespace caf::consensus::sim::advice_detail

// Tests: the coordinator checks every batch of results a worker sends back
// (suite check_result).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/internal/dispatcher_state.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::sim::sweep_internal;

namespace {

struct fixture {
  dispatcher_state st;
  batch_info batch;
  batch_result honest;

  fixture() {
    auto sc = load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                            + "/quickstart.yaml");
    if (!sc)
      throw std::runtime_error(render(sc.error()));
    auto plan = make_plan(*sc, engine_kind::inline_calls, true);
    if (!plan)
      throw std::runtime_error(render(plan.error()));
    st.setup.plan = *plan;
    for (auto& cell : (*plan)->cells)
      st.agent_counts.push_back(participant_ids(cell).size());
    auto reps = (*plan)->replicates;
    batch.runs = {reps - 1, reps, reps + 1}; // the end of cell 0, cell 1
    honest.id = 7;
    for (auto idx : batch.runs) {
      auto m = run_indexed(**plan, idx, nullptr);
      if (!m)
        throw std::runtime_error(render(m.error()));
      honest.runs.push_back(std::move(*m));
    }
  }

  std::string check(const batch_result& r) const {
    return check_result(st, 7, batch, r);
  }
};

} // namespace

TEST(check_result, honest_results_pass_and_every_lie_is_named) {
  fixture f;
  EXPECT_EQ(f.check(f.honest), "");
  auto lie = [&](auto change) {
    auto r = f.honest;
    change(r);
    return f.check(r);
  };
  EXPECT_EQ(lie([](batch_result& r) { r.id = 8; }),
            "results for batch 8 in reply to batch 7");
  EXPECT_EQ(lie([](batch_result& r) { r.runs.pop_back(); }),
            "2 results for a batch of 3 runs");
  EXPECT_NE(lie([](batch_result& r) {
              std::swap(r.runs[0], r.runs[1]);
            }).find("result 0 is run (1, 0), expected (0, "),
            std::string::npos);
  EXPECT_NE(lie([](batch_result& r) {
              r.runs[2].seed = 12345;
            }).find("has the wrong seed"),
            std::string::npos);
  EXPECT_NE(lie([](batch_result& r) {
              r.runs[1].agents.pop_back();
            }).find("agent rows"),
            std::string::npos);
  // Per-round data: one entry per executed round, round 0 included.
  auto rounds = lie([](batch_result& r) { r.runs[1].trajectory.pop_back(); });
  EXPECT_NE(rounds.find("rounds of per-round data for"), std::string::npos)
    << rounds;
  EXPECT_NE(lie([](batch_result& r) {
              r.runs[0].rounds_executed = -3;
            }).find("per-round"),
            std::string::npos);
}

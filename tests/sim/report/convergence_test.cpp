// Tests: convergence over rounds from per-round data (suite convergence).

#include <gtest/gtest.h>

#include "caf/consensus/sim/report/convergence.hpp"

using namespace caf::consensus;

namespace {

/// A round with `live` answers, `with_winner` of them the winner's and
/// `with_truth` the truth's.
round_summary round_of(int32_t r, uint32_t live, uint32_t with_winner,
                       uint32_t with_truth) {
  round_summary x;
  x.round = r;
  x.live = x.calls = live;
  x.with_reference = with_winner;
  x.with_truth = with_truth;
  return x;
}

sim::run_metrics run(uint64_t cell, int32_t rounds, bool correct,
                     int32_t decided, std::vector<round_summary> traj,
                     uint64_t calls) {
  sim::run_metrics m;
  m.cell = cell;
  m.rounds = rounds;
  m.rounds_executed = static_cast<int32_t>(traj.size()) - 1;
  m.winner = "a";
  m.winner_correct = correct;
  m.rounds_to_decide = decided;
  m.trajectory = std::move(traj);
  m.calls = calls;
  return m;
}

} // namespace

TEST(convergence, stopped_runs_count_with_their_last_round) {
  sim::convergence_acc acc{2};
  // Cell 0, 3 rounds: a right run that stopped after round 1, and a wrong
  // one that locks in from round 1 on (3 of 4 live agree with its winner).
  acc.add(run(0, 3, true, 1, {round_of(0, 4, 2, 2), round_of(1, 4, 4, 4)}, 8));
  acc.add(run(0, 3, false, -1,
              {round_of(0, 4, 2, 1), round_of(1, 4, 3, 1), round_of(2, 4, 3, 1),
               round_of(3, 4, 3, 1)},
              16));
  // Cell 1 has no runs.
  auto cells = acc.get();
  ASSERT_EQ(cells.size(), 2u);
  auto& c = cells[0];
  EXPECT_EQ(c.runs, 2u);
  ASSERT_EQ(c.with_winner.size(), 4u);
  EXPECT_DOUBLE_EQ(c.with_winner[0].value, 0.5);
  EXPECT_DOUBLE_EQ(c.with_winner[1].value, (1.0 + 0.75) / 2);
  EXPECT_DOUBLE_EQ(c.with_winner[3].value, (1.0 + 0.75) / 2); // carried
  EXPECT_EQ(c.with_winner[3].n, 2u);
  EXPECT_DOUBLE_EQ(c.with_truth[0].value, (0.5 + 0.25) / 2);
  EXPECT_DOUBLE_EQ(c.with_truth[2].value, (1.0 + 0.25) / 2);
  // Decided by round: the first run from round 1 on, the second never.
  EXPECT_EQ(c.decided_by[0].hits, 0u);
  EXPECT_EQ(c.decided_by[1].hits, 1u);
  EXPECT_EQ(c.decided_by[3].hits, 1u);
  EXPECT_EQ(c.decided_by[3].n, 2u);
  // Locked on a wrong answer: half is not more than half.
  EXPECT_EQ(c.locked_wrong[0].hits, 0u);
  EXPECT_EQ(c.locked_wrong[1].hits, 1u);
  EXPECT_EQ(c.locked_wrong[3].hits, 1u);
  EXPECT_EQ(c.accuracy.hits, 1u);
  EXPECT_DOUBLE_EQ(c.calls.value, 12.0);
  EXPECT_EQ(cells[1].runs, 0u);
  // Charts: one series per cell with runs; the cost curve is points.
  auto charts = sim::convergence_charts(cells, {"k=2", "k=3"});
  ASSERT_EQ(charts.size(), 5u);
  EXPECT_EQ(charts[0].first, "convergence_agreement");
  EXPECT_EQ(charts[0].second.panels.size(), 2u);
  for (auto& [name, chart] : charts) {
    EXPECT_EQ(sim::check_chart(chart), "") << name;
    if (name == "reliability") {
      // The dashed diagonal, then one line of confidence bins per cell; a
      // bin needs 10 runs, so these 2 runs draw no line.
      ASSERT_EQ(chart.panels[0].series.size(), 1u) << name;
      EXPECT_TRUE(chart.panels[0].series[0].dashed);
      continue;
    }
    ASSERT_EQ(chart.panels[0].series.size(), 1u) << name;
    EXPECT_EQ(chart.panels[0].series[0].name, "k=2");
  }
  EXPECT_EQ(charts[4].first, "reliability");
  EXPECT_TRUE(charts[3].second.panels[0].series[0].points);
  EXPECT_FALSE(charts[0].second.panels[0].series[0].points);
  // Nothing to show without runs.
  EXPECT_TRUE(
    sim::convergence_charts(sim::convergence_acc{3}.get(), {}).empty());
}

// Tests: the vote baselines (call budgets, same seeds, in the report).

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "sim/report/report_fixture.hpp"

using namespace caf::consensus;
using namespace report_test;
namespace fs = std::filesystem;

TEST(report_baselines, call_budget_rounds) {
  EXPECT_EQ(sim::equal_call_rounds(10.4, 5), 1);
  EXPECT_EQ(sim::equal_call_rounds(5, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(2, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(28, 7), 3);
  EXPECT_EQ(sim::equal_call_rounds(NAN, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(10, 0), 0);
}

TEST(report_baselines, vote_runs_beside_every_cell_with_the_same_seeds) {
  auto res = sim::load_results(quickstart_dir().string());
  ASSERT_TRUE(res);
  auto sc = load("quickstart.yaml", 100);
  auto b = sim::run_baselines(*res, sc, sim::engine_kind::inline_calls, 2);
  ASSERT_TRUE(b) << render(b.error());
  ASSERT_EQ(b->round0.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    // Majority after round 0: one call per agent, no refinement round.
    EXPECT_EQ(b->round0[c].runs, 100u);
    EXPECT_DOUBLE_EQ(b->round0[c].calls.value, 5.0);
    EXPECT_DOUBLE_EQ(b->round0[c].rounds.value, 0.0);
    // The quickstart uses about 10.4 calls: one debate round (10 calls).
    EXPECT_EQ(b->budget_rounds[c], 1);
    EXPECT_DOUBLE_EQ(b->equal_calls[c].calls.value, 10.0);
    EXPECT_GT(b->round0[c].accuracy.value, 0.5);
  }
  // The baseline of a cell does not depend on the cell's beta_2 (vote
  // ignores it), but it does depend on the cell's run seeds: the same seeds
  // give the same numbers, other seeds (almost surely) others.
  auto again = sim::run_baselines(*res, sc, sim::engine_kind::actors, 1);
  ASSERT_TRUE(again);
  for (size_t c = 0; c < 4; ++c)
    EXPECT_EQ(again->round0[c].accuracy.hits, b->round0[c].accuracy.hits);
  // A changed scenario file is refused.
  auto other = sc;
  other.hash = "0000000000000000";
  auto refused = sim::run_baselines(*res, other, sim::engine_kind::inline_calls,
                                    1);
  ASSERT_FALSE(refused);
  EXPECT_NE(render(refused.error()).find("differs from the manifest"),
            std::string::npos);
  // Baselines appear in the charts and the page.
  auto charts = sim::line_charts(*res, &*b);
  ASSERT_EQ(charts.size(), 1u);
  auto& series = charts[0].second.panels[0].series;
  ASSERT_EQ(series.size(), 3u);
  EXPECT_TRUE(series[1].dashed);
  EXPECT_NE(series[1].name.find("round 0"), std::string::npos);
  auto html = sim::report_html(*res, {}, &*b);
  EXPECT_NE(html.find("Baselines"), std::string::npos);
  EXPECT_NE(html.find("vote at equal calls"), std::string::npos);
}

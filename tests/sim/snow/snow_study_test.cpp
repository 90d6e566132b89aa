// Snow studies: thread-independent results, exact intervals, pairing.

#include "caf/consensus/sim/snow/study.hpp"

#include <cmath>

#include <gtest/gtest.h>

using namespace caf::consensus::sim::snow;

namespace {

config study_config() {
  config x;
  x.nodes = 20;
  x.q = quorum{8, 5, 6, 6};
  x.checkpoints = 20;
  return x;
}

} // namespace

TEST(snow_study, results_do_not_depend_on_threads) {
  auto a = run_arm(study_config(), 42, 60, 1);
  auto b = run_arm(study_config(), 42, 60, 3);
  ASSERT_EQ(a.runs.size(), b.runs.size());
  for (size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].steps, b.runs[i].steps);
    EXPECT_EQ(a.runs[i].decided, b.runs[i].decided);
  }
  auto sa = summarize(a);
  auto sb = summarize(b);
  EXPECT_EQ(sa.polls_per_node.mean, sb.polls_per_node.mean);
  EXPECT_EQ(sa.decided_share, sb.decided_share);
}

TEST(snow_study, summary_counts_runs) {
  auto s = summarize(run_arm(study_config(), 1, 50, 2));
  EXPECT_EQ(s.runs, 50u);
  EXPECT_EQ(s.finished.events, 50u);
  EXPECT_EQ(s.disagreement.events, 0u);
  EXPECT_EQ(s.polls_per_node.n, 50u);
  EXPECT_GE(s.polls_per_node.mean, 6.0);
  EXPECT_LT(s.polls_per_node.low, s.polls_per_node.high);
  EXPECT_DOUBLE_EQ(s.decided_share.back(), 1.0);
}

TEST(snow_study, exact_interval_zero_events_is_the_rule_of_three) {
  auto p = exact_proportion(0, 100000);
  EXPECT_NEAR(p.upper_one_sided, 2.9957e-5, 1e-8);
  EXPECT_NEAR(p.upper_one_sided * 100000, 3.0, 0.01);
  EXPECT_EQ(p.low, 0.0);
  EXPECT_NEAR(p.high, 3.689e-5, 1e-8);
}

TEST(snow_study, exact_interval_matches_clopper_pearson_tables) {
  // 5 of 100: [0.01643, 0.11284]; 50 of 100: [0.39832, 0.60168].
  auto p = exact_proportion(5, 100);
  EXPECT_NEAR(p.low, 0.01643, 5e-5);
  EXPECT_NEAR(p.high, 0.11284, 5e-5);
  auto q = exact_proportion(50, 100);
  EXPECT_NEAR(q.low, 0.39832, 5e-5);
  EXPECT_NEAR(q.high, 0.60168, 5e-5);
  auto all = exact_proportion(10, 10);
  EXPECT_NEAR(all.low, std::pow(0.025, 0.1), 1e-12);
  EXPECT_EQ(all.high, 1.0);
}

TEST(snow_study, paired_difference_of_an_arm_with_itself_is_zero) {
  auto a = run_arm(study_config(), 5, 40, 2);
  auto d = paired_polls_difference(a, a);
  EXPECT_EQ(d.n, 40u);
  EXPECT_EQ(d.mean, 0.0);
  auto y = study_config();
  y.q.beta = 12; // needs more polls per node
  auto b = run_arm(y, 5, 40, 2);
  auto e = paired_polls_difference(a, b);
  EXPECT_GT(e.low, 0.0);
}

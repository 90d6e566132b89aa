// consensus-sim advice: effect sizes and their intervals, and the rules that
// turn them into verdicts.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "caf/consensus/sim/advice/effect.hpp"

using namespace caf::consensus;

namespace {

sim::effect make_effect(double value, double lo, double hi) {
  sim::effect e;
  e.valid = true;
  e.value = value;
  e.lo = lo;
  e.hi = hi;
  e.n = 100;
  return e;
}

} // namespace

TEST(advice_effect, paired_difference_is_a_t_interval_on_the_differences) {
  // Differences 1, 1, 0, 0: mean 0.5, sd 0.57735, t(3, 0.975) = 3.182446.
  auto e = sim::paired_difference({0, 0, 1, 1}, {1, 1, 1, 1});
  ASSERT_TRUE(e.valid);
  EXPECT_DOUBLE_EQ(e.value, 0.5);
  auto half = 3.182446305284263 * std::sqrt(1.0 / 3.0) / 2.0;
  EXPECT_NEAR(e.lo, 0.5 - half, 1e-9);
  EXPECT_NEAR(e.hi, 0.5 + half, 1e-9);
  EXPECT_EQ(e.n, 4u);
  EXPECT_EQ(e.method, "paired t");
  // Identical pairs: no uncertainty at all.
  auto zero = sim::paired_difference({3, 5, 8}, {3, 5, 8});
  ASSERT_TRUE(zero.valid);
  EXPECT_EQ(zero.value, 0.0);
  EXPECT_EQ(zero.lo, 0.0);
  EXPECT_EQ(zero.hi, 0.0);
  // A constant shift: exact.
  auto shift = sim::paired_difference({1, 2, 3}, {3, 4, 5});
  EXPECT_DOUBLE_EQ(shift.lo, 2.0);
  EXPECT_DOUBLE_EQ(shift.hi, 2.0);
  EXPECT_FALSE(sim::paired_difference({1, 2}, {1}).valid);
  EXPECT_FALSE(sim::paired_difference({1}, {2}).valid);
}

TEST(advice_effect, paired_ratio_difference_bootstraps_pairs) {
  // "Accuracy among finalized": cell a finalizes runs 0..199 and is right in
  // 150 of them (0.75); cell b finalizes runs 0..99 and is right in 90
  // (0.9).
  std::vector<double> na(400, 0);
  std::vector<double> da(400, 0);
  std::vector<double> nb(400, 0);
  std::vector<double> db(400, 0);
  for (int i = 0; i < 200; ++i) {
    da[i] = 1;
    na[i] = i < 150 ? 1 : 0;
  }
  for (int i = 0; i < 100; ++i) {
    db[i] = 1;
    nb[i] = i < 90 ? 1 : 0;
  }
  auto e = sim::paired_ratio_difference(na, da, nb, db, 42);
  ASSERT_TRUE(e.valid);
  EXPECT_NEAR(e.value, 0.15, 1e-12);
  EXPECT_LT(e.lo, 0.15);
  EXPECT_GT(e.hi, 0.15);
  EXPECT_GT(e.lo, 0.0); // a clear difference
  EXPECT_LT(e.hi - e.lo, 0.2);
  EXPECT_EQ(e.method, "paired bootstrap");
  // The interval comes from the seeded resamples: pinned for seed 42, other
  // for another seed.
  EXPECT_EQ(e.lo, 0x1.060e040fc45f8p-4); // 0.0639782103210321
  EXPECT_EQ(e.hi, 0x1.e0fac957193c3p-3); // 0.2348533372598053
  auto other = sim::paired_ratio_difference(na, da, nb, db, 43);
  ASSERT_TRUE(other.valid);
  EXPECT_EQ(other.value, e.value); // the point estimate uses no resample
  EXPECT_TRUE(other.lo != e.lo || other.hi != e.hi)
    << other.lo << ", " << other.hi;
  // Identical cells: exactly zero, whatever the resamples.
  auto same = sim::paired_ratio_difference(na, da, na, da, 7);
  ASSERT_TRUE(same.valid);
  EXPECT_EQ(same.lo, 0.0);
  EXPECT_EQ(same.hi, 0.0);
  // No finalized run in one cell: not computable.
  std::vector<double> none(400, 0);
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, none, none, 1).valid);
  // One finalized run in 400: most resamples miss it.
  std::vector<double> one(400, 0);
  one[3] = 1;
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, one, one, 1).valid);
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, nb, {1}, 1).valid);
}

TEST(advice_effect, classification_follows_the_interval) {
  using sim::direction;
  using sim::verdict;
  auto up = direction::up;
  auto down = direction::down;
  EXPECT_EQ(sim::classify(make_effect(0.1, 0.05, 0.15), up, 0.02),
            verdict::holds);
  EXPECT_EQ(sim::classify(make_effect(0.1, 0.05, 0.15), down, 0.02),
            verdict::does_not_hold); // the other way
  EXPECT_EQ(sim::classify(make_effect(-0.1, -0.15, -0.05), down, 0.02),
            verdict::holds);
  // Real but negligible: the interval lies in (0, delta).
  EXPECT_EQ(sim::classify(make_effect(0.01, 0.005, 0.015), up, 0.02),
            verdict::does_not_hold);
  // Zero with a tight interval: does not hold.
  EXPECT_EQ(sim::classify(make_effect(0, -0.01, 0.01), up, 0.02),
            verdict::does_not_hold);
  EXPECT_EQ(sim::classify(make_effect(0, 0, 0), down, 0.02),
            verdict::does_not_hold);
  // Wide around zero: inconclusive.
  EXPECT_EQ(sim::classify(make_effect(0.01, -0.03, 0.05), up, 0.02),
            verdict::inconclusive);
  EXPECT_EQ(sim::classify(make_effect(-0.01, -0.05, 0.03), down, 0.02),
            verdict::inconclusive);
  // Reaching delta with a lower bound above zero: holds.
  EXPECT_EQ(sim::classify(make_effect(0.02, 0.001, 0.04), up, 0.02),
            verdict::holds);
  sim::effect invalid;
  EXPECT_EQ(sim::classify(invalid, up, 0.02), verdict::not_testable);
}

TEST(advice_effect, combining_conditions) {
  using sim::verdict;
  EXPECT_EQ(sim::combine({verdict::holds, verdict::holds}), verdict::holds);
  EXPECT_EQ(sim::combine({verdict::holds, verdict::does_not_hold}),
            verdict::holds_only_when);
  EXPECT_EQ(sim::combine({verdict::inconclusive, verdict::holds}),
            verdict::holds_only_when);
  EXPECT_EQ(sim::combine({verdict::does_not_hold, verdict::does_not_hold}),
            verdict::does_not_hold);
  EXPECT_EQ(sim::combine({verdict::does_not_hold, verdict::inconclusive}),
            verdict::inconclusive);
  EXPECT_EQ(sim::combine({verdict::not_testable, verdict::holds}),
            verdict::holds);
  EXPECT_EQ(sim::combine({verdict::not_testable}), verdict::not_testable);
  EXPECT_EQ(sim::combine({}), verdict::not_testable);
  EXPECT_EQ(sim::to_string(verdict::holds_only_when), "holds only when");
}

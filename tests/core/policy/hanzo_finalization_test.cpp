// Tests: when policy hanzo can finalize at all, the documented bound
// beta_2 < beta_1 / 2 + 1 / 2 (suite hanzo).

#include <gtest/gtest.h>

#include <cstdint>

#include "caf/consensus/engine.hpp"

#include "core/policy/hanzo_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- the documented impossibility --------------------------------------------

TEST(hanzo, defaults_never_finalize_even_with_identical_instant_answers) {
  for (int32_t rounds : {1, 3, 10, 50}) {
    auto st = identical_instant(0.5, 0.8, rounds);
    EXPECT_FALSE(st.finalized) << rounds;
    // Confidence 0.5 after round 1 reaches beta_1 and stops sampling.
    EXPECT_EQ(st.stop, stop_reason::beta_1);
    EXPECT_EQ(st.rounds_executed, 1);
    EXPECT_EQ(st.scores[0], 0.5);
  }
  // A single agent with the defaults does not finalize either.
  EXPECT_FALSE(identical_instant(0.5, 0.8, 3, 1).finalized);
}

TEST(hanzo, beta_2_above_half_beta_1_plus_half_never_finalizes) {
  // Identical instant answers: c_r = 1 - 2^-r, sampling stops at the first
  // r with c_r >= beta_1, so the final confidence is below beta_1/2 + 1/2.
  for (double beta_1 : {0.1, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
    int32_t stop_round = 1;
    double c = 0.5;
    while (c < beta_1) {
      c = c * 0.5 + 0.5;
      ++stop_round;
    }
    for (int step = 0; step <= 20; ++step) {
      double beta_2 = step / 20.0;
      auto st = identical_instant(beta_1, beta_2, 20);
      EXPECT_EQ(st.rounds_executed, stop_round) << beta_1;
      EXPECT_EQ(st.confidence[0], c);
      EXPECT_EQ(st.finalized, c >= beta_2)
        << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      if (st.finalized) {
        EXPECT_LT(beta_2, beta_1 / 2 + 0.5)
          << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      }
      if (beta_2 >= beta_1 / 2 + 0.5) {
        EXPECT_FALSE(st.finalized)
          << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      }
    }
  }
}

TEST(hanzo, beta_2_of_0_7_finalizes_with_beta_1_of_0_7) {
  // beta_2 = 0.7 < 0.7/2 + 1/2 = 0.85: two rounds give c = 0.75 >= 0.7.
  auto st = identical_instant(0.7, 0.7, 3);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.scores[0], 0.75);
  EXPECT_EQ(st.winner, "agent0");
  EXPECT_EQ(st.synthesis, "the very same answer");
  // With the default beta_1 = 0.5 sampling stops at c = 0.5 < 0.7 (the bound
  // 0.75 is necessary, not sufficient).
  EXPECT_FALSE(identical_instant(0.5, 0.7, 3).finalized);
  // And not above the bound: 0.76 > 0.75 reached at the stop.
  EXPECT_FALSE(identical_instant(0.7, 0.76, 3).finalized);
}

TEST(hanzo, without_an_early_stop_confidence_keeps_growing) {
  // beta_1 > 1 disables the stop; then beta_2 up to 1 - 2^-rounds works.
  auto st = identical_instant(1.5, 0.875, 3);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.confidence[0], 0.875);
  EXPECT_TRUE(st.finalized);
}

TEST(hanzo, the_bound_is_exact_arithmetic_doubles_reach_one_after_54_rounds) {
  // c_r = 1 - 2^-r rounds to exactly 1.0 at r = 54 in IEEE doubles (as in
  // CPython), so beta_1 = beta_2 = 1 finalizes given enough rounds even
  // though 1 < 1/2 + 1/2 is false. Reference behaviour, kept as is.
  auto st = identical_instant(1.0, 1.0, 60);
  EXPECT_EQ(st.rounds_executed, 54);
  EXPECT_EQ(st.confidence[0], 1.0);
  EXPECT_TRUE(st.finalized);
  EXPECT_FALSE(identical_instant(1.0, 1.0, 53).finalized);
}

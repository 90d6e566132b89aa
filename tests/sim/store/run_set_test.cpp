// Tests: the set of stored run indices (suite store_run_set).

#include <gtest/gtest.h>

#include <cstdint>

#include "caf/consensus/sim/store/run_set.hpp"

using namespace caf::consensus;

TEST(store_run_set, keeps_intervals_and_answers_membership) {
  sim::run_set xs;
  for (uint64_t i : {0, 1, 2, 5, 6, 9})
    xs.push_back(i);
  EXPECT_EQ(xs.size(), 6u);
  EXPECT_EQ(xs.intervals(), 3u);
  for (uint64_t i = 0; i < 12; ++i)
    EXPECT_EQ(xs.contains(i), i <= 2 || i == 5 || i == 6 || i == 9) << i;
}

// Tests: python_fsum, the sum of CPython 3.12 (suite python_fsum).

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "caf/consensus/rng/python_random.hpp"

#include "core/rng/rng_helpers.hpp"

using namespace caf::consensus::rng;
using namespace caf::consensus::test;

namespace {

TEST(python_fsum, compensated_like_cpython_3_12) {
  EXPECT_EQ(python_fsum(std::vector<double>(10, 0.1)), 1.0);
  EXPECT_EQ(python_fsum({1e100, 1.0, -1e100}), 1.0);
  EXPECT_EQ(bits_of(python_fsum({0.1, 0.2, 0.3})),
            bits_of(parse_hex_double("0x1.3333333333333p-1")));
  EXPECT_EQ(python_fsum({1.0, 1e-16, 1e-16}), 1.0000000000000002);
  // The naive left-to-right sum differs.
  auto naive = 0.0;
  for (int i = 0; i < 10; ++i)
    naive += 0.1;
  EXPECT_EQ(naive, 0.9999999999999999);
}

TEST(python_fsum, edge_cases) {
  EXPECT_EQ(python_fsum({}), 0.0);
  EXPECT_EQ(python_fsum({2.5}), 2.5);
  // sum([-0.0]) == 0.0 (the start value is the int 0).
  EXPECT_FALSE(std::signbit(python_fsum({-0.0})));
  EXPECT_EQ(python_fsum({-1.5, -2.25}), -3.75);
  auto inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(python_fsum({1e308, 1e308}), inf);
  EXPECT_EQ(python_fsum({inf, 1.0}), inf);
  EXPECT_EQ(python_fsum({1.0, -inf}), -inf);
  EXPECT_TRUE(std::isnan(python_fsum({inf, -inf})));
}

} // namespace

// Tests: how cells are shown: labels, and `-` for a swept parameter that the
// cell's policy does not read.

#include <gtest/gtest.h>

#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

TEST(scenario_describe, unread_parameters_show_as_a_dash) {
  auto s = must_parse(base
                      + "sweep:\n"
                        "  policy: [metastable, hanzo, snowball, vote]\n"
                        "  beta_1: [0.4]\n"
                        "  alpha: [0.7]\n"
                        "  beta: [3]\n");
  ASSERT_EQ(cell_count(s), 4u);
  auto row = [&](uint64_t c) {
    std::string out;
    for (size_t i = 0; i < s.sweep.size(); ++i)
      out += (i ? " " : "") + cell_value(s, c, i);
    return out;
  };
  EXPECT_EQ(row(0), "metastable 0.4 0.7 -");
  EXPECT_EQ(row(1), "hanzo 0.4 - -");
  EXPECT_EQ(row(2), "snowball - 0.7 3");
  EXPECT_EQ(row(3), "vote - - -");
  // The labels in files keep every value (they name the grid's cells).
  EXPECT_EQ(cell_label(s, 2), "policy=snowball, beta_1=0.4, alpha=0.7, beta=3");
}

TEST(scenario_describe, without_a_policy_axis_the_base_policy_decides) {
  auto s = must_parse(base
                      + "policy: snowball\nsweep:\n  beta_2: [0.5, 0.9]\n"
                        "  k: [2]\n");
  EXPECT_EQ(cell_value(s, 0, 0), "-");
  EXPECT_EQ(cell_value(s, 1, 0), "-");
  EXPECT_EQ(cell_value(s, 0, 1), "2");
}

// caf-consensus: the anytime-valid mode test of policy `sequential`.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "caf/consensus/detail/mode_certificate.hpp"

using namespace caf::consensus::detail;

namespace {

/// E(a, b) from its definition with exact integers (small a, b):
/// a! b! / (a+b+1)! * sum_{i <= a} C(a+b+1, i).
double exact_evalue(uint64_t a, uint64_t b) {
  auto n = a + b + 1;
  long double binom = 1; // C(n, 0)
  long double sum = 0;
  for (uint64_t i = 0; i <= a; ++i) {
    sum += binom;
    binom = binom * static_cast<long double>(n - i)
            / static_cast<long double>(i + 1);
  }
  long double coef = 1; // a! b! / (a+b+1)!
  for (uint64_t i = 1; i <= b; ++i)
    coef *= static_cast<long double>(i) / static_cast<long double>(a + i);
  coef /= static_cast<long double>(n);
  return static_cast<double>(coef * sum);
}

} // namespace

TEST(mode_certificate, unanimous_votes_have_a_closed_form) {
  // E(a, 0) = (2^(a+1) - 1) / (a + 1).
  for (uint64_t a = 0; a <= 40; ++a) {
    auto want = (std::ldexp(1.0, static_cast<int>(a + 1)) - 1)
                / static_cast<double>(a + 1);
    EXPECT_NEAR(std::exp(log_mode_evalue(a, 0)) / want, 1.0, 1e-12) << a;
  }
}

TEST(mode_certificate, matches_the_definition_on_a_grid) {
  for (uint64_t a = 0; a <= 30; ++a)
    for (uint64_t b = 0; b <= 30; ++b)
      EXPECT_NEAR(std::exp(log_mode_evalue(a, b)) / exact_evalue(a, b), 1.0,
                  1e-10)
        << a << " " << b;
}

TEST(mode_certificate, is_a_martingale_when_both_answers_are_equally_likely) {
  // Under q = 1/2 the next vote is A or B with probability 1/2 each:
  // E(a, b) = (E(a+1, b) + E(a, b+1)) / 2 for every a, b.
  for (uint64_t a = 0; a <= 200; a += 7)
    for (uint64_t b = 0; b <= 200; b += 11) {
      auto now = std::exp(log_mode_evalue(a, b));
      auto next = (std::exp(log_mode_evalue(a + 1, b))
                   + std::exp(log_mode_evalue(a, b + 1)))
                  / 2;
      EXPECT_NEAR(next / now, 1.0, 1e-9) << a << " " << b;
    }
}

TEST(mode_certificate, grows_with_the_leader_and_shrinks_with_the_runner_up) {
  for (uint64_t a = 1; a <= 100; ++a)
    for (uint64_t b = 0; b < a; b += 3) {
      EXPECT_GT(log_mode_evalue(a + 1, b), log_mode_evalue(a, b));
      EXPECT_LT(log_mode_evalue(a, b + 1), log_mode_evalue(a, b));
    }
  // Balanced votes are never evidence.
  for (uint64_t a = 0; a <= 1000; a += 50)
    EXPECT_LE(log_mode_evalue(a, a), 0.0) << a;
}

TEST(mode_certificate, thresholds_spend_delta_over_the_ranks) {
  EXPECT_NEAR(std::exp(log_mode_threshold(1, 0.05)), 40.0, 1e-9);
  EXPECT_NEAR(std::exp(log_mode_threshold(2, 0.05)), 120.0, 1e-9);
  EXPECT_NEAR(std::exp(log_mode_threshold(3, 0.1)), 120.0, 1e-9);
  // 8 unanimous votes certify at delta 0.05 (E = 511/9), 7 do not (255/8).
  EXPECT_TRUE(mode_certified(8, 0, 1, 0.05));
  EXPECT_FALSE(mode_certified(7, 0, 1, 0.05));
  // A later leader needs more: E(10, 0) = 2047/11 = 186.1 >= 120, E(9, 0) =
  // 102.3 < 120.
  EXPECT_TRUE(mode_certified(10, 0, 2, 0.05));
  EXPECT_FALSE(mode_certified(9, 0, 2, 0.05));
  EXPECT_FALSE(mode_certified(5, 5, 1, 0.5));
  EXPECT_FALSE(mode_certified(4, 5, 1, 0.5));
}

TEST(mode_certificate, the_chance_of_ever_crossing_under_the_null_is_below_d) {
  // Exact, by dynamic programming: with q = 1/2 and 1/d = 40 (rank 1 at
  // delta 0.05; d = 0.025), the probability that E(a, b) reaches 40 within
  // 2,000 votes is at most 0.025 (Ville's inequality); for q < 1/2 less.
  for (double q : {0.5, 0.45}) {
    const uint64_t horizon = 2000;
    const double log_thr = std::log(40.0);
    std::vector<double> mass{1.0}; // mass[a] after t votes, not yet crossed
    double crossed = 0;
    for (uint64_t t = 0; t < horizon; ++t) {
      std::vector<double> next(t + 2, 0.0);
      for (uint64_t a = 0; a <= t; ++a) {
        if (mass[a] == 0)
          continue;
        next[a + 1] += mass[a] * q;
        next[a] += mass[a] * (1 - q);
      }
      for (uint64_t a = 0; a <= t + 1; ++a)
        if (next[a] > 0 && a > t + 1 - a
            && log_mode_evalue(a, t + 1 - a) >= log_thr) {
          crossed += next[a];
          next[a] = 0;
        }
      mass.swap(next);
    }
    EXPECT_LE(crossed, 0.025) << q;
    EXPECT_GT(crossed, q == 0.5 ? 0.005 : 0.0) << q; // not vacuous
  }
}

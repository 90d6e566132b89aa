// Tests: running sums with a guide table (suite guided_sums): every lookup
// equals std::upper_bound over the sums.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "caf/consensus/detail/guided_sums.hpp"
#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus;
using detail::guided_sums;

namespace {

size_t upper(const std::vector<double>& sums, double x) {
  return static_cast<size_t>(std::upper_bound(sums.begin(), sums.end(), x)
                             - sums.begin());
}

/// The queries that stress a guide: random points, every sum and its
/// neighbours, every bucket edge and its neighbours, and the ends.
std::vector<double> queries(const std::vector<double>& sums, rng::rng64& gen) {
  std::vector<double> out;
  auto total = sums.empty() ? 1.0 : sums.back();
  auto inf = std::numeric_limits<double>::infinity();
  auto n = static_cast<double>(sums.size());
  for (int i = 0; i < 200; ++i)
    out.push_back(gen.uniform() * total);
  for (auto s : sums) {
    out.push_back(s);
    out.push_back(std::nextafter(s, -inf));
    out.push_back(std::nextafter(s, inf));
  }
  for (size_t b = 0; b <= sums.size(); ++b) {
    auto e = total * (static_cast<double>(b) / n);
    out.push_back(e);
    out.push_back(std::nextafter(e, -inf));
    out.push_back(std::nextafter(e, inf));
  }
  for (auto x : {0.0, -0.0, -1.0, total, 2 * total, inf, -inf, std::nan("")})
    out.push_back(x);
  return out;
}

void check(const std::vector<double>& weights, rng::rng64& gen) {
  std::vector<double> sums;
  guided_sums g;
  double sum = 0;
  for (auto w : weights) {
    sum += w;
    sums.push_back(sum);
    g.push_back(sum);
  }
  g.finish();
  ASSERT_EQ(g.sums(), sums);
  for (auto x : queries(sums, gen))
    ASSERT_EQ(g.find(x), upper(sums, x))
      << "x = " << x << ", n = " << sums.size() << ", total = " << sum;
}

} // namespace

TEST(guided_sums, lookups_equal_upper_bound_for_many_weight_tables) {
  rng::rng64 gen{2026};
  for (int trial = 0; trial < 300; ++trial) {
    auto n = static_cast<size_t>(1 + gen.below(trial < 100 ? 40 : 2000));
    std::vector<double> w(n);
    switch (trial % 6) {
      case 0: // uniform
        for (auto& x : w)
          x = gen.uniform() + 1e-9;
        break;
      case 1: // heavy-tailed
        for (auto& x : w)
          x = std::exp(20 * gen.uniform());
        break;
      case 2: // one weight dominates
        for (auto& x : w)
          x = 1e-6 * (gen.uniform() + 0.1);
        w[gen.below(n)] = 1e6;
        break;
      case 3: // equal weights (sums land on bucket edges)
        for (auto& x : w)
          x = 0.25;
        break;
      case 4: // tiny and huge magnitudes
        for (auto& x : w)
          x = gen.below(2) == 0 ? 1e-300 : 1e300;
        break;
      default: // zeros in between (equal running sums)
        for (auto& x : w)
          x = gen.below(3) == 0 ? 0.0 : gen.uniform();
        w.back() += 0.5;
        break;
    }
    check(w, gen);
  }
}

TEST(guided_sums, without_a_positive_finite_total_it_searches_all_sums) {
  rng::rng64 gen{7};
  auto inf = std::numeric_limits<double>::infinity();
  check({}, gen);
  check({0.0, 0.0}, gen);
  check({1e308, 1e308, 1.0}, gen); // the sum overflows to infinity
  check({1.0, inf, 2.0}, gen);
}

TEST(guided_sums, clear_keeps_nothing_of_the_previous_table) {
  guided_sums g;
  for (auto s : {1.0, 2.0, 3.0})
    g.push_back(s);
  g.finish();
  EXPECT_EQ(g.find(2.5), 2u);
  g.clear();
  EXPECT_TRUE(g.empty());
  for (auto s : {10.0, 20.0})
    g.push_back(s);
  g.finish();
  EXPECT_EQ(g.size(), 2u);
  EXPECT_EQ(g.back(), 20.0);
  EXPECT_EQ(g.find(2.5), 0u);
  EXPECT_EQ(g.find(15.0), 1u);
  EXPECT_EQ(g.find(20.0), 2u);
}

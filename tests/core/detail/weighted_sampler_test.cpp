// Tests: weighted sampling without replacement (suite weighted_sampler).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/rng/rng64.hpp"

#include "core/detail/sampling_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using detail::weighted_sampler;

// -- small pools: the reference algorithms, draw for draw ---------------------

TEST(weighted_sampler, small_pools_match_efraimidis_spirakis_exactly) {
  rng::rng64 meta{1};
  for (int trial = 0; trial < 300; ++trial) {
    auto n = static_cast<uint32_t>(1 + meta.below(34)); // 1..34: <= 33 others
    std::vector<double> w(n);
    for (auto& x : w)
      x = meta.below(5) == 0 ? 0.0 : meta.uniform() * 3;
    auto population = iota(n);
    weighted_sampler sampler{population, w};
    auto self = static_cast<uint32_t>(meta.below(n + 1)); // may be absent
    auto m = static_cast<size_t>(meta.below(6));
    auto seed = meta.next();
    rng::rng64 a{seed};
    rng::rng64 b{seed};
    sample_list got;
    sampler.draw(self, m, a, got);
    auto pool = without(population, self);
    if (pool.size() > detail::small_pool)
      continue; // only the small-pool path is the reference algorithm
    auto expected = detail::weighted_sample(pool, w, m, b);
    EXPECT_EQ(got, expected) << "trial " << trial;
    EXPECT_EQ(a.next(), b.next()) << "same number of draws";
  }
}

// -- large pools: the documented draws, draw for draw ------------------------

namespace {

/// The large-pool draw as documented, with a binary search over the running
/// sums of the eligible elements: rejection of `self` and repeats, an exact
/// draw over the rest after `max_rejections` rejections in a row.
ids documented_draw(const ids& population, const std::vector<double>& w,
                    uint32_t self, size_t m, rng::rng64& gen) {
  ids items;
  std::vector<double> cum;
  double sum = 0;
  for (auto x : population)
    if (w[x] > 0 && std::isfinite(w[x])) {
      sum += w[x];
      items.push_back(x);
      cum.push_back(sum);
    }
  ids out;
  while (out.size() < m) {
    size_t rejections = 0;
    for (;;) {
      if (rejections == weighted_sampler::max_rejections) {
        double rest = 0;
        for (auto x : items)
          if (x != self && std::count(out.begin(), out.end(), x) == 0)
            rest += w[x];
        auto u = gen.uniform() * rest;
        double acc = 0;
        uint32_t last = 0;
        for (auto x : items) {
          if (x == self || std::count(out.begin(), out.end(), x) != 0)
            continue;
          acc += w[x];
          last = x;
          if (u < acc)
            break;
        }
        out.push_back(last);
        break;
      }
      auto u = gen.uniform() * sum;
      auto i = static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), u)
                                   - cum.begin());
      auto c = items[std::min(i, items.size() - 1)];
      if (c == self || std::count(out.begin(), out.end(), c) != 0) {
        ++rejections;
        continue;
      }
      out.push_back(c);
      break;
    }
  }
  return out;
}

} // namespace

TEST(weighted_sampler, large_pools_draw_as_a_binary_search_would) {
  rng::rng64 meta{11};
  for (int trial = 0; trial < 150; ++trial) {
    auto n = static_cast<uint32_t>(40 + meta.below(3000));
    std::vector<double> w(n);
    for (auto& x : w) {
      switch (trial % 3) {
        case 0:
          x = meta.uniform() + 0.01;
          break;
        case 1: // skewed, some never drawn
          x = meta.below(5) == 0 ? 0.0 : std::exp(8 * meta.uniform());
          break;
        default: // a few heavy elements: rejections and exact draws
          x = meta.below(20) == 0 ? 1000.0 : 0.001;
          break;
      }
    }
    auto population = iota(n);
    weighted_sampler s{population, w};
    auto seed = meta.next();
    rng::rng64 a{seed};
    rng::rng64 b{seed};
    sample_list got;
    for (uint32_t self = 0; self < n; self += 1 + n / 50) {
      size_t m = 1 + meta.below(4);
      s.draw(self, m, a, got);
      auto want = documented_draw(population, w, self, m, b);
      ASSERT_EQ(ids(got.begin(), got.end()), want)
        << "trial " << trial << ", self " << self;
    }
  }
}

// -- large pools: validity ----------------------------------------------------

TEST(weighted_sampler, large_pools_give_valid_samples) {
  rng::rng64 meta{3};
  for (int trial = 0; trial < 200; ++trial) {
    auto n = static_cast<uint32_t>(40 + meta.below(400));
    std::vector<double> w(n);
    for (auto& x : w)
      x = meta.below(4) == 0 ? 0.0 : meta.uniform();
    // A sparse population: every second index.
    ids population;
    for (uint32_t i = 0; i < n; i += 2)
      population.push_back(i);
    weighted_sampler sampler{population, w};
    auto eligible = std::count_if(population.begin(), population.end(),
                                  [&](uint32_t x) { return w[x] > 0; });
    auto self = static_cast<uint32_t>(meta.below(n));
    auto self_eligible = self % 2 == 0 && w[self] > 0;
    auto m = static_cast<size_t>(1 + meta.below(8));
    rng::rng64 gen{meta.next()};
    sample_list sample;
    sampler.draw(self, m, gen, sample);
    check_valid(sample, self, population);
    EXPECT_EQ(sample.size(), std::min<size_t>(m, static_cast<size_t>(eligible)
                                                   - (self_eligible ? 1 : 0)));
    for (auto x : sample)
      EXPECT_GT(w[x], 0.0) << "drew an element of weight 0";
  }
}

TEST(weighted_sampler, never_draws_non_positive_or_non_finite_weights) {
  auto population = iota(100);
  std::vector<double> w(100, 1.0);
  for (uint32_t i = 0; i < 100; i += 3)
    w[i] = 0.0;
  w[1] = -2.0;
  w[2] = std::nan("");
  w[4] = INFINITY;
  weighted_sampler sampler{population, w};
  std::set<uint32_t> seen;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    rng::rng64 gen{seed};
    sample_list sample;
    sampler.draw(50, 5, gen, sample);
    ASSERT_EQ(sample.size(), 5u);
    seen.insert(sample.begin(), sample.end());
  }
  for (auto x : seen) {
    EXPECT_TRUE(w[x] > 0 && std::isfinite(w[x])) << x;
    EXPECT_NE(x, 50u);
  }
  EXPECT_GT(seen.size(), 50u); // the eligible rest is reached
}

TEST(weighted_sampler, edge_cases) {
  std::vector<double> w(64, 1.0);
  sample_list sample{7};
  rng::rng64 gen{1};
  // Empty population.
  weighted_sampler empty{{}, w};
  empty.draw(0, 3, gen, sample);
  EXPECT_TRUE(sample.empty());
  // m = 0 on a large pool.
  weighted_sampler all{iota(64), w};
  all.draw(3, 0, gen, sample);
  EXPECT_TRUE(sample.empty());
  // Asking for more than there is: everyone else, each once.
  all.draw(3, 1000, gen, sample);
  EXPECT_EQ(sample.size(), 63u);
  check_valid(sample, 3, iota(64));
  // No eligible element at all.
  std::vector<double> zeros(64, 0.0);
  weighted_sampler none{iota(64), zeros};
  none.draw(3, 3, gen, sample);
  EXPECT_TRUE(sample.empty());
}

// -- large pools: distribution ------------------------------------------------

TEST(weighted_sampler, first_and_second_draws_follow_the_weights) {
  // 40 elements with weights 1, 2, 3, 4 (repeating); self = 0.
  constexpr uint32_t n = 40;
  std::vector<double> w(n);
  for (uint32_t i = 0; i < n; ++i)
    w[i] = 1.0 + i % 4;
  weighted_sampler sampler{iota(n), w};
  double total = 0;
  for (uint32_t i = 1; i < n; ++i)
    total += w[i];
  constexpr size_t trials = 60000;
  std::vector<size_t> first(n, 0);
  // Second draw given that the first was 3 (weight 4).
  std::vector<size_t> second_after_3(n, 0);
  size_t first_was_3 = 0;
  for (size_t t = 0; t < trials; ++t) {
    rng::rng64 gen{rng::derive(99, {t})};
    sample_list sample;
    sampler.draw(0, 3, gen, sample);
    ASSERT_EQ(sample.size(), 3u);
    ++first[sample[0]];
    if (sample[0] == 3) {
      ++first_was_3;
      ++second_after_3[sample[1]];
    }
  }
  EXPECT_EQ(first[0], 0u);
  for (uint32_t i = 1; i < n; ++i)
    expect_frequency(first[i], trials, w[i] / total, 5,
                     "first draw = " + std::to_string(i));
  for (uint32_t i = 1; i < n; ++i)
    if (i != 3)
      expect_frequency(second_after_3[i], first_was_3, w[i] / (total - w[3]), 5,
                       "second draw = " + std::to_string(i));
  EXPECT_EQ(second_after_3[3], 0u);
}

TEST(weighted_sampler, heavy_excluded_weight_falls_back_to_exact_draws) {
  // Element 0 holds 1000 / 1039 of the weight: for self = 0 almost every
  // table draw is rejected, so the exact draw decides. The others must stay
  // uniform (equal weights).
  constexpr uint32_t n = 40;
  std::vector<double> w(n, 1.0);
  w[0] = 1000;
  weighted_sampler sampler{iota(n), w};
  constexpr size_t trials = 20000;
  std::vector<size_t> hits(n, 0);
  for (size_t t = 0; t < trials; ++t) {
    rng::rng64 gen{rng::derive(7, {t})};
    sample_list sample;
    sampler.draw(0, 2, gen, sample);
    ASSERT_EQ(sample.size(), 2u);
    check_valid(sample, 0, iota(n));
    ++hits[sample[0]];
  }
  for (uint32_t i = 1; i < n; ++i)
    expect_frequency(hits[i], trials, 1.0 / (n - 1), 5,
                     "first draw = " + std::to_string(i));
  // For self = 5 the heavy element comes first almost always; the second
  // draw then rejects it again and again: uniform over the 38 others.
  std::vector<size_t> second(n, 0);
  size_t heavy_first = 0;
  for (size_t t = 0; t < trials; ++t) {
    rng::rng64 gen{rng::derive(8, {t})};
    sample_list sample;
    sampler.draw(5, 2, gen, sample);
    if (sample[0] != 0)
      continue;
    ++heavy_first;
    ++second[sample[1]];
  }
  expect_frequency(heavy_first, trials, 1000.0 / 1038.0, 5, "heavy first");
  for (uint32_t i = 1; i < n; ++i)
    if (i != 5)
      expect_frequency(second[i], heavy_first, 1.0 / 38, 5,
                       "second draw = " + std::to_string(i));
}

TEST(weighted_sampler, draws_depend_only_on_the_generator) {
  std::vector<double> w(500);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = 1.0 / (1.0 + static_cast<double>(i % 17));
  weighted_sampler a{iota(500), w};
  weighted_sampler b{iota(500), w};
  for (uint64_t seed = 0; seed < 100; ++seed) {
    rng::rng64 ga{seed};
    rng::rng64 gb{seed};
    sample_list x;
    sample_list y;
    // Interleave other draws on `a` to show that no state leaks between
    // participants.
    rng::rng64 other{seed + 1000};
    a.draw(3, 3, other, x);
    a.draw(static_cast<uint32_t>(seed), 3, ga, x);
    b.draw(static_cast<uint32_t>(seed), 3, gb, y);
    EXPECT_EQ(x, y);
  }
}

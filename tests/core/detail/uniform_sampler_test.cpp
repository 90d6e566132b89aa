// Tests: uniform sampling without replacement (suite uniform_sampler).

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
using detail::uniform_sampler;

// -- small pools: the reference algorithms, draw for draw ---------------------

TEST(uniform_sampler, small_pools_match_partial_fisher_yates_exactly) {
  rng::rng64 meta{2};
  for (int trial = 0; trial < 300; ++trial) {
    auto n = static_cast<uint32_t>(meta.below(34));
    auto population = iota(n);
    uniform_sampler sampler{population};
    auto self = static_cast<uint32_t>(meta.below(n + 1));
    auto m = static_cast<size_t>(meta.below(6));
    auto seed = meta.next();
    rng::rng64 a{seed};
    rng::rng64 b{seed};
    auto pool = without(population, self);
    if (pool.size() > detail::small_pool)
      continue; // only the small-pool path is the reference algorithm
    sample_list got;
    sampler.draw(self, m, a, got);
    auto expected = detail::uniform_sample(pool, m, b);
    EXPECT_EQ(got, expected) << "trial " << trial;
    EXPECT_EQ(a.next(), b.next()) << "same number of draws";
  }
}

// -- large pools: validity ----------------------------------------------------

TEST(uniform_sampler, large_pools_give_valid_samples) {
  rng::rng64 meta{4};
  for (int trial = 0; trial < 200; ++trial) {
    auto n = static_cast<uint32_t>(40 + meta.below(400));
    ids population;
    for (uint32_t i = 0; i < n; ++i)
      if (meta.below(3) != 0)
        population.push_back(i);
    uniform_sampler sampler{population};
    auto self = static_cast<uint32_t>(meta.below(n));
    auto self_in = std::binary_search(population.begin(), population.end(),
                                      self);
    auto m = static_cast<size_t>(1 + meta.below(40));
    rng::rng64 gen{meta.next()};
    sample_list sample;
    sampler.draw(self, m, gen, sample);
    check_valid(sample, self, population);
    EXPECT_EQ(sample.size(),
              std::min(m, population.size() - (self_in ? 1 : 0)));
  }
}

// -- large pools: distribution ------------------------------------------------

TEST(uniform_sampler, large_pools_are_uniform) {
  constexpr uint32_t n = 60;
  uniform_sampler sampler{iota(n)};
  constexpr size_t trials = 30000;
  std::vector<size_t> hits(n, 0);
  for (size_t t = 0; t < trials; ++t) {
    rng::rng64 gen{rng::derive(5, {t})};
    sample_list sample;
    sampler.draw(7, 4, gen, sample);
    ASSERT_EQ(sample.size(), 4u);
    for (auto x : sample)
      ++hits[x];
  }
  EXPECT_EQ(hits[7], 0u);
  for (uint32_t i = 0; i < n; ++i)
    if (i != 7)
      expect_frequency(hits[i], trials, 4.0 / (n - 1), 5,
                       "element " + std::to_string(i));
}

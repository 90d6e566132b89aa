// Tests: helpers of the sampling tests (sampling_test): samples, frequencies.

#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace caf::consensus::test {

using ids = std::vector<uint32_t>;

inline ids iota(uint32_t n) {
  ids out(n);
  for (uint32_t i = 0; i < n; ++i)
    out[i] = i;
  return out;
}

inline ids without(const ids& xs, uint32_t self) {
  ids out;
  for (auto x : xs)
    if (x != self)
      out.push_back(x);
  return out;
}

/// Checks distinct elements, none equal to `self`, all from `population`.
template <class Sample>
inline void
check_valid(const Sample& sample, uint32_t self, const ids& population) {
  std::set<uint32_t> distinct(sample.begin(), sample.end());
  EXPECT_EQ(distinct.size(), sample.size()) << "duplicates";
  EXPECT_EQ(distinct.count(self), 0u) << "contains self";
  for (auto x : sample)
    EXPECT_TRUE(std::binary_search(population.begin(), population.end(), x))
      << x << " is not in the population";
}

/// |observed - expected| within `sigmas` binomial standard deviations.
inline void expect_frequency(size_t hits, size_t trials, double p,
                             double sigmas, const std::string& what) {
  auto expected = p * static_cast<double>(trials);
  auto sd = std::sqrt(static_cast<double>(trials) * p * (1 - p));
  EXPECT_NEAR(static_cast<double>(hits), expected, sigmas * sd + 1)
    << what << ": p = " << p;
}

} // namespace caf::consensus::test

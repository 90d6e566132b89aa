// Tests: rng64, mix64, derive and hash_name (suite rng64).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "caf/consensus/rng/rng64.hpp"

#include "core/rng/rng_helpers.hpp"

using namespace caf::consensus::rng;
using namespace caf::consensus::test;

namespace {

TEST(rng64, mix64_is_the_splitmix64_finalizer) {
  EXPECT_EQ(mix64(0), 0u);
  // First SplitMix64 output for seed 0.
  EXPECT_EQ(mix64(0x9e3779b97f4a7c15ULL), 0xe220a8397b1dcdafULL);
}

TEST(rng64, xoshiro256starstar_reference_outputs) {
  // State = SplitMix64(0) outputs e220a8397b1dcdaf 6e789e6aa1b965f4 ...
  rng64 gen{0};
  EXPECT_EQ(gen.next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(gen.next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(gen.next(), 0x1a5f849d4933e6e0ULL);
  EXPECT_EQ(gen.next(), 0x6aa594f1262d2d2cULL);
  rng64 gen42{42};
  EXPECT_EQ(gen42.next(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(gen42.next(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(gen42.next(), 0xae17533239e499a1ULL);
  EXPECT_EQ(gen42.next(), 0xecb8ad4703b360a1ULL);
}

TEST(rng64, deterministic_per_seed) {
  rng64 a{123};
  rng64 b{123};
  rng64 c{124};
  auto differs = false;
  for (int i = 0; i < 1000; ++i) {
    auto x = a.next();
    EXPECT_EQ(x, b.next());
    differs = differs || x != c.next();
  }
  EXPECT_TRUE(differs);
  rng64 d{7};
  rng64 e{7};
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(bits_of(d.normal()), bits_of(e.normal()));
    EXPECT_EQ(bits_of(d.exponential(2.0)), bits_of(e.exponential(2.0)));
    EXPECT_EQ(d.below(1000), e.below(1000));
    EXPECT_EQ(d.bernoulli(0.3), e.bernoulli(0.3));
  }
}

TEST(rng64, uniform_ranges) {
  rng64 gen{99};
  rng64 raw{99};
  for (int i = 0; i < 10000; ++i) {
    auto x = gen.uniform();
    EXPECT_EQ(x, static_cast<double>(raw.next() >> 11) * 0x1.0p-53);
    EXPECT_GE(x, 0.0);
    EXPECT_LT(x, 1.0);
    auto y = gen.uniform_pos();
    EXPECT_EQ(y, static_cast<double>((raw.next() >> 11) + 1) * 0x1.0p-53);
    EXPECT_GT(y, 0.0);
    EXPECT_LE(y, 1.0);
  }
}

TEST(rng64, below_range_and_coverage) {
  rng64 gen{2024};
  EXPECT_EQ(gen.below(0), 0u);
  EXPECT_EQ(gen.below(1), 0u);
  for (uint64_t n :
       {2ULL, 3ULL, 7ULL, 10ULL, 1000ULL, (1ULL << 63) + 1, ~0ULL}) {
    for (int i = 0; i < 2000; ++i)
      EXPECT_LT(gen.below(n), n);
  }
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i)
    ++counts[gen.below(6)];
  for (auto count : counts) {
    EXPECT_GT(count, 9000);
    EXPECT_LT(count, 11000);
  }
}

TEST(rng64, bernoulli_extremes_and_rate) {
  rng64 gen{5};
  rng64 ref{5};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(gen.bernoulli(0.0));
    EXPECT_FALSE(gen.bernoulli(-1.0));
    EXPECT_TRUE(gen.bernoulli(1.0));
    EXPECT_TRUE(gen.bernoulli(2.0));
  }
  // Each call consumes exactly one draw.
  for (int i = 0; i < 4000; ++i)
    ref.next();
  EXPECT_EQ(gen.next(), ref.next());
  auto hits = 0;
  for (int i = 0; i < 100000; ++i)
    hits += gen.bernoulli(0.25) ? 1 : 0;
  EXPECT_GT(hits, 24000);
  EXPECT_LT(hits, 26000);
}

TEST(rng64, normal_and_exponential_moments) {
  rng64 gen{11};
  constexpr int n = 200000;
  auto sum = 0.0;
  auto sum_sq = 0.0;
  for (int i = 0; i < n; ++i) {
    auto x = gen.normal();
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sum_sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0, 0.02);
  auto esum = 0.0;
  for (int i = 0; i < n; ++i) {
    auto x = gen.exponential(3.0);
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(std::isfinite(x));
    esum += x;
  }
  EXPECT_NEAR(esum / n, 3.0, 0.05);
}

TEST(rng64, derive_depends_on_base_and_path) {
  EXPECT_EQ(derive(7, {}), mix64(7));
  EXPECT_EQ(derive(7, {1, 2, 3}), 0x8b9bc33b02a8b088ULL);
  // The documented fold, computed here: h = mix64(base); for each key x:
  // h = mix64(h ^ mix64(x + 0x9e3779b97f4a7c15)).
  auto fold = mix64(7);
  for (uint64_t x : {1, 2, 3})
    fold = mix64(fold ^ mix64(x + 0x9e3779b97f4a7c15ULL));
  EXPECT_EQ(derive(7, {1, 2, 3}), fold);
  std::set<uint64_t> seen;
  seen.insert(derive(7, {1, 2, 3}));
  seen.insert(derive(7, {3, 2, 1}));
  seen.insert(derive(7, {1, 2}));
  seen.insert(derive(7, {1, 2, 3, 0}));
  seen.insert(derive(8, {1, 2, 3}));
  seen.insert(derive(7, {0}));
  seen.insert(derive(7, {}));
  EXPECT_EQ(seen.size(), 7u);
}

TEST(rng64, extend_adds_one_key_to_a_derived_path) {
  EXPECT_EQ(extend(derive(7, {1, 2}), 3), derive(7, {1, 2, 3}));
  EXPECT_EQ(extend(derive(7, {}), 0), derive(7, {0}));
  rng64 gen{2026};
  for (int i = 0; i < 1000; ++i) {
    auto base = gen.next();
    auto a = gen.next();
    auto b = gen.below(100);
    auto c = gen.next();
    EXPECT_EQ(extend(extend(derive(base, {a}), b), c), derive(base, {a, b, c}));
  }
}

TEST(rng64, hash_name_is_fnv1a_then_mix64) {
  // FNV-1a 64 test vectors: "" -> cbf29ce484222325, "a" -> af63dc4c8601ec8c.
  EXPECT_EQ(hash_name("", 0), mix64(0xcbf29ce484222325ULL));
  EXPECT_EQ(hash_name("a", 1), mix64(0xaf63dc4c8601ec8cULL));
  EXPECT_EQ(hash_name("purpose", 7), 0xc5b7cb2f4124a89cULL);
  EXPECT_NE(hash_name("agent-1", 7), hash_name("agent-2", 7));
  // Bytes >= 0x80 hash as unsigned values.
  EXPECT_NE(hash_name("\xff", 1), hash_name("\x7f", 1));
}

} // namespace

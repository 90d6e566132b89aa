// caf-consensus: tests for the CPython `random` port and rng64.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "caf/sec.hpp"

#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus::rng;

namespace {

// -- utilities ----------------------------------------------------------------

uint64_t bits_of(double x) {
  uint64_t result;
  std::memcpy(&result, &x, sizeof(result));
  return result;
}

double parse_hex_double(const std::string& str) {
  char* end = nullptr;
  auto result = std::strtod(str.c_str(), &end);
  EXPECT_EQ(end, str.c_str() + str.size()) << "cannot parse " << str;
  return result;
}

nlohmann::json load_mt_reference() {
  auto path = std::string{CAF_CONSENSUS_TEST_DATA} + "/hanzo-0.1.0.json";
  std::ifstream in{path};
  if (!in)
    ADD_FAILURE() << "cannot open " << path;
  return nlohmann::json::parse(in).at("mt_reference");
}

std::vector<size_t> unwrap(caf::expected<std::vector<size_t>> res) {
  if (!res) {
    ADD_FAILURE() << "choices failed unexpectedly";
    return {};
  }
  return std::move(*res);
}

// -- CPython reference vectors ------------------------------------------------

TEST(python_random, reference_vectors_cover_several_seeds) {
  auto ref = load_mt_reference();
  EXPECT_GE(ref.size(), 8u);
}

TEST(python_random, getrandbits32_matches_reference) {
  auto ref = load_mt_reference();
  for (auto& [key, val] : ref.items()) {
    SCOPED_TRACE("seed " + key);
    python_random gen{std::stoll(key)};
    auto expected = val.at("getrandbits32_first8").get<std::vector<uint32_t>>();
    ASSERT_EQ(expected.size(), 8u);
    for (auto x : expected)
      EXPECT_EQ(gen.next_u32(), x);
  }
}

TEST(python_random, random_matches_reference_bit_for_bit) {
  auto ref = load_mt_reference();
  for (auto& [key, val] : ref.items()) {
    SCOPED_TRACE("seed " + key);
    python_random gen{std::stoll(key)};
    auto hexes = val.at("random_first8_hex").get<std::vector<std::string>>();
    auto decimals = val.at("random_first8").get<std::vector<double>>();
    ASSERT_EQ(hexes.size(), 8u);
    ASSERT_EQ(decimals.size(), 8u);
    for (size_t i = 0; i < hexes.size(); ++i) {
      auto x = gen.random();
      EXPECT_EQ(bits_of(x), bits_of(parse_hex_double(hexes[i]))) << hexes[i];
      EXPECT_EQ(bits_of(x), bits_of(decimals[i]));
      EXPECT_GE(x, 0.0);
      EXPECT_LT(x, 1.0);
    }
  }
}

TEST(python_random, choices_matches_reference) {
  auto ref = load_mt_reference();
  for (auto& [key, val] : ref.items()) {
    SCOPED_TRACE("seed " + key);
    python_random gen{std::stoll(key)};
    auto expected
      = val.at("choices_abc_w532_k10").get<std::vector<std::string>>();
    auto got = unwrap(gen.choices({5.0, 3.0, 2.0}, 10));
    ASSERT_EQ(got.size(), expected.size());
    const char* names[] = {"a", "b", "c"};
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_LT(got[i], 3u);
      EXPECT_EQ(names[got[i]], expected[i]) << "draw " << i;
    }
  }
}

// -- seeding (expected values from CPython's random module) -------------------

TEST(python_random, seed_uses_absolute_value) {
  python_random pos{5};
  python_random neg{-5};
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(pos.next_u32(), neg.next_u32());
  python_random gen{-5};
  EXPECT_EQ(gen.next_u32(), 2675342405u);
  EXPECT_EQ(gen.next_u32(), 1097127993u);
  EXPECT_EQ(gen.next_u32(), 3185950873u);
}

TEST(python_random, seed_splits_into_32_bit_words) {
  // random.seed(2**32) -> init_by_array([0, 1]).
  python_random gen{int64_t{1} << 32};
  EXPECT_EQ(gen.next_u32(), 485306839u);
  EXPECT_EQ(gen.next_u32(), 1508871100u);
  EXPECT_EQ(gen.next_u32(), 1794561286u);
  EXPECT_EQ(bits_of(gen.random()),
            bits_of(parse_hex_double("0x1.de93c9811139cp-1")));
  // random.seed(2**32 - 1) uses a single word.
  python_random small{int64_t{0xffffffff}};
  EXPECT_EQ(small.next_u32(), 2728839433u);
  EXPECT_EQ(small.next_u32(), 2661025012u);
  EXPECT_EQ(small.next_u32(), 872737089u);
}

TEST(python_random, extreme_seeds) {
  python_random min_gen{std::numeric_limits<int64_t>::min()};
  EXPECT_EQ(min_gen.next_u32(), 2377109768u);
  EXPECT_EQ(min_gen.next_u32(), 1691753470u);
  EXPECT_EQ(min_gen.next_u32(), 4039908392u);
  EXPECT_EQ(bits_of(min_gen.random()),
            bits_of(parse_hex_double("0x1.acb7723df356cp-3")));
  python_random max_gen{std::numeric_limits<int64_t>::max()};
  EXPECT_EQ(max_gen.next_u32(), 1359979423u);
  EXPECT_EQ(max_gen.next_u32(), 2819855560u);
  EXPECT_EQ(max_gen.next_u32(), 2711238091u);
  EXPECT_EQ(bits_of(max_gen.random()),
            bits_of(parse_hex_double("0x1.0fbd3bcdb5bb0p-3")));
}

TEST(python_random, explicit_key_matches_integer_seed) {
  python_random by_key{std::vector<uint32_t>{0, 1}};
  python_random by_seed{int64_t{1} << 32};
  python_random zero_key{std::vector<uint32_t>{0}};
  python_random zero_seed{0};
  python_random empty_key{std::vector<uint32_t>{}};
  for (int i = 0; i < 700; ++i) {
    EXPECT_EQ(by_key.next_u32(), by_seed.next_u32());
    auto z = zero_seed.next_u32();
    EXPECT_EQ(zero_key.next_u32(), z);
    EXPECT_EQ(empty_key.next_u32(), z);
  }
}

TEST(python_random, state_regenerates_after_624_outputs) {
  // random.seed(0); 1000 x getrandbits(32); getrandbits(32) == 126175447.
  python_random gen{0};
  for (int i = 0; i < 1000; ++i)
    gen.next_u32();
  EXPECT_EQ(gen.next_u32(), 126175447u);
}

TEST(python_random, random_consumes_two_outputs) {
  python_random gen{2024};
  python_random raw{2024};
  for (int i = 0; i < 10; ++i) {
    auto a = raw.next_u32() >> 5;
    auto b = raw.next_u32() >> 6;
    EXPECT_EQ(bits_of(gen.random()),
              bits_of((a * 67108864.0 + b) / 9007199254740992.0));
  }
}

// -- choices ------------------------------------------------------------------

TEST(python_random, choices_draws_one_random_per_pick) {
  // random.seed(2024); random.choices('abc', [5, 3, 2], k=3) == a b a, and
  // the next random() is the fourth one of the stream.
  python_random gen{2024};
  EXPECT_EQ(unwrap(gen.choices({5, 3, 2}, 3)), (std::vector<size_t>{0, 1, 0}));
  EXPECT_EQ(bits_of(gen.random()),
            bits_of(parse_hex_double("0x1.c64bf56e4e114p-1")));
}

TEST(python_random, choices_with_zero_weights) {
  // random.seed(12345)
  // random.choices(range(5), weights=[0.1, 0.0, 2.5, 0.0, 1.4], k=20)
  python_random gen{12345};
  auto got = unwrap(gen.choices({0.1, 0.0, 2.5, 0.0, 1.4}, 20));
  std::vector<size_t> expected{2, 0, 4, 2, 2, 2, 2, 2, 2, 2,
                               2, 2, 2, 2, 4, 2, 4, 2, 2, 2};
  EXPECT_EQ(got, expected);
}

TEST(python_random, choices_uniform_weights) {
  // random.seed(7); random.choices(range(4), weights=[0.25] * 4, k=12)
  python_random gen{7};
  auto got = unwrap(gen.choices({0.25, 0.25, 0.25, 0.25}, 12));
  std::vector<size_t> expected{1, 0, 2, 0, 2, 1, 0, 2, 0, 1, 0, 0};
  EXPECT_EQ(got, expected);
}

TEST(python_random, choices_negative_weight_follows_bisect) {
  // Cumulative weights [1, 0, 1] are not sorted; CPython's bisect still
  // returns 2 every time (random.seed(99); choices(range(3), [1, -1, 1])).
  python_random gen{99};
  EXPECT_EQ(unwrap(gen.choices({1, -1, 1}, 20)), std::vector<size_t>(20, 2));
}

TEST(python_random, choices_single_element_still_draws) {
  // random.seed(5); choices([x], [3], k=3); random() is the 4th draw.
  python_random gen{5};
  python_random ref{5};
  for (int i = 0; i < 3; ++i)
    ref.random();
  EXPECT_EQ(unwrap(gen.choices({3.0}, 3)), (std::vector<size_t>{0, 0, 0}));
  EXPECT_EQ(bits_of(gen.random()), bits_of(ref.random()));
}

TEST(python_random, choices_k_not_positive_draws_nothing) {
  python_random gen{42};
  python_random ref{42};
  EXPECT_TRUE(unwrap(gen.choices({1, 2, 3}, 0)).empty());
  EXPECT_TRUE(unwrap(gen.choices({1, 2, 3}, -3)).empty());
  EXPECT_EQ(gen.next_u32(), ref.next_u32());
}

TEST(python_random, choices_rejects_bad_weights) {
  auto inf = std::numeric_limits<double>::infinity();
  auto nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> bad{
    {},         {0.0, 0.0},  {1.0, -1.0},     {-2.0},
    {1.0, inf}, {inf, -inf}, {1.0, nan, 1.0}, {1e308, 1e308},
  };
  for (auto& weights : bad) {
    python_random gen{1};
    python_random ref{1};
    auto res = gen.choices(weights, 5);
    EXPECT_FALSE(res) << "weights of size " << weights.size();
    if (!res) {
      EXPECT_TRUE(res.error() == caf::sec::invalid_argument);
    }
    // Errors are raised before drawing, even for k == 0.
    EXPECT_FALSE(gen.choices(weights, 0));
    EXPECT_EQ(gen.next_u32(), ref.next_u32());
  }
}

// -- python_fsum --------------------------------------------------------------

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

// -- rng64 --------------------------------------------------------------------

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
  EXPECT_EQ(derive(7, {1, 2, 3}), derive(7, {1, 2, 3}));
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

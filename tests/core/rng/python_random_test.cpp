// Tests: the port of CPython's `random` module (suite python_random).

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/sec.hpp"

#include "caf/consensus/rng/python_random.hpp"

#include "core/rng/rng_helpers.hpp"

using namespace caf::consensus::rng;
using namespace caf::consensus::test;

namespace {

// -- utilities ----------------------------------------------------------------

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

} // namespace

// -- state export and import --------------------------------------------------

TEST(python_random, seeds_in_any_order_give_cpythons_first_words) {
  // random.seed(s); random.getrandbits(32) for seeds that repeat, alternate
  // and share a key prefix ([1], [0, 1], [1, 1], [0]): a repeated key reuses
  // the seeded table, a different key never does.
  std::vector<std::pair<int64_t, uint32_t>> cases{
    {1, 577090037u},
    {int64_t{1} << 32, 485306839u},
    {1, 577090037u},
    {(int64_t{1} << 32) + 1, 991850117u},
    {0, 3626764237u},
    {int64_t{1} << 32, 485306839u},
    {(int64_t{1} << 32) + 1, 991850117u}};
  for (auto [s, first] : cases) {
    python_random gen{s};
    EXPECT_EQ(gen.next_u32(), first) << "seed " << s;
  }
}

TEST(python_random, a_restored_state_continues_the_same_stream) {
  python_random a{int64_t{12345}};
  for (int i = 0; i < 1000; ++i) // cross a twist: the position is mid-table
    a.next_u32();
  EXPECT_EQ(a.state_position(), 1000u - 624u);
  auto b = python_random::from_state(a.state_words(), a.state_position());
  ASSERT_TRUE(b);
  for (int i = 0; i < 2000; ++i)
    ASSERT_EQ(a.next_u32(), b->next_u32()) << "draw " << i;
}

TEST(python_random, a_state_taken_mid_table_equals_cpythons) {
  // random.seed(12345); 1000 x getrandbits(32); random.getstate()[1]: the
  // whole table twisted (words 0, 375, 376, 623) and position 376, although
  // the generator twists a word only when it draws it.
  python_random a{int64_t{12345}};
  for (int i = 0; i < 1000; ++i)
    a.next_u32();
  auto words = a.state_words();
  ASSERT_EQ(words.size(), 624u);
  EXPECT_EQ(words[0], 1147510631u);
  EXPECT_EQ(words[375], 1628284350u);
  EXPECT_EQ(words[376], 742519091u);
  EXPECT_EQ(words[623], 4194154797u);
  EXPECT_EQ(a.state_position(), 376u);
}

TEST(python_random, a_freshly_seeded_state_sits_at_position_624) {
  // random.seed(n); random.getstate()[1][624] == 624
  python_random a{int64_t{7}};
  EXPECT_EQ(a.state_position(), 624u);
  EXPECT_EQ(a.state_words().size(), 624u);
  EXPECT_EQ(a.state_words()[0], 0x80000000u);
}

TEST(python_random, from_state_rejects_a_malformed_state) {
  std::vector<uint32_t> short_table(623, 1);
  EXPECT_FALSE(python_random::from_state(short_table, 0));
  std::vector<uint32_t> table(624, 1);
  EXPECT_FALSE(python_random::from_state(table, 625));
  EXPECT_TRUE(python_random::from_state(table, 624));
}

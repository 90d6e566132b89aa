// Tests: seeds of any size, checked against the system python3:
//   python3 -c 'import random; random.seed(N); print(repr(random.random()),
//     repr(random.random()), random.choices(range(5), weights=[1,2,3,4,5],
//     k=6), [random.getrandbits(32) for _ in range(3)])'
// (each list drawn after its own random.seed(N)).

#include <gtest/gtest.h>

#include <vector>

#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/rng/seed.hpp"

using namespace caf::consensus;
using rng::python_random;
using rng::seed;

namespace {

struct python_draws {
  const char* n;
  double first;
  double second;
  std::vector<size_t> choices;
  std::vector<uint32_t> bits;
};

const std::vector<python_draws> reference = {
  {"9223372036854775808",
   0.5534639983914199,
   0.9406144709090462,
   {3, 4, 2, 4, 1, 4},
   {2377109768, 1691753470, 4039908392}},
  {"18446744073709551615",
   0.021825695401270107,
   0.3380953268613758,
   {0, 2, 2, 3, 4, 2},
   {93740670, 1068495656, 1452108352}},
  {"18446744073709551616",
   0.9776462743838505,
   0.3711105964481608,
   {4, 2, 3, 3, 3, 1},
   {4198958755, 3158798261, 1593907883}},
  {"1267650600228229401496703205383",
   0.41604161323913513,
   0.32676498245430574,
   {3, 2, 3, 4, 3, 3},
   {1786885132, 353954449, 1403444918}},
  {"-1",
   0.13436424411240122,
   0.8474337369372327,
   {1, 4, 4, 2, 3, 3},
   {577090037, 2444712010, 3639700191}},
  {"-9223372036854775808",
   0.5534639983914199,
   0.9406144709090462,
   {3, 4, 2, 4, 1, 4},
   {2377109768, 1691753470, 4039908392}},
  {"0",
   0.8444218515250481,
   0.7579544029403025,
   {4, 4, 3, 2, 3, 3},
   {3626764237, 1654615998, 3255389356}},
  {"9223372036854775807",
   0.3166448820870279,
   0.631259308253863,
   {2, 3, 4, 3, 3, 4},
   {1359979423, 2819855560, 2711238091}},
};

seed must_parse(const char* text) {
  auto x = seed::parse(text);
  EXPECT_TRUE(x) << text;
  return x ? *x : seed{};
}

} // namespace

TEST(seed, every_integer_python_accepts_gives_pythons_draws) {
  for (auto& r : reference) {
    auto n = must_parse(r.n);
    python_random a{n};
    EXPECT_EQ(a.random(), r.first) << r.n;
    EXPECT_EQ(a.random(), r.second) << r.n;
    python_random b{n};
    auto xs = b.choices({1, 2, 3, 4, 5}, 6);
    ASSERT_TRUE(xs) << r.n;
    EXPECT_EQ(*xs, r.choices) << r.n;
    python_random c{n};
    for (auto bits : r.bits)
      EXPECT_EQ(c.next_u32(), bits) << r.n;
  }
}

TEST(seed, built_in_integers_equal_their_parsed_text) {
  EXPECT_EQ(seed{int64_t{-1}}, must_parse("-1"));
  EXPECT_EQ(seed{INT64_MIN}, must_parse("-9223372036854775808"));
  EXPECT_EQ(seed{UINT64_MAX}, must_parse("18446744073709551615"));
  EXPECT_EQ(seed{0}, must_parse("-0"));
  EXPECT_EQ(seed{42}, must_parse("+42"));
  EXPECT_EQ(seed{42}, must_parse("0000042"));
  // The int64 path of python_random is the seed path.
  for (int64_t n :
       {int64_t{0}, int64_t{1}, int64_t{-7}, INT64_MAX, INT64_MIN}) {
    python_random a{n};
    python_random b{seed{n}};
    EXPECT_EQ(a.next_u32(), b.next_u32()) << n;
  }
}

TEST(seed, decimal_text_round_trips) {
  for (auto text : {"0", "1", "-1", "4294967295", "4294967296",
                    "18446744073709551616", "-1267650600228229401496703205383",
                    "1000000000000000000000000000000000000000000000001"})
    EXPECT_EQ(must_parse(text).to_string(), text);
}

TEST(seed, low64_is_the_value_modulo_2_to_the_64) {
  EXPECT_EQ(must_parse("-1").low64(), UINT64_MAX);
  EXPECT_EQ(must_parse("18446744073709551616").low64(), 0u);
  EXPECT_EQ(must_parse("18446744073709551623").low64(), 7u);
  EXPECT_EQ(seed{int64_t{-5}}.low64(), static_cast<uint64_t>(int64_t{-5}));
  EXPECT_TRUE(must_parse("-9223372036854775808").fits_int64());
  EXPECT_FALSE(must_parse("9223372036854775808").fits_int64());
}

TEST(seed, words_are_the_init_by_array_key) {
  EXPECT_EQ(seed{0}.python_key(), (std::vector<uint32_t>{0}));
  EXPECT_EQ(must_parse("18446744073709551616").python_key(),
            (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_EQ(seed::from_words({5, 0, 0}, true), seed{-5});
}

TEST(seed, bad_text_is_an_error) {
  for (auto text : {"", "-", "+", "1e3", "0x10", "1.0", "--1", " 1", "1 "})
    EXPECT_FALSE(seed::parse(text)) << text;
  EXPECT_FALSE(seed::parse(std::string(seed::max_digits + 1, '9')));
  EXPECT_TRUE(seed::parse(std::string(seed::max_digits, '9')));
}

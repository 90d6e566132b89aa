// Tests: explicit run seeds (lists and ranges) and their errors.

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/consensus/sim/scenario/scenario.hpp"

#include "sim/scenario/scenario_files.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::test;

TEST(scenario_seeds, range) {
  auto s = must_load(good("seeds_range.yaml"));
  EXPECT_EQ(s.seeds, (std::vector<rng::seed>{10, 11, 12, 13, 14}));
  EXPECT_EQ(s.replicates, 5u);
  EXPECT_EQ(s.seed, 0u);
}

TEST(scenario_seeds, list_sets_the_replicates) {
  auto s = must_parse(base + "seeds: [3, 1, 2]\n");
  EXPECT_EQ(s.seeds, (std::vector<rng::seed>{3, 1, 2}));
  EXPECT_EQ(s.replicates, 3u);
  auto t = must_parse(base + "replicates: 3\nseeds: [3, 1, 2]\n");
  EXPECT_EQ(t.replicates, 3u);
  auto u = must_parse(base + "seeds: {from: 0, to: 0}\n");
  EXPECT_EQ(u.seeds, (std::vector<rng::seed>{0}));
}

TEST(scenario_seeds, errors) {
  EXPECT_EQ(parse_error(base + "seeds: []\n"),
            "malformed_input: inline.yaml:4: key 'seeds': expected at least "
            "one seed, got an empty list");
  EXPECT_EQ(parse_error(base + "seeds: [1, x]\n"),
            "malformed_input: inline.yaml:4: key 'seeds[1]': expected an "
            "integer of at most 10000 decimal digits with an optional sign, "
            "got 'x'");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1, to: 2000000}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': expected at "
            "most 1000000 seeds, got 2000000");
  EXPECT_EQ(parse_error(base + "seeds: {from: 0, to: 18446744073709551615}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': expected at "
            "most 1000000 seeds, got 2^64");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.to': missing "
            "required key");
  EXPECT_EQ(parse_error(base + "seeds: {from: 1, to: 2, by: 1}\n"),
            "malformed_input: inline.yaml:4: key 'seeds.by': unknown key "
            "(accepted: from, to)");
}

TEST(scenario_seeds, minus_zero_is_zero) {
  EXPECT_EQ(must_parse(base + "seed: -0\n").seed, 0u);
  EXPECT_EQ(must_parse(base + "seed: -000\n").seed, 0u);
  EXPECT_EQ(must_parse(base + "seeds: [-0, 1]\n").seeds,
            (std::vector<rng::seed>{0, 1}));
  EXPECT_EQ(must_parse(base + "seed: -01\n").seed, -1);
}

rng::seed big(const char* text) {
  auto x = rng::seed::parse(text);
  if (!x)
    throw std::runtime_error("bad seed text in a test");
  return std::move(*x);
}

TEST(scenario_seeds, any_integer_python_accepts) {
  // 2^63, 2^64 - 1, 2^64, 2^100 + 7, -1, -(2^63), and 150 digits.
  auto digits = std::string(150, '7');
  auto s = must_parse(base
                      + "seeds: [9223372036854775808, 18446744073709551615, "
                        "18446744073709551616, 1267650600228229401496703205383,"
                        " -1, -9223372036854775808, "
                      + digits + "]\n");
  EXPECT_EQ(s.seeds, (std::vector<rng::seed>{
                       big("9223372036854775808"), big("18446744073709551615"),
                       big("18446744073709551616"),
                       big("1267650600228229401496703205383"), big("-1"),
                       big("-9223372036854775808"), big(digits.c_str())}));
  EXPECT_EQ(s.replicates, 7u);
  EXPECT_EQ(s.seeds[2].words(), (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_TRUE(s.seeds[4].negative());
  auto t = must_parse(base + "seed: 18446744073709551616\n");
  EXPECT_EQ(t.seed.to_string(), "18446744073709551616");
  EXPECT_EQ(parse_error(base + "seed: " + std::string(10001, '1') + "\n"),
            "malformed_input: inline.yaml:4: key 'seed': expected an integer "
            "of at most 10000 decimal digits with an optional sign, got '"
              + std::string(60, '1') + "...'");
}

// Snow-family node counters: the sequences of avalanchego's Snowflake and
// Snowball unit tests and of luxfi/consensus's confidence test, replayed on
// our node (each step asserts preference, finalization and, where upstream
// checks it, the counter and the strengths).

#include "caf/consensus/sim/snow/node.hpp"

#include <gtest/gtest.h>

using namespace caf::consensus::sim::snow;

namespace {

constexpr uint32_t red = 0;
constexpr uint32_t blue = 1;
constexpr uint32_t green = 2;

node make(semantics sem, int32_t a_pref, int32_t a_conf, int32_t beta,
          uint32_t initial, int32_t k = 20) {
  return node{sem, quorum{k, a_pref, a_conf, beta}, 3, initial};
}

#define EXPECT_STATE(n, pref, fin)                                             \
  do {                                                                         \
    EXPECT_EQ((n).preference(), pref);                                         \
    EXPECT_EQ((n).finalized(), fin);                                           \
  } while (false)

} // namespace

// avalanchego TestBinarySnowflake (alpha_p 1, alpha_c 2, beta 2).
TEST(snow_node, upstream_binary_snowflake) {
  auto sf = make(semantics::snowflake, 1, 2, 2, red);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(2, blue);
  EXPECT_STATE(sf, blue, false);
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(2, blue);
  EXPECT_STATE(sf, blue, false);
  sf.record_poll(1, red); // alpha-preference only: switch, counter 0
  EXPECT_STATE(sf, red, false);
  EXPECT_EQ(sf.confidence(), 0);
  sf.record_poll(2, blue); // another choice: counter 1
  EXPECT_STATE(sf, blue, false);
  EXPECT_EQ(sf.confidence(), 1);
  sf.record_poll(2, blue);
  EXPECT_STATE(sf, blue, true);
}

// avalanchego TestNnarySnowflake: decided stays decided.
TEST(snow_node, upstream_nnary_snowflake) {
  auto sf = make(semantics::snowflake, 1, 2, 2, red);
  sf.record_poll(2, blue);
  EXPECT_STATE(sf, blue, false);
  sf.record_poll(1, red);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, true);
  sf.record_poll(1, blue);
  EXPECT_STATE(sf, red, true);
  sf.record_poll(2, blue);
  EXPECT_STATE(sf, red, true);
}

// avalanchego TestNnarySnowflakeConfidenceReset (beta 4).
TEST(snow_node, upstream_nnary_snowflake_confidence_reset) {
  auto sf = make(semantics::snowflake, 1, 2, 4, red);
  for (int i = 0; i < 3; ++i) {
    sf.record_poll(2, blue);
    EXPECT_STATE(sf, blue, false);
  }
  for (int i = 0; i < 3; ++i) {
    sf.record_poll(2, red);
    EXPECT_STATE(sf, red, false);
  }
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, true);
}

// avalanchego TestVirtuousNnarySnowflake.
TEST(snow_node, upstream_virtuous_snowflake) {
  auto sf = make(semantics::snowflake, 1, 2, 2, red);
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(2, red);
  EXPECT_STATE(sf, red, true);
}

// avalanchego's error-driven suite (test_snowflake.go), first termination
// condition (alpha_p 3, alpha_c 3, beta 4): switch choices, reset, and the
// counter of the lowest alpha-confidence threshold.
TEST(snow_node, upstream_error_driven_switch_choices) {
  auto sf = make(semantics::snowflake, 3, 3, 4, red);
  sf.record_poll(3, red);
  EXPECT_EQ(sf.confidence(), 1);
  sf.record_poll(2, blue); // below alpha_p: unsuccessful
  EXPECT_EQ(sf.confidence(), 0);
  EXPECT_STATE(sf, red, false);
  sf.record_poll(3, red);
  EXPECT_EQ(sf.confidence(), 1);
  sf.record_poll(0, red);
  EXPECT_EQ(sf.confidence(), 0);
  sf.record_poll(3, blue);
  EXPECT_EQ(sf.confidence(), 1);
  EXPECT_STATE(sf, blue, false);
}

TEST(snow_node, upstream_error_driven_reset) {
  auto sf = make(semantics::snowflake, 3, 3, 4, red);
  for (int i = 0; i < 3; ++i)
    sf.record_poll(3, red);
  sf.record_unsuccessful_poll();
  EXPECT_EQ(sf.confidence(), 0);
  EXPECT_STATE(sf, red, false);
  for (int i = 0; i < 4; ++i) {
    sf.record_poll(3, red);
    EXPECT_EQ(sf.confidence(), i + 1);
    EXPECT_EQ(sf.finalized(), i + 1 >= 4);
  }
}

TEST(snow_node, upstream_error_driven_highest_alpha) {
  auto sf = make(semantics::snowflake, 3, 3, 4, red);
  int32_t counts[] = {5, 4, 3, 5};
  for (int i = 0; i < 4; ++i) {
    sf.record_poll(counts[i], red);
    EXPECT_EQ(sf.confidence(), i + 1);
  }
  EXPECT_TRUE(sf.finalized());
}

// avalanchego TestBinarySnowball (alpha_p 2, alpha_c 3, beta 2): the
// preference follows the strengths, not the last poll.
TEST(snow_node, upstream_binary_snowball) {
  auto sb = make(semantics::snowball, 2, 3, 2, red);
  EXPECT_STATE(sb, red, false);
  sb.record_poll(3, blue);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(3, red);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(3, blue);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(3, blue);
  EXPECT_STATE(sb, blue, true);
}

// avalanchego TestBinarySnowballRecordPollPreference.
TEST(snow_node, upstream_snowball_record_poll_preference) {
  auto sb = make(semantics::snowball, 1, 2, 2, red);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(2, red);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(1, red);
  EXPECT_STATE(sb, red, false);
  sb.record_poll(2, red);
  EXPECT_STATE(sb, red, false);
  sb.record_poll(2, red);
  EXPECT_STATE(sb, red, true);
  EXPECT_EQ(sb.strength(red), 4);
  EXPECT_EQ(sb.strength(blue), 1);
  EXPECT_EQ(sb.confidence(), 2);
}

// avalanchego TestBinarySnowballRecordUnsuccessfulPoll.
TEST(snow_node, upstream_snowball_unsuccessful_poll) {
  auto sb = make(semantics::snowball, 1, 2, 2, red);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, blue, false);
  sb.record_unsuccessful_poll();
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, blue, false);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, blue, true);
  EXPECT_EQ(sb.strength(red), 0);
  EXPECT_EQ(sb.strength(blue), 3);
}

// avalanchego TestBinarySnowballAcceptWeirdColor: Snowflake finalizes a
// colour Snowball does not prefer; the answer is then Snowflake's.
TEST(snow_node, upstream_snowball_accept_weird_color) {
  auto sb = make(semantics::snowball, 1, 2, 2, red);
  sb.record_poll(2, red);
  sb.record_unsuccessful_poll();
  EXPECT_STATE(sb, red, false);
  sb.record_poll(2, red);
  sb.record_unsuccessful_poll();
  EXPECT_STATE(sb, red, false);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, red, false);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, blue, true);
  EXPECT_EQ(sb.strength(red), 2);
  EXPECT_EQ(sb.strength(blue), 2);
}

// avalanchego TestBinarySnowballLockColor: strengths keep counting after
// the decision, the answer does not change.
TEST(snow_node, upstream_snowball_lock_color) {
  auto sb = make(semantics::snowball, 1, 2, 1, red);
  sb.record_poll(2, red);
  EXPECT_STATE(sb, red, true);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, red, true);
  sb.record_poll(1, blue);
  sb.record_poll(2, blue);
  EXPECT_STATE(sb, red, true);
  EXPECT_EQ(sb.strength(red), 1);
  EXPECT_EQ(sb.strength(blue), 3);
  EXPECT_EQ(sb.confidence(), 1);
}

// luxfi/consensus TestConfidence (threshold 3, alpha 0.8), with k = 20:
// ratios 0.9, 0.85, 0.9 decide; 0.9 then 0.1 resets.
TEST(snow_node, upstream_luxfi_confidence) {
  auto lx = make(semantics::luxfi, 16, 16, 3, red);
  lx.record_poll(18, red, 18);
  EXPECT_EQ(lx.confidence(), 1);
  EXPECT_FALSE(lx.finalized());
  lx.record_poll(17, red, 17);
  EXPECT_EQ(lx.confidence(), 2);
  EXPECT_FALSE(lx.finalized());
  lx.record_poll(18, red, 18);
  EXPECT_EQ(lx.confidence(), 3);
  EXPECT_TRUE(lx.finalized());
  auto other = make(semantics::luxfi, 16, 16, 3, red);
  other.record_poll(18, red, 18);
  other.record_poll(18, blue, 2);   // ratio 0.1 for red: reset ...
  EXPECT_EQ(other.confidence(), 1); // ... and blue takes over with 1
  EXPECT_EQ(other.preference(), blue);
  auto low = make(semantics::luxfi, 16, 16, 3, red);
  low.record_poll(18, red, 18);
  low.record_poll(2, red, 2); // ratio 0.1, no switch: reset
  EXPECT_EQ(low.confidence(), 0);
}

// What separates luxfi from avalanchego: a poll between 1 - alpha and alpha
// keeps the counter, where Snowflake resets it.
TEST(snow_node, luxfi_keeps_counter_in_the_middle) {
  auto lx = make(semantics::luxfi, 11, 16, 3, red);
  auto sf = make(semantics::snowflake, 11, 16, 3, red);
  lx.record_poll(17, red, 17);
  sf.record_poll(17, red);
  lx.record_poll(12, red, 12); // 0.6: neither >= 0.8 nor <= 0.2
  sf.record_poll(12, red);
  EXPECT_EQ(lx.confidence(), 1);
  EXPECT_EQ(sf.confidence(), 0);
  lx.record_poll(4, red, 4); // 0.2 <= 1 - 0.8: reset
  EXPECT_EQ(lx.confidence(), 0);
}

TEST(snow_node, record_votes_uses_mode_lowest_index_on_ties) {
  auto sf = make(semantics::snowflake, 3, 4, 2, red);
  int32_t votes[] = {2, 4, 4};
  sf.record_votes(votes);
  EXPECT_EQ(sf.preference(), blue);
  EXPECT_EQ(sf.confidence(), 1);
  int32_t split[] = {3, 0, 3};
  sf.record_votes(split); // mode red with 3 >= alpha_p: switch, 3 < alpha_c
  EXPECT_EQ(sf.preference(), red);
  EXPECT_EQ(sf.confidence(), 0);
  (void) green;
}

TEST(snow_node, semantics_names_round_trip) {
  for (auto s : {semantics::snowflake, semantics::snowball, semantics::luxfi}) {
    semantics back = semantics::snowflake;
    ASSERT_TRUE(from_string(to_string(s), back));
    EXPECT_EQ(back, s);
  }
  semantics x;
  EXPECT_FALSE(from_string("avalanche", x));
}

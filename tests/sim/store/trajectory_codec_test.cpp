// Tests: per-round numbers packed for the results store (suite
// trajectory_codec).

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::store_internal;

namespace {

uint64_t bits(double x) {
  uint64_t y;
  std::memcpy(&y, &x, sizeof(y));
  return y;
}

std::vector<round_summary> sample() {
  std::vector<round_summary> xs(4);
  double confs[][2] = {{0.0, 0.0},
                       {1.0 / 3, 1.0},
                       {-0.0, std::numeric_limits<double>::denorm_min()},
                       {0.1 + 0.2, 1e300}};
  for (size_t i = 0; i < xs.size(); ++i) {
    auto& x = xs[i];
    x.round = static_cast<int32_t>(i);
    x.live = static_cast<uint32_t>(3 + i * 1000);
    x.calls = static_cast<uint32_t>(200 + i);
    x.failures = static_cast<uint32_t>(i);
    x.with_reference = static_cast<uint32_t>(i * 70000);
    x.with_truth = 4000000000u;
    x.with_plurality = 1;
    x.mean_confidence = confs[i][0];
    x.max_confidence = confs[i][1];
    x.decided = i == 0 ? -1 : static_cast<int32_t>(i * 5);
    x.stopped = i == 3;
  }
  return xs;
}

} // namespace

TEST(trajectory_codec, round_trips_every_value_bit_for_bit) {
  auto xs = sample();
  auto blob = encode_trajectory(xs);
  auto back = decode_trajectory(blob);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    auto& a = xs[i];
    auto& b = (*back)[i];
    EXPECT_EQ(b.round, a.round);
    EXPECT_EQ(b.live, a.live);
    EXPECT_EQ(b.calls, a.calls);
    EXPECT_EQ(b.failures, a.failures);
    EXPECT_EQ(b.with_reference, a.with_reference);
    EXPECT_EQ(b.with_truth, a.with_truth);
    EXPECT_EQ(b.with_plurality, a.with_plurality);
    EXPECT_EQ(bits(b.mean_confidence), bits(a.mean_confidence)) << i;
    EXPECT_EQ(bits(b.max_confidence), bits(a.max_confidence)) << i;
    EXPECT_EQ(b.decided, a.decided);
    EXPECT_EQ(b.stopped, a.stopped);
  }
  // No rounds at all.
  auto empty = decode_trajectory(encode_trajectory({}));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(trajectory_codec, is_small_for_typical_rounds) {
  // Small counts and confidences of 0 or 1 take 8 bytes a round.
  std::vector<round_summary> xs(4);
  for (auto& x : xs) {
    x.live = x.calls = x.with_plurality = 9;
    x.max_confidence = 1.0;
  }
  EXPECT_EQ(encode_trajectory(xs).size(), 2u + 4u * 8u);
}

TEST(trajectory_codec, refuses_damaged_blobs) {
  auto blob = encode_trajectory(sample());
  // Every truncation, every added byte, another format byte.
  for (size_t n = 0; n < blob.size(); ++n)
    EXPECT_FALSE(decode_trajectory(blob.substr(0, n))) << n;
  EXPECT_FALSE(decode_trajectory(blob + '\0'));
  auto other = blob;
  other[0] = 2;
  EXPECT_FALSE(decode_trajectory(other));
  // A huge round count does not allocate: refused before.
  EXPECT_FALSE(decode_trajectory(std::string{"\x01\xff\xff\xff\xff\x0f", 6}));
  // A count beyond 32 bits, an unknown confidence kind, unknown flags.
  EXPECT_FALSE(decode_trajectory(std::string{
    "\x01\x01\x80\x80\x80\x80\x10\x00\x00\x00\x00\x00\x00\x00", 14}));
  EXPECT_FALSE(decode_trajectory(
    std::string{"\x01\x01\x00\x00\x00\x00\x00\x00\x00\x06", 10}));
  EXPECT_FALSE(decode_trajectory(
    std::string{"\x01\x01\x00\x00\x00\x00\x00\x00\x00\x20", 10}));
  // Flipping any single byte never crashes (it may still decode).
  for (size_t i = 0; i < blob.size(); ++i) {
    auto x = blob;
    x[i] = static_cast<char>(x[i] ^ 0x5a);
    (void) decode_trajectory(x);
  }
}

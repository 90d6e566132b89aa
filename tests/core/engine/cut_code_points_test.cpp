// Tests: cut_code_points cuts UTF-8 text after n code points (suite
// cut_code_points).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

TEST(cut_code_points, counts_code_points_not_bytes) {
  auto e = utf8(0xe9);
  auto cjk = utf8(0x4e2d);
  auto emoji = utf8(0x1F600);
  auto s = e + "b" + cjk + emoji + "z";
  EXPECT_EQ(cut_code_points(s, 0), "");
  EXPECT_EQ(cut_code_points(s, 1), e);
  EXPECT_EQ(cut_code_points(s, 2), e + "b");
  EXPECT_EQ(cut_code_points(s, 3), e + "b" + cjk);
  EXPECT_EQ(cut_code_points(s, 4), e + "b" + cjk + emoji);
  EXPECT_EQ(cut_code_points(s, 5), s);
  EXPECT_EQ(cut_code_points(s, 100), s);
  EXPECT_EQ(cut_code_points("", 3), "");
  // Invalid lead bytes count as one code point each (U+FFFD in Python).
  std::string invalid = "\xff\xfe"
                        "ab";
  EXPECT_EQ(cut_code_points(invalid, 1), "\xff");
  EXPECT_EQ(cut_code_points(invalid, 3), "\xff\xfe"
                                         "a");
}

TEST(cut_code_points, agrees_with_a_byte_by_byte_count) {
  // Random mixes of ASCII, lead, continuation and invalid bytes around the
  // eight-byte chunks of the fast path.
  auto naive = [](const std::string& x, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if ((static_cast<unsigned char>(x[i]) & 0xC0) != 0x80) {
        if (count == n)
          return x.substr(0, i);
        ++count;
      }
    }
    return x;
  };
  const char bytes[] = {'a',    ' ',    '\x7f', '\xc3', '\xa9', '\xe4', '\xb8',
                        '\xad', '\xf0', '\x9f', '\x98', '\x80', '\xff'};
  uint64_t x = 12345;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text(next() % 1200, ' ');
    for (auto& c : text)
      c = bytes[next() % sizeof(bytes)];
    auto n = static_cast<size_t>(next() % 1100);
    ASSERT_EQ(cut_code_points(text, n), naive(text, n))
      << "trial " << trial << ", n = " << n;
  }
}

// Tests: sample_list, the trace's list of sampled participants, behaves like
// std::vector<uint32_t> inside and beyond its inline room (suite
// sample_list).

#include <gtest/gtest.h>

#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/deep_to_string.hpp"

#include "caf/consensus/sample_list.hpp"
#include "caf/consensus/state.hpp"

using namespace caf::consensus;

namespace {

std::vector<uint32_t> iota(size_t n) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(static_cast<uint32_t>(7 * i + 1));
  return out;
}

} // namespace

TEST(sample_list, holds_what_push_back_gives_at_every_size) {
  // Sizes around the inline room and the first heap growths.
  for (size_t n = 0; n <= 20; ++n) {
    sample_list xs;
    for (auto x : iota(n))
      xs.push_back(x);
    EXPECT_EQ(xs.size(), n);
    EXPECT_EQ(xs.empty(), n == 0);
    EXPECT_EQ(xs, iota(n)) << n;
    EXPECT_EQ(xs.to_vector(), iota(n)) << n;
    EXPECT_GE(xs.capacity(), n);
    if (n > 0) {
      EXPECT_EQ(xs.front(), iota(n).front());
      EXPECT_EQ(xs.back(), iota(n).back());
    }
  }
}

TEST(sample_list, copies_and_moves_inline_and_on_the_heap) {
  for (size_t n : {0u, 3u, 4u, 5u, 12u}) {
    sample_list a{iota(n)};
    sample_list b = a; // copy
    EXPECT_EQ(b, a);
    b.push_back(99); // the copy is independent
    EXPECT_EQ(a, iota(n));
    sample_list c = std::move(b);
    EXPECT_EQ(c.size(), n + 1);
    EXPECT_EQ(c.back(), 99u);
    EXPECT_TRUE(b.empty()); // NOLINT: moved-from is empty
    // Assignment in every direction between inline and heap lists.
    sample_list d{iota(9)};
    d = a;
    EXPECT_EQ(d, iota(n));
    sample_list e{1, 2};
    e = sample_list{iota(11)};
    EXPECT_EQ(e, iota(11));
    e = c;
    EXPECT_EQ(e, c);
  }
}

TEST(sample_list, compares_and_assigns_like_a_vector) {
  sample_list xs{3, 1, 2};
  std::vector<uint32_t> v{3, 1, 2};
  EXPECT_TRUE(xs == v);
  EXPECT_TRUE(v == xs);
  EXPECT_FALSE(xs != v);
  v.push_back(0);
  EXPECT_TRUE(xs != v);
  EXPECT_TRUE(v != xs);
  EXPECT_TRUE((sample_list{1, 2}) < (sample_list{1, 3}));
  EXPECT_TRUE((sample_list{1, 2}) < (sample_list{1, 2, 0}));
  xs.assign(v.begin(), v.end());
  EXPECT_EQ(xs, v);
  xs.resize(6);
  EXPECT_EQ(xs, (std::vector<uint32_t>{3, 1, 2, 0, 0, 0}));
  xs.clear();
  EXPECT_TRUE(xs.empty());
}

TEST(sample_list, inserts_anywhere_as_std_inserter_does) {
  sample_list xs;
  auto it = std::inserter(xs, xs.end());
  for (auto x : iota(6))
    *it++ = x;
  EXPECT_EQ(xs, iota(6));
  xs.insert(xs.begin(), 100);
  xs.insert(xs.begin() + 3, 200);
  std::vector<uint32_t> want = iota(6);
  want.insert(want.begin(), 100);
  want.insert(want.begin() + 3, 200);
  EXPECT_EQ(xs, want);
}

TEST(sample_list, prints_and_serializes_like_a_vector) {
  for (size_t n : {0u, 2u, 4u, 9u}) {
    sample_list xs{iota(n)};
    EXPECT_EQ(caf::deep_to_string(xs), caf::deep_to_string(iota(n)));
    // Binary form: the same bytes as the vector's; loads back.
    std::vector<char> a;
    std::vector<char> b;
    caf::binary_serializer sa{nullptr, a};
    caf::binary_serializer sb{nullptr, b};
    auto v = iota(n);
    ASSERT_FALSE(sa(xs));
    ASSERT_FALSE(sb(v));
    EXPECT_EQ(a, b);
    sample_list back{9, 9, 9, 9, 9, 9};
    caf::binary_deserializer source{nullptr, a};
    ASSERT_FALSE(source(back));
    EXPECT_EQ(back, xs);
  }
  // Inside the trace: an agreement record prints its sample as a list.
  agreement_record rec{2, sample_list{0, 4}, 0.5};
  EXPECT_EQ(caf::deep_to_string(rec),
            "caf::consensus::agreement_record(2, [0, 4], 0.500000)");
}

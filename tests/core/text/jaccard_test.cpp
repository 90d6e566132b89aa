// Tests: the Jaccard index of two token sets (suite jaccard).

#include <gtest/gtest.h>

#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus::text;

namespace {

TEST(jaccard, values) {
  token_set ab{"a", "b"};
  token_set bc{"b", "c"};
  token_set cd{"c", "d"};
  EXPECT_EQ(jaccard(ab, ab), 1.0);
  EXPECT_EQ(jaccard(ab, cd), 0.0);
  EXPECT_EQ(jaccard(ab, bc), 1.0 / 3.0);
  EXPECT_EQ(jaccard(bc, ab), 1.0 / 3.0);
  EXPECT_EQ(jaccard(token_set{"a", "b", "c", "d"}, ab), 0.5);
  EXPECT_EQ(jaccard(token_set{"a", "c", "e", "g"}, token_set{"b", "c", "g"}),
            2.0 / 5.0);
}

TEST(jaccard, empty_sets_yield_zero) {
  token_set empty;
  token_set a{"a"};
  EXPECT_EQ(jaccard(empty, empty), 0.0);
  EXPECT_EQ(jaccard(empty, a), 0.0);
  EXPECT_EQ(jaccard(a, empty), 0.0);
}

} // namespace

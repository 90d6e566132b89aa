// Tests: the similarity measures of texts (suite similarity).

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>

#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus::text;

namespace {

TEST(similarity, default_is_shared_jaccard) {
  auto sim = default_similarity();
  ASSERT_NE(sim, nullptr);
  EXPECT_EQ(sim.get(), default_similarity().get());
  EXPECT_NE(dynamic_cast<const jaccard_similarity*>(sim.get()), nullptr);
  EXPECT_EQ((*sim)("A b", "B c"), 1.0 / 3.0);
  EXPECT_EQ((*sim)("Same words", "words SAME"), 1.0);
  EXPECT_EQ((*sim)("", "anything"), 0.0);
  EXPECT_EQ((*sim)("Hello,", "hello"), 0.0);
}

/// Overlap coefficient, to check that token_similarity tokenizes both sides.
class overlap_similarity : public token_similarity {
public:
  double on_tokens(const token_set& a, const token_set& b) const override {
    ++calls;
    if (a.empty() || b.empty())
      return 0.0;
    token_set common;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(),
                          std::back_inserter(common));
    return static_cast<double>(common.size())
           / static_cast<double>(std::min(a.size(), b.size()));
  }

  mutable int calls = 0;
};

TEST(similarity, token_similarity_tokenizes_both_texts) {
  overlap_similarity sim;
  const similarity& base = sim;
  EXPECT_EQ(base("A a B", "b C d E"), 0.5);
  EXPECT_EQ(base("x", "X y Z"), 1.0);
  EXPECT_EQ(sim.calls, 2);
}

} // namespace

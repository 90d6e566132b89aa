// Tests: tokenize, sorted(set(text.lower().split())) (suite tokenize).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

#include "core/text/text_helpers.hpp"

using namespace caf::consensus::text;
using namespace caf::consensus::test;

namespace {

token_set sorted_unique(strings xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  return xs;
}

TEST(tokenize, empty_text_yields_empty_set) {
  EXPECT_TRUE(tokenize("").empty());
  EXPECT_TRUE(tokenize(" \n\t\x1f ").empty());
}

TEST(tokenize, lower_cases_sorts_and_deduplicates) {
  EXPECT_EQ(tokenize("b a B A a"), (token_set{"a", "b"}));
  EXPECT_EQ(tokenize("The cat saw THE dog"),
            (token_set{"cat", "dog", "saw", "the"}));
}

TEST(tokenize, punctuation_is_not_stripped) {
  EXPECT_EQ(tokenize("Hello, hello"), (token_set{"hello", "hello,"}));
  EXPECT_EQ(jaccard(tokenize("Hello,"), tokenize("hello")), 0.0);
  EXPECT_EQ(tokenize("(42) 42."), (token_set{"(42)", "42."}));
}

TEST(tokenize, invalid_utf8) {
  // sorted(set(b'A\xffB caf\xc3\x89 \xe2\x80'.decode('utf-8', 'replace')
  //            .lower().split()))
  EXPECT_EQ(tokenize("A\xff"
                     "B caf\xc3\x89 \xe2\x80"),
            (token_set{"a" + replacement + "b", "caf\xc3\xa9", replacement}));
}

TEST(tokenize, byte_wise_order) {
  // 'é' (C3 A9) sorts after 'z', like Python's sorting of UTF-8 bytes.
  EXPECT_EQ(tokenize("\xc3\xa9t\xc3\xa9 zoo \xc3\x89T\xc3\x89 apple"),
            (token_set{"apple", "zoo", "\xc3\xa9t\xc3\xa9"}));
}

TEST(tokenize, equals_sorted_split_of_lower) {
  std::vector<std::string> inputs{
    "Hello World hello",
    "Mixed \xc3\x9c"
    "BER \xc3\xbc"
    "ber caf\xc3\xa9 CAF\xc3\x89",
    "\xce\x9f\xce\x94\xce\x9f\xce\xa3\xe2\x80\x83\xce\xa3\xce\x91\xce\xa3",
    "\xc4\xb0I\xc4\xb1i \xc4\xb0I\xc4\xb1i",
    "bad\xff\xfe bytes \xed\xa0\x80 here",
    "tabs\tand\x0bvertical\x1ctabs\xc2\x85next\xc2\xa0nbsp",
    std::string(40, 'A') + " " + std::string(40, 'a'),
  };
  for (auto& input : inputs) {
    SCOPED_TRACE(input);
    EXPECT_EQ(tokenize(input),
              sorted_unique(python_split(python_lower(input))));
  }
}

TEST(tokenize, large_input) {
  std::string text;
  for (int i = 0; i < 200000; ++i) {
    text += "Word";
    text += std::to_string(i % 1000);
    text += i % 7 == 0 ? "\xe3\x80\x80" : " ";
    if (i % 100 == 0)
      text += "\xce\xa3\xce\x91\xce\xa3 ";
  }
  auto tokens = tokenize(text);
  ASSERT_EQ(tokens.size(), 1001u);
  EXPECT_EQ(tokens.front(), "word0");
  EXPECT_EQ(tokens.back(), "\xcf\x83\xce\xb1\xcf\x82");
  EXPECT_TRUE(std::is_sorted(tokens.begin(), tokens.end()));
  // The per-thread buffers still work after a large input.
  EXPECT_EQ(tokenize("Small INPUT"), (token_set{"input", "small"}));
}

} // namespace

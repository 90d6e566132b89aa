// Tests: the choice extractors: normalized text, last number and regex
// (suite extract_choice).

#include <gtest/gtest.h>

#include <string>

#include "caf/consensus/choice.hpp"
#include "caf/consensus/text/pattern.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- extract_choice -----------------------------------------------------------

TEST(extract_choice, normalized_text_lowers_and_collapses_whitespace) {
  auto k = extractor_kind::normalized_text;
  EXPECT_EQ(extract_choice("  Hello \t  World\n", k, ""), "hello world");
  EXPECT_EQ(extract_choice("PARIS", k, ""), "paris");
  EXPECT_EQ(extract_choice("Paris.", k, ""), "paris."); // no stripping
  EXPECT_EQ(extract_choice("", k, ""), "");
  EXPECT_EQ(extract_choice(" \n\t ", k, ""), "");
  // Unicode: full lower-casing and Unicode whitespace (U+3000).
  EXPECT_EQ(extract_choice("\xc3\x80"
                           "B"
                             + utf8(0x3000) + "C",
                           k, ""),
            "\xc3\xa0"
            "b c");
}

TEST(extract_choice, last_number_takes_the_last_number) {
  auto k = extractor_kind::last_number;
  EXPECT_EQ(extract_choice("The answer is 42.", k, ""), "42");
  EXPECT_EQ(extract_choice("between 10 and 20", k, ""), "20");
  EXPECT_EQ(extract_choice("costs 12.5 dollars", k, ""), "12.5");
  EXPECT_EQ(extract_choice("3.50", k, ""), "3.5");
  EXPECT_EQ(extract_choice("4.0", k, ""), "4");
  EXPECT_EQ(extract_choice("100", k, ""), "100"); // integer zeros kept
  EXPECT_EQ(extract_choice("x = 100.000", k, ""), "100");
  EXPECT_EQ(extract_choice("temperature -7", k, ""), "-7");
  EXPECT_EQ(extract_choice("-2.25 degrees", k, ""), "-2.25");
  EXPECT_EQ(extract_choice("-0.0", k, ""), "0");
  EXPECT_EQ(extract_choice("no digits", k, ""), "");
  EXPECT_EQ(extract_choice("", k, ""), "");
}

TEST(extract_choice, regex_takes_group_one_or_the_whole_match) {
  auto k = extractor_kind::regex;
  EXPECT_EQ(extract_choice("Reasoning... ANSWER: blue. Done", k,
                           "ANSWER: (\\w+)"),
            "blue");
  EXPECT_EQ(extract_choice("a1 b22 c333", k, "[a-z]\\d{2}"), "b22");
  EXPECT_EQ(extract_choice("nothing", k, "ANSWER: (\\w+)"), "");
  // First match wins.
  EXPECT_EQ(extract_choice("x=1 x=2", k, "x=(\\d)"), "1");
}

TEST(extract_choice, hostile_patterns_neither_crash_nor_hang) {
  auto k = extractor_kind::regex;
  // 50,000 nested groups: std::regex overflowed the stack compiling it.
  auto deep = std::string(50000, '(') + "x" + std::string(50000, ')');
  EXPECT_EQ(text::pattern_error(deep), "");
  EXPECT_EQ(extract_choice("a x b", k, deep), "x");
  // Catastrophic backtracking for a backtracking engine: linear for RE2.
  auto text = std::string(200000, 'a') + "b";
  EXPECT_EQ(extract_choice(text, k, "(a+)+$"), "");
  EXPECT_EQ(extract_choice(text, k, "(a|aa)+b"), "a");
  // Lookaround and backreferences are not RE2 syntax: an error, not a run.
  EXPECT_NE(text::pattern_error("(?=a)b"), "");
  EXPECT_NE(text::pattern_error("(a)\\1"), "");
  EXPECT_EQ(extract_choice("ab", k, "(?=a)b"), "");
}

// Tests: python_split, Python's str.split() (suite python_split).

#include <gtest/gtest.h>

#include <string>

#include "caf/consensus/text/tokenizer.hpp"

#include "core/text/text_helpers.hpp"

using namespace caf::consensus::text;
using namespace caf::consensus::test;

namespace {

// -- whitespace ---------------------------------------------------------------

TEST(python_split, ascii) {
  EXPECT_EQ(python_split("Hello World  FOO\tbar\n"),
            (strings{"Hello", "World", "FOO", "bar"}));
  EXPECT_EQ(python_split("  leading and trailing  "),
            (strings{"leading", "and", "trailing"}));
  EXPECT_EQ(python_split("one"), (strings{"one"}));
  EXPECT_EQ(python_split("a\r\nb\x0b"
                         "c\x0c"
                         "d"),
            (strings{"a", "b", "c", "d"}));
}

TEST(python_split, empty_and_blank) {
  EXPECT_TRUE(python_split("").empty());
  EXPECT_TRUE(python_split(" \t\n ").empty());
  EXPECT_TRUE(python_split("\xe3\x80\x80\xc2\xa0").empty());
}

TEST(python_split, every_python_whitespace_splits) {
  for (auto cp : python_spaces) {
    SCOPED_TRACE("U+" + std::to_string(static_cast<uint32_t>(cp)));
    auto ws = utf8(cp);
    EXPECT_EQ(python_split("a" + ws + "b"), (strings{"a", "b"}));
    EXPECT_EQ(python_split(ws + "\xc3\xa9" + ws + ws + "\xc3\xa9" + ws),
              (strings{"\xc3\xa9", "\xc3\xa9"}));
    EXPECT_EQ(tokenize("X" + ws + "Y" + ws + "x"), (token_set{"x", "y"}));
  }
}

TEST(python_split, information_separators_split) {
  EXPECT_EQ(python_split("a\x1c"
                         "b\x1d"
                         "c\x1e"
                         "d\x1f"
                         "e"),
            (strings{"a", "b", "c", "d", "e"}));
}

TEST(python_split, zero_width_characters_do_not_split) {
  auto zwsp = utf8(0x200b);
  auto bom = utf8(0xfeff);
  auto mvs = utf8(0x180e);
  EXPECT_EQ(python_split("a" + zwsp + "b"), (strings{"a" + zwsp + "b"}));
  EXPECT_EQ(python_split("a" + bom + "b"), (strings{"a" + bom + "b"}));
  EXPECT_EQ(python_split("a" + mvs + "b"), (strings{"a" + mvs + "b"}));
  EXPECT_EQ(python_split(zwsp), (strings{zwsp}));
}

// -- splitting invalid input --------------------------------------------------

TEST(python_split, invalid_utf8_is_replaced_and_never_hides_a_space) {
  EXPECT_EQ(python_split("a\xff"
                         "b"),
            (strings{"a" + replacement + "b"}));
  // A truncated sequence followed by a space: the space still splits.
  EXPECT_EQ(python_split("x\xe2\x80 y"), (strings{"x" + replacement, "y"}));
  // A truncated sequence followed by a multi-byte space (U+3000).
  EXPECT_EQ(python_split("x\xe2\xe3\x80\x80y"),
            (strings{"x" + replacement, "y"}));
  // The complete sequence E2 80 A8 is U+2028 and splits.
  EXPECT_EQ(python_split("a\xe2\x80\xa8"
                         "b"),
            (strings{"a", "b"}));
  EXPECT_EQ(python_split("\xc2"), (strings{replacement}));
}

} // namespace

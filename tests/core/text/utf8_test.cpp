// Tests: UTF-8 well-formedness byte by byte (shared by the scenario reader
// and the terminal view of agent text).

#include <gtest/gtest.h>

#include <string>

#include "caf/consensus/text/utf8.hpp"

using caf::consensus::text::utf8_sequence_length;

TEST(utf8, lengths_of_well_formed_sequences) {
  EXPECT_EQ(utf8_sequence_length("a", 0), 1u);
  EXPECT_EQ(utf8_sequence_length(std::string{"\0", 1}, 0), 1u);
  EXPECT_EQ(utf8_sequence_length("\xc3\xa9", 0), 2u);         // é
  EXPECT_EQ(utf8_sequence_length("\xe6\x9d\xb1", 0), 3u);     // 東
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x99\x82", 0), 4u); // 🙂
  EXPECT_EQ(utf8_sequence_length("x\xc3\xa9", 1), 2u);
}

TEST(utf8, ill_formed_sequences_have_length_zero) {
  for (auto bad : {"\x80", "\xbf", "\xc0\xaf", "\xc1\xbf", "\xc3", "\xe2\x82",
                   "\xe0\x80\x80", "\xed\xa0\x80", "\xf0\x80\x80\x80",
                   "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff"})
    EXPECT_EQ(utf8_sequence_length(bad, 0), 0u) << bad;
  EXPECT_EQ(utf8_sequence_length("a", 1), 0u); // past the end
}

// Tests: agent text made safe for a terminal (control characters shown, not
// obeyed; printable Unicode unchanged).

#include <gtest/gtest.h>

#include "caf/consensus/connectors/terminal.hpp"

using caf::consensus::connectors::terminal_safe;

TEST(terminal_safe, keeps_printable_text_and_unicode) {
  EXPECT_EQ(terminal_safe("Paris is the capital."), "Paris is the capital.");
  EXPECT_EQ(terminal_safe("Zürich, 東京, 🙂"), "Zürich, 東京, 🙂");
  EXPECT_EQ(terminal_safe(""), "");
}

TEST(terminal_safe, shows_c0_controls_and_del) {
  EXPECT_EQ(terminal_safe("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(terminal_safe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(terminal_safe("x\x7fy"), "x\\x7fy");
  EXPECT_EQ(terminal_safe(std::string{"a\0b", 3}), "a\\x00b");
  EXPECT_EQ(terminal_safe("a\rb"), "a\\x0db");
}

TEST(terminal_safe, newline_and_tab_pass_only_with_keep_layout) {
  EXPECT_EQ(terminal_safe("a\nb\tc"), "a\\x0ab\\x09c");
  EXPECT_EQ(terminal_safe("a\nb\tc", true), "a\nb\tc");
  EXPECT_EQ(terminal_safe("a\n\x1b[1mb", true), "a\n\\x1b[1mb");
}

TEST(terminal_safe, shows_c1_controls_and_invalid_utf8) {
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m"),
            "\\u009b31m");                          // CSI
  EXPECT_EQ(terminal_safe("\xc2\x85"), "\\u0085");  // NEL
  EXPECT_EQ(terminal_safe("\xc2\xa0"), "\xc2\xa0"); // NBSP stays
  EXPECT_EQ(terminal_safe("a\xff"
                          "b"),
            "a\\xffb");
  EXPECT_EQ(terminal_safe("\xe2\x82"), "\\xe2\\x82");          // cut short
  EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");          // overlong
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80"); // surrogate
}

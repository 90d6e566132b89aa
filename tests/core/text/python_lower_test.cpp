// Tests: python_lower, Python's str.lower() (suite python_lower).

#include <gtest/gtest.h>

#include <string>

#include "caf/consensus/text/tokenizer.hpp"

#include "core/text/text_helpers.hpp"

using namespace caf::consensus::text;
using namespace caf::consensus::test;

namespace {

TEST(python_lower, ascii) {
  EXPECT_EQ(python_lower("Hello World  FOO\tbar\n"), "hello world  foo\tbar\n");
  EXPECT_EQ(python_lower("ABCXYZ abcxyz 0189 @[`{"), "abcxyz abcxyz 0189 @[`{");
  EXPECT_EQ(python_lower(""), "");
}

TEST(python_lower, latin_and_other_scripts) {
  // 'Ünïcödé ÀÉÎ ǅ ῼ Ω'.lower()
  EXPECT_EQ(python_lower("\xc3\x9cn\xc3\xaf"
                         "c\xc3\xb6"
                         "d\xc3\xa9 "
                         "\xc3\x80\xc3\x89\xc3\x8e \xc7\x85 \xe1\xbf\xbc "
                         "\xe2\x84\xa6"),
            "\xc3\xbcn\xc3\xaf"
            "c\xc3\xb6"
            "d\xc3\xa9 "
            "\xc3\xa0\xc3\xa9\xc3\xae \xc7\x86 \xe1\xbf\xb3 \xcf\x89");
  // Deseret: U+10400 -> U+10428 (outside the BMP).
  EXPECT_EQ(python_lower(utf8(0x10400)), utf8(0x10428));
}

TEST(python_lower, final_sigma) {
  // 'ΟΔΟΣ ΟΔΟΣ.'.lower() == 'οδος οδος.'
  EXPECT_EQ(python_lower("\xce\x9f\xce\x94\xce\x9f\xce\xa3 "
                         "\xce\x9f\xce\x94\xce\x9f\xce\xa3."),
            "\xce\xbf\xce\xb4\xce\xbf\xcf\x82 "
            "\xce\xbf\xce\xb4\xce\xbf\xcf\x82.");
  // 'ΟΔΟΣ' -> 'οδος'
  EXPECT_EQ(python_lower("\xce\x9f\xce\x94\xce\x9f\xce\xa3"),
            "\xce\xbf\xce\xb4\xce\xbf\xcf\x82");
  // A lone 'Σ' has no cased letter before it -> 'σ'.
  EXPECT_EQ(python_lower("\xce\xa3"), "\xcf\x83");
  EXPECT_EQ(python_lower("\xce\xa3."), "\xcf\x83.");
  // 'ΑΣΑ' -> 'ασα' (followed by a cased letter).
  EXPECT_EQ(python_lower("\xce\x91\xce\xa3\xce\x91"),
            "\xce\xb1\xcf\x83\xce\xb1");
  // 'ΑΣ.Β' -> 'ασ.β': '.' is case-ignorable, so 'Β' still follows.
  EXPECT_EQ(python_lower("\xce\x91\xce\xa3.\xce\x92"),
            "\xce\xb1\xcf\x83.\xce\xb2");
  // 'ΑΣ\u0301' -> 'ας\u0301': the combining accent is case-ignorable.
  EXPECT_EQ(python_lower("\xce\x91\xce\xa3\xcc\x81"),
            "\xce\xb1\xcf\x82\xcc\x81");
  // 'ΧΆΟΣ ΣΑΣ' -> 'χάος σας': whitespace ends the context.
  EXPECT_EQ(python_lower("\xce\xa7\xce\x86\xce\x9f\xce\xa3 "
                         "\xce\xa3\xce\x91\xce\xa3"),
            "\xcf\x87\xce\xac\xce\xbf\xcf\x82 "
            "\xcf\x83\xce\xb1\xcf\x82");
  // The same across a non-ASCII space (U+3000).
  EXPECT_EQ(python_lower("\xce\x91\xce\xa3\xe3\x80\x80\xce\x91"),
            "\xce\xb1\xcf\x82\xe3\x80\x80\xce\xb1");
  // 'ΟΔΟΣ ΟΔΟΣ.' tokenizes into two tokens, both with a final sigma.
  EXPECT_EQ(tokenize("\xce\x9f\xce\x94\xce\x9f\xce\xa3 "
                     "\xce\x9f\xce\x94\xce\x9f\xce\xa3."),
            (token_set{"\xce\xbf\xce\xb4\xce\xbf\xcf\x82",
                       "\xce\xbf\xce\xb4\xce\xbf\xcf\x82."}));
}

TEST(python_lower, dotted_capital_i_expands) {
  // 'İstanbul'.lower() == 'i\u0307stanbul'
  EXPECT_EQ(python_lower("\xc4\xb0stanbul"), "i\xcc\x87stanbul");
  // Many expansions at once exceed the initial ICU buffer.
  std::string upper;
  std::string lower;
  for (int i = 0; i < 100; ++i) {
    upper += "\xc4\xb0";
    lower += "i\xcc\x87";
  }
  EXPECT_EQ(python_lower(upper), lower);
  EXPECT_EQ(tokenize(upper + " " + upper), (token_set{lower}));
}

TEST(python_lower, no_language_specific_rules) {
  // German sharp s is already lower case and stays a single character.
  EXPECT_EQ(python_lower("Stra\xc3\x9f"
                         "e"),
            "stra\xc3\x9f"
            "e");
  // Turkish dotless i stays, and 'I' maps to 'i' (root locale, not tr).
  EXPECT_EQ(python_lower("\xc4\xb1I"), "\xc4\xb1i");
}

TEST(python_lower, invalid_utf8_becomes_replacement_character) {
  // bytes.decode('utf-8', 'replace') semantics: one U+FFFD per maximal
  // ill-formed subpart.
  EXPECT_EQ(python_lower("A\xff"
                         "B"),
            "a" + replacement + "b");
  EXPECT_EQ(python_lower("\xe2\x80"), replacement);
  EXPECT_EQ(python_lower("\xf0\x90\x80X"), replacement + "x");
  EXPECT_EQ(python_lower("\xed\xa0\x80"),
            replacement + replacement + replacement);
  EXPECT_EQ(python_lower("\xc0\xaf"), replacement + replacement);
  EXPECT_EQ(python_lower("\x80"), replacement);
  EXPECT_EQ(python_lower(replacement), replacement);
}

} // namespace

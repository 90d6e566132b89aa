// caf-consensus: tests for the tokenizer (Python's `str.lower().split()`)
// and the similarity measures. Expected values were computed with CPython.

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus::text;

namespace {

// -- utilities ----------------------------------------------------------------

using strings = std::vector<std::string>;

/// Encodes a code point as UTF-8.
std::string utf8(char32_t cp) {
  std::string result;
  if (cp < 0x80) {
    result += static_cast<char>(cp);
  } else if (cp < 0x800) {
    result += static_cast<char>(0xc0 | (cp >> 6));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    result += static_cast<char>(0xe0 | (cp >> 12));
    result += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    result += static_cast<char>(0xf0 | (cp >> 18));
    result += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    result += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return result;
}

const std::string replacement = "\xef\xbf\xbd"; // U+FFFD

const std::vector<char32_t> python_spaces = {
  0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x001c, 0x001d, 0x001e,
  0x001f, 0x0020, 0x0085, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
};

token_set sorted_unique(strings xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  return xs;
}

// -- whitespace ---------------------------------------------------------------

TEST(is_python_space, exactly_the_29_code_points_of_str_isspace) {
  ASSERT_EQ(python_spaces.size(), 29u);
  std::vector<char32_t> found;
  for (char32_t cp = 0; cp < 0x110000; ++cp)
    if (is_python_space(cp))
      found.push_back(cp);
  EXPECT_EQ(found, python_spaces);
  EXPECT_FALSE(is_python_space(0x200b)); // ZERO WIDTH SPACE
  EXPECT_FALSE(is_python_space(0xfeff)); // ZERO WIDTH NO-BREAK SPACE
  EXPECT_FALSE(is_python_space(0x180e)); // MONGOLIAN VOWEL SEPARATOR
}

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

// -- lower-casing -------------------------------------------------------------

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

// -- tokenize -----------------------------------------------------------------

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

// -- jaccard ------------------------------------------------------------------

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

// -- similarity ---------------------------------------------------------------

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

// caf-consensus: tests of the interned token sets (detail/token_index.hpp)
// that policies metastable and hanzo use for Jaccard similarity: same tokens
// as text::tokenize, same Jaccard bit for bit, same run results as the
// string-set path.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus;
using detail::token_index;

namespace {

/// The tokens of `ids` as a sorted string set.
text::token_set strings_of(const token_index& index,
                           const token_index::id_set& ids) {
  text::token_set out;
  for (auto x : ids)
    out.emplace_back(index.token(x));
  std::sort(out.begin(), out.end());
  return out;
}

/// Checks tokenize(text) against text::tokenize(text).
void check_text(token_index& index, const std::string& text) {
  token_index::id_set ids;
  index.tokenize(text, ids);
  std::set<uint32_t> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), ids.size()) << "an id twice for: " << text;
  EXPECT_EQ(strings_of(index, ids), text::tokenize(text)) << "text: " << text;
}

/// Random text from pieces that exercise every path of the scanner.
std::string random_text(rng::rng64& gen, size_t pieces) {
  static const char* words[]
    = {"a",
       "ab",
       "abc",
       "Word",
       "WORD",
       "wOrD",
       "eight888",
       "nine99999",
       "sixteen-chars-xx",
       "a-much-longer-word-of-more-than-thirty-two-bytes-in-total",
       "ZZZ",
       "mixedCASEword",
       "x.y,z!",
       "\x01"
       "ctl",
       "del\x7f",
       "\xc3\x89t\xc3\xa9", // Été
       "Stra\xc3\x9f"
       "e",                        // Straße
       "\xce\xa3\xce\x91\xce\xa3", // ΣΑΣ
       "\xc4\xb0I",                // İI
       "bad\xff",
       "\xc3",
       "\xf0\x9f\x98\x80",
       "A\xcc\x81"};
  static const char* spaces[]
    = {" ",        "  ",           "\t",           "\n",          "\r\n",
       "\x0b",     "\x0c",         "\x1c",         "\x1f",        "\xc2\x85",
       "\xc2\xa0", "\xe2\x80\x83", "\xe3\x80\x80", "\xe2\x80\xa8"};
  std::string out;
  if (gen.below(4) == 0)
    out += spaces[gen.below(std::size(spaces))];
  for (size_t i = 0; i < pieces; ++i) {
    if (i > 0)
      out += spaces[gen.below(gen.below(3) == 0 ? std::size(spaces) : 3)];
    out += words[gen.below(std::size(words))];
  }
  if (gen.below(4) == 0)
    out += spaces[gen.below(std::size(spaces))];
  return out;
}

} // namespace

// -- tokens -------------------------------------------------------------------

TEST(token_index, tokens_equal_text_tokenize) {
  token_index index;
  for (std::string text :
       {"",
        " ",
        " \t\n ",
        "one",
        "One one ONE",
        "a b c a b c",
        "exactly8 exactly8",
        "exactly8",
        "seven77 seven77",
        "ninechars ninechars NINECHARS",
        "with\x01"
        "control inside\x02words",
        "trailing space ",
        " leading",
        "\x1c"
        "separator\x1d"
        "split",
        "caf\xc3\xa9 CAF\xc3\x89 cafe",
        "no\xc2\xa0"
        "break",
        "\xe3\x80\x80ideographic\xe3\x80\x80space",
        "invalid \xff\xfe bytes \xed\xa0\x80",
        "Longwordwithmanycharactersbeyondsixtyfourbytesxxxxxxxxxxxxxxxxxxxxx"
        " LONGWORDWITHMANYCHARACTERSBEYONDSIXTYFOURBYTESXXXXXXXXXXXXXXXXXXXXX",
        "\xce\x9f\xce\x94\xce\x9f\xce\xa3 \xce\xa3"})
    check_text(index, text);
}

TEST(token_index, random_texts_match_text_tokenize) {
  token_index index;
  rng::rng64 gen{17};
  for (int i = 0; i < 3000; ++i)
    check_text(index, random_text(gen, gen.below(40)));
}

TEST(token_index, ascii_texts_of_every_length_match_text_tokenize) {
  // The ASCII path reads a text 64 bytes at a time: texts of 0 to 300 bytes
  // (every remainder modulo 64, ending in a word or in whitespace), words of
  // 1 to 70 bytes that cross block bounds, every ASCII whitespace byte, runs
  // of whitespace, and control bytes (0x01, 0x1b, 0x7f) that belong to words.
  static const char spaces[] = {' ',  '\t',   '\n',   '\v',   '\f',
                                '\r', '\x1c', '\x1d', '\x1e', '\x1f'};
  static const char others[] = {'\x01', '\x1b', '\x7f', '\x00', '!', '~'};
  token_index index;
  rng::rng64 gen{31};
  for (size_t len = 0; len <= 300; ++len) {
    for (int variant = 0; variant < 8; ++variant) {
      std::string text;
      while (text.size() < len) {
        auto pick = gen.below(10);
        if (pick < 3) {
          text += spaces[gen.below(std::size(spaces))];
        } else if (pick == 3) {
          text += others[gen.below(std::size(others))];
        } else {
          auto size = 1 + gen.below(gen.below(5) == 0 ? 70 : 9);
          for (size_t j = 0; j < size; ++j)
            text += static_cast<char>((gen.below(2) == 0 ? 'a' : 'A')
                                      + gen.below(26));
        }
      }
      text.resize(len);
      if (len > 0 && variant % 2 == 0) // Ends in a word.
        text.back() = 'Z';
      check_text(index, text);
    }
  }
}

TEST(token_index, ids_survive_the_table_growing) {
  // Thousands of distinct words (1 to 20 bytes, mixed case, some with a
  // control character) make the table grow many times; every word keeps its
  // id, in both appending forms, and texts still match text::tokenize.
  token_index index;
  rng::rng64 gen{23};
  std::vector<std::string> words;
  for (int i = 0; i < 5000; ++i) {
    std::string w;
    auto len = 1 + gen.below(20);
    for (size_t j = 0; j < len; ++j)
      w += static_cast<char>((gen.below(2) == 0 ? 'a' : 'A') + gen.below(26));
    if (gen.below(50) == 0)
      w[gen.below(w.size())] = '\x01';
    words.push_back(std::move(w));
  }
  std::vector<uint32_t> first_ids;
  for (auto& w : words) {
    token_index::id_set ids;
    index.tokenize(w, ids);
    ASSERT_EQ(ids.size(), 1u) << w;
    first_ids.push_back(ids[0]);
  }
  for (int round = 0; round < 200; ++round) {
    std::string text;
    std::vector<size_t> picked;
    for (size_t i = 0, n = 1 + gen.below(60); i < n; ++i) {
      picked.push_back(gen.below(words.size()));
      text += (i == 0 ? "" : " ") + words[picked.back()];
    }
    check_text(index, text);
    std::vector<uint32_t> flat{7, 7};
    index.tokenize_append(text, flat);
    std::set<uint32_t> want;
    for (auto x : picked)
      want.insert(first_ids[x]);
    EXPECT_EQ(std::set<uint32_t>(flat.begin() + 2, flat.end()), want);
    EXPECT_EQ(flat[0], 7u);
    EXPECT_EQ(flat[1], 7u);
  }
}

TEST(token_index, a_new_index_starts_empty_on_the_buffers_of_the_last) {
  // An index leaves its buffers to the next one made on its thread: the next
  // index starts with no tokens, ids from 0, and the same sets as a first
  // index would give, whether the last one grew its table or not.
  for (size_t words : {10u, 3000u}) {
    {
      token_index first;
      std::string text;
      for (size_t i = 0; i < words; ++i)
        text += "Word" + std::to_string(i) + " ";
      check_text(first, text);
      EXPECT_EQ(first.size(), words);
    }
    token_index next;
    EXPECT_EQ(next.size(), 0u);
    token_index::id_set ids;
    next.tokenize("beta Alpha beta gamma", ids);
    EXPECT_EQ(ids, (token_index::id_set{0, 1, 2}));
    EXPECT_EQ(next.token(1), "alpha");
    check_text(next, "some Other words, other-ones and \x01controls");
    EXPECT_EQ(next.jaccard(ids, ids), 1.0);
  }
}

TEST(token_index, the_table_grows_in_the_middle_of_a_text) {
  // One text brings thousands of new tokens, short and long, each several
  // times: the table grows many times while the text is read, and the set
  // still equals text::tokenize (also checked under the sanitizers).
  token_index index;
  rng::rng64 gen{29};
  std::string text;
  for (int i = 0; i < 6000; ++i) {
    auto len = 1 + gen.below(gen.below(4) == 0 ? 30 : 8);
    std::string w;
    for (size_t j = 0; j < len; ++j)
      w += static_cast<char>((gen.below(3) == 0 ? 'A' : 'a') + gen.below(26));
    for (int r = 0, reps = 1 + static_cast<int>(gen.below(3)); r < reps; ++r)
      text += (text.empty() ? "" : " ") + w;
  }
  check_text(index, text);
  EXPECT_GT(index.size(), 4000u);
  // The same text again: every token known, the same set.
  check_text(index, text);
}

TEST(token_index, a_token_has_one_id_on_every_path) {
  token_index index;
  token_index::id_set ascii;
  token_index::id_set mixed;
  index.tokenize("Alpha beta GAMMA", ascii);
  // The same words in a text with non-ASCII bytes take the scanner path.
  index.tokenize("gamma caf\xc3\xa9 ALPHA BETA", mixed);
  ASSERT_EQ(ascii.size(), 3u);
  ASSERT_EQ(mixed.size(), 4u);
  EXPECT_EQ(mixed[0], ascii[2]);
  EXPECT_EQ(mixed[2], ascii[0]);
  EXPECT_EQ(mixed[3], ascii[1]);
  EXPECT_EQ(index.size(), 4u);
  EXPECT_EQ(index.token(mixed[1]), "caf\xc3\xa9");
}

TEST(token_index, words_at_the_end_of_a_text_are_read_safely) {
  // Short texts and words ending at the last byte: the word-at-a-time path
  // must not read past the text (checked by sanitizers and by the result).
  token_index index;
  for (size_t len = 1; len <= 20; ++len) {
    auto word = std::string(len, 'Q');
    auto buf = std::make_unique<char[]>(len);
    std::copy(word.begin(), word.end(), buf.get());
    token_index::id_set ids;
    index.tokenize(std::string_view{buf.get(), len}, ids);
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(index.token(ids[0]), std::string(len, 'q'));
  }
}

// -- Jaccard ------------------------------------------------------------------

TEST(token_index, jaccard_equals_text_jaccard_bit_for_bit) {
  token_index index;
  rng::rng64 gen{23};
  for (int i = 0; i < 2000; ++i) {
    auto a = random_text(gen, gen.below(30));
    auto b = random_text(gen, gen.below(30));
    token_index::id_set x;
    token_index::id_set y;
    index.tokenize(a, x);
    index.tokenize(b, y);
    auto expected = text::jaccard(text::tokenize(a), text::tokenize(b));
    EXPECT_EQ(index.jaccard(x, y), expected) << a << " | " << b;
    index.mark(y);
    EXPECT_EQ(index.jaccard_with_marked(x), expected);
  }
}

TEST(token_index, appended_sets_in_one_buffer_equal_separate_sets) {
  // What metastable does: every text's set appended to one flat buffer, the
  // sets addressed by offsets. Each slice equals `tokenize` of its text, a
  // word repeated across texts appears in each slice, and Jaccard over
  // slices equals Jaccard over separate sets.
  token_index index;
  rng::rng64 gen{29};
  std::vector<std::string> texts{"", "A a b", "b B c", "  ", "c d a"};
  for (int i = 0; i < 200; ++i)
    texts.push_back(random_text(gen, gen.below(30)));
  std::vector<uint32_t> flat{7};
  std::vector<size_t> begin;
  for (auto& t : texts) {
    begin.push_back(flat.size());
    index.tokenize_append(t, flat);
  }
  begin.push_back(flat.size());
  EXPECT_EQ(flat[0], 7u); // kept what the buffer held
  std::vector<token_index::id_set> sets;
  for (size_t i = 0; i < texts.size(); ++i) {
    token_index::id_set ids;
    index.tokenize(texts[i], ids);
    EXPECT_EQ(ids, token_index::id_set(flat.begin() + begin[i],
                                       flat.begin() + begin[i + 1]))
      << texts[i];
    sets.push_back(std::move(ids));
  }
  EXPECT_EQ(begin[2] - begin[1], 2u); // "A a b": a, b
  EXPECT_EQ(begin[3] - begin[2], 2u); // "b B c": b, c
  for (size_t i = 0; i + 1 < texts.size(); ++i) {
    auto expected = index.jaccard(sets[i], sets[i + 1]);
    index.mark(flat.data() + begin[i], begin[i + 1] - begin[i]);
    EXPECT_EQ(index.jaccard_with_marked(flat.data() + begin[i + 1],
                                        begin[i + 2] - begin[i + 1]),
              expected);
  }
}

TEST(token_index, jaccard_of_empty_sets_is_zero) {
  token_index index;
  token_index::id_set empty;
  token_index::id_set some;
  index.tokenize("a b", some);
  EXPECT_EQ(index.jaccard(empty, some), 0.0);
  EXPECT_EQ(index.jaccard(some, empty), 0.0);
  EXPECT_EQ(index.jaccard(empty, empty), 0.0);
  EXPECT_EQ(index.jaccard(some, some), 1.0);
}

// -- policy results -----------------------------------------------------------

namespace {

/// Jaccard through `text::tokenize` string sets: a subclass, so the policy
/// takes its generic token-set path instead of interned ids.
class reference_jaccard : public text::jaccard_similarity {};

state run_metastable(size_t n, int64_t seed, double alpha,
                     std::shared_ptr<const text::similarity> sim) {
  params ps;
  ps.rounds = 4;
  ps.k = 3;
  ps.alpha = alpha;
  ps.beta_1 = 2.0;
  ps.seed = seed;
  engine_options opts;
  opts.similarity = std::move(sim);
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i)
    ids.push_back("p" + std::to_string(i));
  auto eng = engine::make("q", ids, ps, opts);
  if (!eng) {
    ADD_FAILURE() << render(eng.error());
    return {};
  }
  return run_inline(*eng, [seed](const request& req) {
    rng::rng64 gen{rng::derive(static_cast<uint64_t>(seed),
                               {req.index, static_cast<uint64_t>(req.round)})};
    if (gen.below(10) == 0)
      return make_failure(req.participant, req.round, "flaky");
    return make_ok(req.participant, random_text(gen, 3 + gen.below(12)),
                   static_cast<int64_t>(gen.below(3000)));
  });
}

} // namespace

TEST(token_index, metastable_gives_the_same_state_as_string_token_sets) {
  auto reference = std::make_shared<reference_jaccard>();
  for (size_t n : {2u, 5u, 9u, 40u}) {
    for (int64_t seed : {1, 2, 3}) {
      for (double alpha : {0.0, 0.2, 0.4}) {
        auto fast = run_metastable(n, seed, alpha, nullptr);
        auto slow = run_metastable(n, seed, alpha, reference);
        EXPECT_EQ(caf::deep_to_string(fast), caf::deep_to_string(slow))
          << "n = " << n << ", seed = " << seed << ", alpha = " << alpha;
      }
    }
  }
}

// caf-consensus: tests of the bit-set form of a round's token sets
// (detail/token_bits.hpp): Jaccard equal bit for bit to the sparse form, and
// bit sets only where they pay.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/detail/token_bits.hpp"
#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus;
using detail::token_bits;
using detail::token_index;

namespace {

/// `n` texts of `words` words drawn from a vocabulary of `vocabulary` words,
/// tokenized into one flat buffer as metastable does.
struct round_sets {
  token_index index;
  std::vector<uint32_t> ids;
  std::vector<size_t> begin;

  round_sets(rng::rng64& gen, size_t n, size_t words, size_t vocabulary) {
    for (size_t j = 0; j < n; ++j) {
      std::string text;
      // Some texts empty, to cover the zero case.
      auto count = gen.below(8) == 0 ? 0 : 1 + gen.below(words);
      for (size_t w = 0; w < count; ++w)
        text += "w" + std::to_string(gen.below(vocabulary)) + " ";
      begin.push_back(ids.size());
      index.tokenize_append(text, ids);
    }
    begin.push_back(ids.size());
  }

  double sparse(size_t i, size_t j) {
    index.mark(ids.data() + begin[i], begin[i + 1] - begin[i]);
    return index.jaccard_with_marked(ids.data() + begin[j],
                                     begin[j + 1] - begin[j]);
  }
};

} // namespace

TEST(token_bits, jaccard_equals_the_sparse_form_bit_for_bit) {
  // Vocabularies of one 64-bit word (64 ids or fewer) and of several (up to
  // 300 ids: 5 words per set).
  rng::rng64 gen{41};
  for (size_t vocabulary : {7u, 48u, 64u, 65u, 130u, 300u}) {
    for (int trial = 0; trial < 20; ++trial) {
      round_sets r{gen, 12, 120, vocabulary};
      token_bits bits;
      ASSERT_TRUE(bits.assign(r.ids.data(), r.begin.data(), 12, r.index.size()))
        << "vocabulary " << vocabulary;
      for (size_t i = 0; i < 12; ++i)
        for (size_t j = 0; j < 12; ++j)
          EXPECT_EQ(bits.jaccard(i, j), r.sparse(i, j))
            << "vocabulary " << vocabulary << ", sets " << i << ", " << j;
    }
  }
}

TEST(token_bits, declines_when_bit_sets_would_not_pay) {
  rng::rng64 gen{43};
  token_bits bits;
  // Sets of a few ids from a vocabulary of thousands: sparse is cheaper.
  round_sets few{gen, 10, 10, 5000};
  EXPECT_FALSE(
    bits.assign(few.ids.data(), few.begin.data(), 10, few.index.size()));
  EXPECT_FALSE(bits.active());
  // Sets of one id: four ids per word of vocabulary are the least.
  round_sets single{gen, 10, 1, 1};
  EXPECT_FALSE(bits.assign(single.ids.data(), single.begin.data(), 10,
                           single.index.size()));
  // Larger than `max_words` words of vocabulary: declined whatever the sets.
  round_sets many{gen, 4, 4000, 10000};
  ASSERT_GT(many.index.size(), 64 * token_bits::max_words);
  EXPECT_FALSE(
    bits.assign(many.ids.data(), many.begin.data(), 4, many.index.size()));
  // No sets at all.
  std::vector<size_t> begin{0};
  EXPECT_FALSE(bits.assign(nullptr, begin.data(), 0, 10));
  // A small vocabulary and long sets: bit sets, and `active` says so.
  round_sets dense{gen, 5, 50, 48};
  EXPECT_TRUE(
    bits.assign(dense.ids.data(), dense.begin.data(), 5, dense.index.size()));
  EXPECT_TRUE(bits.active());
}

TEST(token_bits, one_word_sets_equal_the_sparse_form_bit_for_bit) {
  // Sets of ids below 64 as one word (what hanzo keeps per participant);
  // a set with an id of 64 or more is not usable as a word.
  rng::rng64 gen{47};
  for (size_t vocabulary : {1u, 5u, 48u, 64u}) {
    round_sets r{gen, 10, 80, vocabulary};
    ASSERT_LE(r.index.size(), 64u);
    std::vector<detail::token_word> words(10);
    for (size_t j = 0; j < 10; ++j) {
      words[j].assign(r.ids.data() + r.begin[j], r.begin[j + 1] - r.begin[j]);
      ASSERT_TRUE(words[j].ok);
    }
    for (size_t i = 0; i < 10; ++i)
      for (size_t j = 0; j < 10; ++j)
        EXPECT_EQ(detail::jaccard(words[i], words[j]), r.sparse(i, j))
          << "vocabulary " << vocabulary << ", sets " << i << ", " << j;
  }
  std::vector<uint32_t> high{3, 64};
  detail::token_word word;
  word.assign(high.data(), high.size());
  EXPECT_FALSE(word.ok);
  word.assign(high.data(), 1);
  EXPECT_TRUE(word.ok);
}

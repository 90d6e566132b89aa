// caf-consensus: a round's token sets as bit sets, for Jaccard similarity
// with a few popcounts when the run's vocabulary is small.

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace caf::consensus::detail {

/// Returns the number of set bits of `x` (without a library call on targets
/// lacking an instruction for it).
inline size_t popcount(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<size_t>((x * 0x0101010101010101ULL) >> 56);
}

/// Returns |A ∩ B| / |A ∪ B| from |A|, |B| and |A ∩ B|, 0 when A or B is
/// empty: the division `token_index::jaccard_with_marked` makes.
inline double jaccard_of_counts(size_t a, size_t b, size_t common) {
  if (a == 0 || b == 0)
    return 0.0;
  return static_cast<double>(common) / static_cast<double>(a + b - common);
}

/// A token set as one 64-bit word: bit x for id x. Usable (`ok`) when every
/// id is below 64, as in a run whose vocabulary has at most 64 tokens.
struct token_word {
  uint64_t bits = 0;
  uint32_t size = 0;
  bool ok = false;

  /// Sets the word to the `size` distinct ids at `ids`.
  void assign(const uint32_t* ids, size_t count) {
    bits = 0;
    size = static_cast<uint32_t>(count);
    uint32_t any = 0;
    for (size_t k = 0; k < count; ++k) {
      any |= ids[k];
      bits |= uint64_t{1} << (ids[k] & 63);
    }
    ok = any < 64;
  }
};

/// Returns the Jaccard similarity of two usable token words: the same two
/// integers as `token_index::jaccard_with_marked` divides, 0 when either set
/// is empty.
inline double jaccard(const token_word& a, const token_word& b) {
  return jaccard_of_counts(a.size, b.size, popcount(a.bits & b.bits));
}

/// The token sets of one round (interned ids of a `token_index`) as bit sets
/// over the ids seen so far: one bit per id, `words` 64-bit words per set.
/// Jaccard of two sets is then popcount(A & B) over |A| + |B| minus that,
/// the same two integers `token_index::jaccard_with_marked` divides, so the
/// values are equal bit for bit.
///
/// Bit sets pay when a set has many ids per 64-bit word of the vocabulary
/// (scripted and repetitive answers: a few dozen distinct words in all);
/// `assign` declines otherwise and callers keep the sparse path.
class token_bits {
public:
  /// Builds the bit sets of `n` sets, set j being the distinct ids
  /// `ids[begin[j]]` up to `ids[begin[j + 1]]`, all below `vocabulary`.
  /// Returns whether it built them: false (and `active()` false) when the
  /// vocabulary needs more than a quarter as many words as a set has ids
  /// on average, or more than `max_words` words.
  bool assign(const uint32_t* ids, const size_t* begin, size_t n,
              size_t vocabulary);

  /// Returns whether the last `assign` built bit sets.
  bool active() const noexcept {
    return active_;
  }

  /// Returns |A ∩ B| / |A ∪ B| for sets `i` and `j`, 0 when either is empty.
  double jaccard(size_t i, size_t j) const {
    auto* a = bits_.data() + i * words_;
    auto* b = bits_.data() + j * words_;
    size_t common = 0;
    for (size_t w = 0; w < words_; ++w)
      common += popcount(a[w] & b[w]);
    return jaccard_of_counts(size_[i], size_[j], common);
  }

  /// The most 64-bit words per set (a vocabulary of 4,096 ids).
  static constexpr size_t max_words = 64;

private:
  bool active_ = false;
  size_t words_ = 0;
  std::vector<uint64_t> bits_;
  std::vector<uint32_t> size_;
};

} // namespace caf::consensus::detail

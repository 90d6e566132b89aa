// caf-consensus: a round's token sets as bit sets (see token_bits.hpp).

#include "caf/consensus/detail/token_bits.hpp"

#include <algorithm>

namespace caf::consensus::detail {

namespace {} // namespace

bool token_bits::assign(const uint32_t* ids, const size_t* begin, size_t n,
                        size_t vocabulary) {
  active_ = false;
  if (n == 0)
    return false;
  auto words = (vocabulary + 63) / 64;
  auto total = begin[n] - begin[0];
  // A sparse comparison reads every id of one set; a dense one reads
  // `words` words of both sets.
  if (words == 0 || words > max_words || words * 4 * n > total)
    return false;
  words_ = words;
  bits_.assign(n * words, 0);
  size_.resize(n);
  for (size_t j = 0; j < n; ++j) {
    size_[j] = static_cast<uint32_t>(begin[j + 1] - begin[j]);
    if (words == 1) {
      // The usual case: the whole set in a register.
      uint64_t row = 0;
      for (auto k = begin[j]; k < begin[j + 1]; ++k)
        row |= uint64_t{1} << ids[k];
      bits_[j] = row;
      continue;
    }
    auto* row = bits_.data() + j * words;
    for (auto k = begin[j]; k < begin[j + 1]; ++k)
      row[ids[k] / 64] |= uint64_t{1} << (ids[k] % 64);
  }
  active_ = true;
  return true;
}

} // namespace caf::consensus::detail

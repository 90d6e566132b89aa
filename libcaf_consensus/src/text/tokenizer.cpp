// caf-consensus: Python's `str.lower()` and `str.split()` on UTF-8 text.
//
// Implementation notes:
// - Every code path decodes UTF-8 with ICU's U8_NEXT family, which replaces
//   each maximal ill-formed subpart by one U+FFFD exactly like Python's
//   `bytes.decode("utf-8", errors="replace")`.
// - No ill-formed subpart can swallow a whitespace byte (neither ASCII bytes
//   nor lead bytes are trail bytes), so word boundaries do not depend on
//   whether invalid input has been replaced yet.
// - Lower-casing never creates or removes whitespace, and the only contextual
//   mapping of the root locale (final sigma) never looks across whitespace
//   (none of the 29 code points is cased or case-ignorable). Hence lowering
//   word by word equals lowering the whole text, which lets mostly-ASCII text
//   bypass ICU for all of its ASCII words.

#include "caf/consensus/text/tokenizer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/internal/python_text.hpp"

namespace caf::consensus::text {

namespace {

using namespace detail;

// -- deduplicating and sorting words -----------------------------------------

/// A word in the lower-cased buffer of `tokenize`.
struct word_span {
  /// The first (up to) eight bytes, big-endian, zero-padded.
  uint64_t key;
  /// Hash of the whole word.
  uint64_t hash;
  size_t offset;
  size_t size;
};

word_span make_span(const std::string& buf, size_t offset) {
  auto size = buf.size() - offset;
  auto* p = reinterpret_cast<const uint8_t*>(buf.data()) + offset;
  uint64_t key = 0;
  auto n = std::min(size, size_t{8});
  for (size_t i = 0; i < n; ++i)
    key |= uint64_t{p[i]} << (56 - 8 * i);
  // FNV-1a over the remaining bytes, seeded with key and size; the final
  // multiply-xorshift spreads the bits for the power-of-two table.
  auto h = key ^ (uint64_t{size} * 0x9e3779b97f4a7c15ULL);
  for (auto i = n; i < size; ++i)
    h = (h ^ p[i]) * 0x100000001b3ULL;
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return {key, h, offset, size};
}

/// Byte-wise lexicographic order. Different keys order their words; equal
/// keys mean equal first bytes, so a word of at most eight bytes is a prefix
/// of the other (padding equals the other's zero bytes).
bool span_less(const char* base, const word_span& x, const word_span& y) {
  if (x.key != y.key)
    return x.key < y.key;
  if (x.size <= 8 || y.size <= 8)
    return x.size < y.size;
  return std::string_view{base + x.offset + 8, x.size - 8}
         < std::string_view{base + y.offset + 8, y.size - 8};
}

bool span_equal(const char* base, const word_span& x, const word_span& y) {
  return x.hash == y.hash && x.key == y.key && x.size == y.size
         && (x.size <= 8
             || std::memcmp(base + x.offset + 8, base + y.offset + 8,
                            x.size - 8)
                  == 0);
}

/// Collects distinct lower-cased words: an open-addressing hash set of spans
/// into one buffer. Duplicates are dropped as soon as they are lowered, so
/// only distinct words get sorted.
class word_set {
public:
  /// Clears the set and sizes the table for `text_size` bytes of input.
  void reset(size_t text_size) {
    buf_.clear();
    buf_.reserve(text_size);
    spans_.clear();
    size_t capacity = 64;
    while (capacity < text_size / 8 && capacity < 4096)
      capacity *= 2;
    slots_.assign(capacity, 0);
  }

  /// The buffer that receives the next word.
  std::string& buf() {
    return buf_;
  }

  /// Adds the word from `offset` to the end of the buffer, or removes it
  /// from the buffer again if it is a duplicate.
  void commit(size_t offset) {
    auto span = make_span(buf_, offset);
    auto mask = slots_.size() - 1;
    for (auto i = span.hash & mask;; i = (i + 1) & mask) {
      auto slot = slots_[i];
      if (slot == 0) {
        spans_.push_back(span);
        slots_[i] = spans_.size();
        break;
      }
      if (span_equal(buf_.data(), spans_[slot - 1], span)) {
        buf_.resize(offset);
        return;
      }
    }
    if (spans_.size() * 2 > slots_.size())
      grow();
  }

  /// Returns the distinct words in byte-wise order.
  token_set sorted() {
    const auto* base = buf_.data();
    std::sort(spans_.begin(), spans_.end(),
              [base](const word_span& x, const word_span& y) {
                return span_less(base, x, y);
              });
    token_set result;
    result.reserve(spans_.size());
    for (auto& span : spans_)
      result.emplace_back(base + span.offset, span.size);
    return result;
  }

  /// Releases memory after huge inputs.
  void trim() {
    constexpr size_t max_retained = 1 << 20;
    if (buf_.capacity() > max_retained) {
      buf_.clear();
      buf_.shrink_to_fit();
    }
    if (spans_.capacity() * sizeof(word_span) > max_retained) {
      spans_.clear();
      spans_.shrink_to_fit();
    }
    if (slots_.capacity() * sizeof(size_t) > max_retained) {
      slots_.clear();
      slots_.shrink_to_fit();
    }
  }

private:
  void grow() {
    slots_.assign(slots_.size() * 2, 0);
    auto mask = slots_.size() - 1;
    for (size_t index = 0; index < spans_.size(); ++index) {
      auto i = spans_[index].hash & mask;
      while (slots_[i] != 0)
        i = (i + 1) & mask;
      slots_[i] = index + 1;
    }
  }

  std::string buf_;
  std::vector<word_span> spans_;
  /// Index + 1 into spans_, 0 for an empty slot.
  std::vector<size_t> slots_;
};

} // namespace

// -- public API ---------------------------------------------------------------

std::string python_lower(std::string_view text) {
  std::string result;
  if (is_ascii(text)) {
    append_ascii_lower(text, result);
    return result;
  }
  result.reserve(text.size());
  auto* s = text.data();
  scan(
    text,
    [&](size_t first, size_t last, word_kind kind) {
      append_lower_word({s + first, last - first}, kind, result);
    },
    [&](size_t first, size_t last) { result.append(s + first, last - first); });
  return result;
}

std::vector<std::string> python_split(std::string_view text) {
  std::vector<std::string> result;
  auto* s = text.data();
  scan(
    text,
    [&](size_t first, size_t last, word_kind kind) {
      if (kind == word_kind::invalid) {
        std::string word;
        append_sanitized({s + first, last - first}, word);
        result.push_back(std::move(word));
      } else {
        result.emplace_back(s + first, last - first);
      }
    },
    [](size_t, size_t) {});
  return result;
}

token_set tokenize(std::string_view text) {
  thread_local word_set words;
  words.reset(text.size());
  auto* s = text.data();
  scan(
    text,
    [&](size_t first, size_t last, word_kind kind) {
      auto& buf = words.buf();
      auto offset = buf.size();
      append_lower_word({s + first, last - first}, kind, buf);
      words.commit(offset);
    },
    [](size_t, size_t) {});
  auto result = words.sorted();
  words.trim();
  return result;
}

} // namespace caf::consensus::text

// caf-consensus: byte-level helpers of the word-at-a-time tokenizer in
// `detail::token_index`: 8-byte loads and masks, ASCII lower-casing (8 bytes
// in a register, 16 with SSE2 where available) and the hashes that key a
// token by its lower-cased bytes (private header, not installed).

#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif

#include "caf/consensus/internal/python_text.hpp"

// Forces inlining of a hot lambda called from more than one place: a lambda
// that stays a function keeps the locals it captures by reference in memory
// (their address escapes), and every use becomes a load and a store.
#if defined(__GNUC__) || defined(__clang__)
#  define CAF_CONSENSUS_ALWAYS_INLINE __attribute__((always_inline))
#else
#  define CAF_CONSENSUS_ALWAYS_INLINE
#endif

namespace caf::consensus::internal {

inline constexpr uint64_t ones = 0x0101010101010101ULL;

inline constexpr uint64_t high = 0x8080808080808080ULL;

inline constexpr uint64_t golden = 0x9e3779b97f4a7c15ULL;

inline uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof(w));
  return w;
}

/// Loads `size` < 8 bytes without reading past them, zero-padded.
inline uint64_t load_partial(const char* p, size_t size) {
  uint64_t w = 0;
  std::memcpy(&w, p, size);
  return w;
}

/// Masks that keep the first i bytes (in memory order) of a chunk.
constexpr std::array<uint64_t, 9> make_first_bytes_masks() {
  std::array<uint64_t, 9> result{};
  for (size_t i = 1; i < 8; ++i)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    result[i] = ~uint64_t{0} >> (64 - 8 * i);
#else
    result[i] = ~uint64_t{0} << (64 - 8 * i);
#endif
  result[8] = ~uint64_t{0};
  return result;
}

inline constexpr auto first_bytes_masks = make_first_bytes_masks();

/// Keeps the first `size` bytes (in memory order) of a loaded chunk.
inline uint64_t keep_first(uint64_t w, size_t size) {
  return w & first_bytes_masks[std::min(size, size_t{8})];
}

/// ASCII lower-case of eight ASCII bytes (no byte has its high bit set, so
/// no addition carries into the next byte; zero bytes stay zero).
inline uint64_t lower8(uint64_t w) {
  auto at_least_a = w + (0x80 - 'A') * ones;
  auto above_z = w + (0x80 - 'Z' - 1) * ones;
  return w | (((at_least_a & ~above_z) & high) >> 2);
}

/// Lower-cases 16 bytes at `in` into `out` (ASCII letters only) and returns
/// a mask with bit i set when `in[i]` is ASCII whitespace for Python's
/// `str.split` (0x09-0x0d, 0x1c-0x20). Leaves `any` at 0x80 or more if a
/// byte was not ASCII.
inline uint32_t lower16(const uint8_t* in, uint8_t* out, uint64_t& any) {
#if defined(__SSE2__)
  auto v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  any |= static_cast<uint64_t>(_mm_movemask_epi8(v)) << 7;
  // x in [lo, lo + span] when min(x - lo, span) == x - lo (bytes unsigned).
  auto in_range = [&v](char lo, char span) {
    auto d = _mm_sub_epi8(v, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span)), d);
  };
  auto upper = in_range('A', 'Z' - 'A');
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out),
                   _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  auto ws = _mm_or_si128(in_range(0x09, 0x0d - 0x09),
                         in_range(0x1c, 0x20 - 0x1c));
  return static_cast<uint32_t>(_mm_movemask_epi8(ws));
#else
  uint32_t bits = 0;
  for (size_t i = 0; i < 16; ++i) {
    any |= in[i];
    out[i] = static_cast<uint8_t>(
      text::detail::ascii_lower(static_cast<char>(in[i])));
    bits |= static_cast<uint32_t>(text::detail::ascii_space_table[in[i] & 0x7f])
            << i;
  }
  return bits;
#endif
}

/// Returns the index of the lowest set bit of `x` (not 0).
inline size_t lowest_bit(uint64_t x) {
  return static_cast<unsigned>(__builtin_ctzll(x));
}

/// Hash of a word of at most eight bytes: one multiplication (Fibonacci
/// hashing); the table takes its slot from the high bits. Words that differ
/// only in trailing zero bytes share a hash; the table tells them apart by
/// their size.
inline uint64_t short_hash(uint64_t head) {
  return head * golden;
}

/// Hash of any word: the same as `short_hash` for words of at most eight
/// bytes. Reads the 8 bytes after the word (ignored).
inline uint64_t word_hash(const char* p, size_t size) {
  auto h = keep_first(load8(p), size) * golden;
  for (size_t i = 8; i < size; i += 8)
    h = (h ^ keep_first(load8(p + i), size - i)) * golden;
  return h;
}

} // namespace caf::consensus::internal

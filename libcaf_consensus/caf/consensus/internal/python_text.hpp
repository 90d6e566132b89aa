// caf-consensus: the building blocks of Python's `str.lower()` and
// `str.split()` on UTF-8 text, shared by `text::tokenize` and
// `detail::token_index` (private header, not installed).
//
// See the implementation notes at the top of tokenizer.cpp: word boundaries
// never depend on replacing ill-formed input, and lowering word by word
// equals lowering the whole text, so ASCII words can bypass ICU.

#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>
#include <vector>

#include "caf/consensus/text/python_space.hpp"

namespace caf::consensus::text::detail {

// -- character classes --------------------------------------------------------

/// Python whitespace among the ASCII range: U+0009..U+000D, U+001C..U+0020.
constexpr bool is_ascii_space(uint8_t c) {
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
}

constexpr std::array<uint8_t, 128> make_ascii_space_table() {
  std::array<uint8_t, 128> result{};
  for (size_t i = 0; i < result.size(); ++i)
    result[i] = is_ascii_space(static_cast<uint8_t>(i)) ? 1 : 0;
  return result;
}

inline constexpr auto ascii_space_table = make_ascii_space_table();

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline const uint8_t* bytes(std::string_view str) {
  return reinterpret_cast<const uint8_t*>(str.data());
}

inline bool is_ascii(std::string_view text) {
  // Checks eight bytes at a time; the compiler turns memcpy into one load.
  auto* s = bytes(text);
  auto n = text.size();
  size_t i = 0;
  uint64_t acc = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, s + i, sizeof(word));
    acc |= word;
  }
  for (; i < n; ++i)
    acc |= s[i];
  return (acc & 0x8080808080808080ULL) == 0;
}

// -- word scanning ------------------------------------------------------------

/// Classifies a word for the lowering and splitting paths.
enum class word_kind {
  /// Only ASCII bytes.
  ascii,
  /// Non-ASCII, well-formed UTF-8.
  utf8,
  /// Contains at least one ill-formed subsequence.
  invalid,
};

/// Calls `f(first, last, kind)` for each maximal run of non-whitespace code
/// points in `text` and `g(first, last)` for each run of whitespace.
template <class WordFn, class SpaceFn>
void scan(std::string_view text, WordFn&& f, SpaceFn&& g) {
  auto* s = bytes(text);
  auto n = text.size();
  size_t i = 0;
  while (i < n) {
    // Whitespace run.
    auto space_begin = i;
    while (i < n) {
      if (s[i] < 0x80) {
        if (ascii_space_table[s[i]] == 0)
          break;
        ++i;
      } else {
        auto j = i;
        UChar32 c;
        U8_NEXT(s, j, n, c);
        if (c < 0 || !is_python_space(static_cast<char32_t>(c)))
          break;
        i = j;
      }
    }
    if (i != space_begin)
      g(space_begin, i);
    if (i == n)
      break;
    // Word run.
    auto word_begin = i;
    auto kind = word_kind::ascii;
    while (i < n) {
      if (s[i] < 0x80) {
        if (ascii_space_table[s[i]] != 0)
          break;
        ++i;
      } else {
        auto j = i;
        UChar32 c;
        U8_NEXT(s, j, n, c);
        if (c < 0) {
          kind = word_kind::invalid;
        } else {
          if (is_python_space(static_cast<char32_t>(c)))
            break;
          if (kind == word_kind::ascii)
            kind = word_kind::utf8;
        }
        i = j;
      }
    }
    f(word_begin, i, kind);
  }
}

// -- conversions --------------------------------------------------------------

/// Per-thread scratch buffers for the ICU path.
struct scratch {
  std::vector<UChar> src;
  std::vector<UChar> dst;
};

inline scratch& thread_scratch() {
  thread_local scratch result;
  return result;
}

[[noreturn]] inline void icu_failure(const char* what, UErrorCode status) {
  std::string msg = "caf::consensus::text: ";
  msg += what;
  msg += " failed: ";
  msg += u_errorName(status);
  throw std::runtime_error(msg);
}

/// Decodes `text` (replacing ill-formed subparts) into UTF-16 `out`.
inline void decode_utf16(std::string_view text, std::vector<UChar>& out) {
  // Each code point needs at most as many UTF-16 units as UTF-8 bytes.
  if (text.size() > static_cast<size_t>(INT32_MAX))
    throw std::length_error("caf::consensus::text: word too long for ICU");
  out.resize(text.size());
  auto* s = bytes(text);
  auto n = text.size();
  size_t i = 0;
  size_t len = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT_OR_FFFD(s, i, n, c);
    U16_APPEND_UNSAFE(out.data(), len, c);
  }
  out.resize(len);
}

/// Appends the UTF-8 encoding of well-formed UTF-16 `str` to `out`.
inline void append_utf8(const UChar* str, size_t len, std::string& out) {
  // One UTF-16 unit needs at most three UTF-8 bytes.
  auto old_size = out.size();
  out.resize(old_size + 3 * len);
  auto* dst = reinterpret_cast<uint8_t*>(out.data()) + old_size;
  size_t j = 0;
  size_t i = 0;
  while (i < len) {
    UChar32 c;
    U16_NEXT(str, i, len, c);
    U8_APPEND_UNSAFE(dst, j, c);
  }
  out.resize(old_size + j);
}

/// Appends `text` with ill-formed subparts replaced by U+FFFD to `out`.
inline void append_sanitized(std::string_view text, std::string& out) {
  auto old_size = out.size();
  // A replaced subpart takes at least one byte and yields three.
  out.resize(old_size + 3 * text.size());
  auto* dst = reinterpret_cast<uint8_t*>(out.data()) + old_size;
  auto* s = bytes(text);
  auto n = text.size();
  size_t i = 0;
  size_t j = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT_OR_FFFD(s, i, n, c);
    U8_APPEND_UNSAFE(dst, j, c);
  }
  out.resize(old_size + j);
}

/// Appends the ASCII lower-case of ASCII `text` to `out`.
inline void append_ascii_lower(std::string_view text, std::string& out) {
  auto old_size = out.size();
  out.append(text);
  auto* first = out.data() + old_size;
  auto* last = out.data() + out.size();
  for (auto* i = first; i != last; ++i)
    *i = ascii_lower(*i);
}

/// Appends ICU's root-locale full lower-case of UTF-8 `text` to `out`.
inline void append_icu_lower(std::string_view text, std::string& out) {
  auto& buf = thread_scratch();
  decode_utf16(text, buf.src);
  auto src_len = static_cast<int32_t>(buf.src.size());
  // Lower-casing rarely grows the text (U+0130 is the prominent exception).
  auto cap = std::min(buf.src.size() + 16, static_cast<size_t>(INT32_MAX));
  if (buf.dst.size() < cap)
    buf.dst.resize(cap);
  auto status = U_ZERO_ERROR;
  auto len = u_strToLower(buf.dst.data(), static_cast<int32_t>(buf.dst.size()),
                          buf.src.data(), src_len, "", &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    buf.dst.resize(static_cast<size_t>(len));
    status = U_ZERO_ERROR;
    len = u_strToLower(buf.dst.data(), static_cast<int32_t>(buf.dst.size()),
                       buf.src.data(), src_len, "", &status);
  }
  if (U_FAILURE(status))
    icu_failure("u_strToLower", status);
  append_utf8(buf.dst.data(), static_cast<size_t>(len), out);
}

/// Appends the lower-case of a single word to `out`.
inline void append_lower_word(std::string_view word, word_kind kind,
                              std::string& out) {
  if (kind == word_kind::ascii)
    append_ascii_lower(word, out);
  else
    append_icu_lower(word, out);
}

} // namespace caf::consensus::text::detail

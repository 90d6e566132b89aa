// caf-consensus: UTF-8 well-formedness, byte by byte.

#pragma once

#include <cstddef>
#include <string_view>

namespace caf::consensus::text {

/// Returns the length (1 to 4) of the well-formed UTF-8 sequence that starts
/// at `s[i]`, or 0 when the bytes there are not one (a stray continuation
/// byte, an overlong form, a surrogate, a code point beyond U+10FFFF, or a
/// sequence cut short). NUL is a well-formed one-byte sequence.
size_t utf8_sequence_length(std::string_view s, size_t i) noexcept;

} // namespace caf::consensus::text

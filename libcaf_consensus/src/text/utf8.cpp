// caf-consensus: UTF-8 well-formedness, byte by byte.

#include "caf/consensus/text/utf8.hpp"

namespace caf::consensus::text {

size_t utf8_sequence_length(std::string_view s, size_t i) noexcept {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](size_t k) {
    return i + k < s.size() && (b(k) & 0xc0) == 0x80;
  };
  if (i >= s.size())
    return 0;
  auto c = b(0);
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2) || (c == 0xe0 && b(1) < 0xa0)
        || (c == 0xed && b(1) > 0x9f))
      return 0; // cut short, overlong or a surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3) || (c == 0xf0 && b(1) < 0x90)
        || (c == 0xf4 && b(1) > 0x8f))
      return 0; // cut short, overlong or beyond U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace caf::consensus::text

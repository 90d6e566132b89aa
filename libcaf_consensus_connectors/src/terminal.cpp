// caf-consensus connectors: text from agents made safe to print on a terminal.

#include "caf/consensus/connectors/terminal.hpp"

#include <cstdint>
#include <cstdio>

namespace caf::consensus::connectors {

namespace {

void append_hex(std::string& out, const char* prefix, unsigned value,
                int digits) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%0*x", digits, value);
  out += prefix;
  out += buf;
}

/// Returns the length of the well-formed UTF-8 sequence at `s[i]` (2 to 4),
/// or 0 when the bytes there are not one.
size_t utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[i + k]); };
  auto cont = [&](size_t k) {
    return i + k < s.size() && (b(k) & 0xc0) == 0x80;
  };
  auto c = b(0);
  if (c >= 0xc2 && c <= 0xdf)
    return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2))
      return 0;
    if ((c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) > 0x9f))
      return 0; // overlong or a surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3))
      return 0;
    if ((c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) > 0x8f))
      return 0; // overlong or beyond U+10FFFF
    return 4;
  }
  return 0;
}

} // namespace

std::string terminal_safe(std::string_view text, bool keep_layout) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<uint8_t>(text[i]);
    if (c < 0x80) {
      if ((c >= 0x20 && c != 0x7f) || (keep_layout && (c == '\n' || c == '\t')))
        out += static_cast<char>(c);
      else
        append_hex(out, "\\x", c, 2);
      ++i;
      continue;
    }
    auto n = utf8_length(text, i);
    if (n == 0) {
      append_hex(out, "\\x", c, 2);
      ++i;
      continue;
    }
    // U+0080..U+009F are C1 controls (0xc2 0x80..0x9f in UTF-8).
    auto second = static_cast<uint8_t>(text[i + 1]);
    if (n == 2 && c == 0xc2 && second <= 0x9f)
      append_hex(out, "\\u", second, 4);
    else
      out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

} // namespace caf::consensus::connectors

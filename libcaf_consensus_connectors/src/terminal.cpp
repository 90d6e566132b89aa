// caf-consensus connectors: text from agents made safe to print on a terminal.

#include "caf/consensus/connectors/terminal.hpp"

#include <cstdint>
#include <cstdio>

#include "caf/consensus/text/utf8.hpp"

namespace caf::consensus::connectors {

namespace {

void append_hex(std::string& out, const char* prefix, unsigned value,
                int digits) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%0*x", digits, value);
  out += prefix;
  out += buf;
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
    auto n = text::utf8_sequence_length(text, i);
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

// Tests: helpers of the text tests (text_test): UTF-8, U+FFFD, Python spaces.

#pragma once

#include <string>
#include <vector>

namespace caf::consensus::test {

using strings = std::vector<std::string>;

/// Encodes a code point as UTF-8.
inline std::string utf8(char32_t cp) {
  std::string result;
  if (cp < 0x80) {
    result += static_cast<char>(cp);
  } else if (cp < 0x800) {
    result += static_cast<char>(0xc0 | (cp >> 6));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    result += static_cast<char>(0xe0 | (cp >> 12));
    result += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    result += static_cast<char>(0xf0 | (cp >> 18));
    result += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    result += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    result += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return result;
}

inline const std::string replacement = "\xef\xbf\xbd"; // U+FFFD

inline const std::vector<char32_t> python_spaces = {
  0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x001c, 0x001d, 0x001e,
  0x001f, 0x0020, 0x0085, 0x00a0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
};

} // namespace caf::consensus::test

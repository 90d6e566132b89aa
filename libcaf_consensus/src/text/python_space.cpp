// caf-consensus: the whitespace of Python's `str.split()`.

#include "caf/consensus/text/python_space.hpp"

namespace caf::consensus::text {

bool is_python_space(char32_t cp) {
  switch (cp) {
    case 0x0009:
    case 0x000a:
    case 0x000b:
    case 0x000c:
    case 0x000d:
    case 0x001c:
    case 0x001d:
    case 0x001e:
    case 0x001f:
    case 0x0020:
    case 0x0085:
    case 0x00a0:
    case 0x1680:
    case 0x2000:
    case 0x2001:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200a:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return false;
  }
}

} // namespace caf::consensus::text

// caf-consensus sim: numbers of Snow studies as text (see snow/text.hpp).

#include "caf/consensus/sim/snow/text.hpp"

#include <cstdio>

namespace caf::consensus::sim::snow {

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

std::string sci(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2g", x);
  return buf;
}

std::string mean_text(const mean_ci& m, int digits) {
  return fixed(m.mean, digits) + " [" + fixed(m.low, digits) + ", "
         + fixed(m.high, digits) + "]";
}

} // namespace caf::consensus::sim::snow

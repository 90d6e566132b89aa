#include "caf/consensus/sim/advice/internal/format.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace caf::consensus::sim::advice_detail {

std::string format_num(double x, int prec, bool sign) {
  if (!std::isfinite(x))
    return "-";
  std::ostringstream os;
  if (sign && x >= 0)
    os << '+';
  os << std::fixed << std::setprecision(prec) << x;
  auto s = os.str();
  // A value that rounds to zero prints without a minus sign ("-0.000").
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s = (sign ? "+" : "") + s.substr(1);
  return s;
}

std::string effect_text(const effect& e, int prec) {
  if (!e.valid)
    return "n/a";
  return format_num(e.value, prec, true) + " [" + format_num(e.lo, prec, true)
         + ", " + format_num(e.hi, prec, true) + "]";
}

int precision_of(const std::string& what) {
  if (what.find("latency") != std::string::npos || what.rfind("calls", 0) == 0)
    return 2;
  if (what.find("rounds executed") != std::string::npos)
    return 2;
  return 3;
}

std::string rate_text(const rate& r) {
  if (r.n == 0)
    return "-";
  return format_num(r.value, 3) + " [" + format_num(r.lo, 2) + ", "
         + format_num(r.hi, 2) + "]";
}

} // namespace caf::consensus::sim::advice_detail

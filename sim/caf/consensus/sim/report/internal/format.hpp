// caf-consensus sim: numbers as fixed-point text for the report's error
// messages and tables (private header of the report layer).

#pragma once

#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace caf::consensus::sim::report_internal {

/// Returns `x` with `prec` digits after the point, or "-" when `x` is not
/// finite.
inline std::string fmt(double x, int prec) {
  if (!std::isfinite(x))
    return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

} // namespace caf::consensus::sim::report_internal

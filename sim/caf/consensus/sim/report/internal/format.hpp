// caf-consensus sim: numbers as text for the report's error messages, tables
// and gnuplot scripts (private header of the report layer).

#pragma once

#include <cmath>
#include <cstdio>
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

/// Returns `x` as gnuplot reads it back exactly enough for a chart (`%.10g`),
/// or `NaN` when it is not finite (gnuplot's missing value).
inline std::string gnuplot_number(double x) {
  if (!std::isfinite(x))
    return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", x);
  return buf;
}

} // namespace caf::consensus::sim::report_internal

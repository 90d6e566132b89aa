// caf-consensus sim: the value ranges charts are drawn with, and whether a
// chart misses values.
//
// The rule for a y axis (and a heatmap's colour scale) that is not a rate:
// the range always contains 0, so it spans the values' own magnitude (a
// non-negative quantity such as rounds, latency or calls is drawn from 0, a
// negative one up to 0, one of both signs across 0). An autoscaled axis would
// zoom into the noise of near-constant data: latency 900 +- 5 ms drawn from
// 895 to 905, or a constant 1 +- 0.01 filling the panel, so that tiny
// intervals look large. Every value, interval ends included, lies inside; the
// open end gets a margin of 5% and is rounded up to 1, 1.2, 1.5, 2, 2.5, 3,
// 4, 5, 6 or 8 times a power of ten. Data that are all 0 (or none) get
// [0, 1]. Rates (`unit_range`) keep [0, 1].

#include "caf/consensus/sim/report/plot.hpp"

#include <algorithm>
#include <cmath>

namespace caf::consensus::sim {

namespace {

/// Returns the smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
/// times a power of ten) that is at least `x` > 0; `x` itself when that
/// overflows.
double nice_ceil(double x) {
  static const double steps[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
  auto p = std::pow(10.0, std::floor(std::log10(x)));
  for (auto s : steps) {
    auto y = s * p;
    if (y >= x * (1 - 1e-12))
      return std::isfinite(y) ? std::max(y, x) : x;
  }
  return x;
}

/// Widens [lo, hi] by every finite value of `xs`.
void widen(const std::vector<double>& xs, double& lo, double& hi) {
  for (auto x : xs)
    if (std::isfinite(x)) {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
}

} // namespace

value_range y_range(const plot_panel& p) {
  if (p.unit_range)
    return {-0.02, 1.02};
  double lo = 0;
  double hi = 0;
  for (auto& s : p.series) {
    widen(s.y, lo, hi);
    widen(s.lo, lo, hi);
    widen(s.hi, lo, hi);
  }
  if (lo == 0 && hi == 0)
    return {0, 1};
  auto pad = 0.05 * (hi - lo);
  value_range r{lo, hi};
  if (hi > 0)
    r.hi = nice_ceil(hi + pad);
  if (lo < 0)
    r.lo = -nice_ceil(-lo + pad);
  return r;
}

value_range colour_range(const heatmap_panel& p) {
  if (p.unit_range)
    return {0, 1};
  double lo = 0;
  double hi = 0;
  for (auto& row : p.z)
    widen(row, lo, hi);
  if (lo == 0 && hi == 0)
    return {0, 1};
  return {lo, hi};
}

bool has_missing(const line_chart& chart) {
  for (auto& p : chart.panels)
    for (auto& s : p.series)
      if (std::any_of(s.y.begin(), s.y.end(),
                      [](double y) { return !std::isfinite(y); }))
        return true;
  return false;
}

bool has_missing(const heatmap_panel& p) {
  for (auto& row : p.z)
    if (std::any_of(row.begin(), row.end(),
                    [](double z) { return !std::isfinite(z); }))
      return true;
  return false;
}

bool has_missing(const heatmap_chart& chart) {
  return std::any_of(chart.panels.begin(), chart.panels.end(),
                     [](const heatmap_panel& p) { return has_missing(p); });
}

} // namespace caf::consensus::sim

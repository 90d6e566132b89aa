// caf-consensus sim: what reaches gnuplot: labels made safe for its string
// literals, and charts checked before they are drawn.

#include "caf/consensus/sim/report/plot.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "caf/consensus/sim/report/internal/format.hpp"
#include "caf/consensus/text/utf8.hpp"

namespace caf::consensus::sim {

namespace {

// -- limits -------------------------------------------------------------------

constexpr size_t max_panels = 16;
constexpr size_t max_series = 64;
constexpr size_t max_ticks = 1000;
constexpr size_t max_text = 120;

std::string check_num(double x) {
  return report_internal::gnuplot_number(x);
}

bool finite_all(const std::vector<double>& xs) {
  return std::all_of(xs.begin(), xs.end(),
                     [](double x) { return std::isfinite(x); });
}

} // namespace

std::string gnuplot_text(const std::string& x) {
  static const std::string allowed_punct = " _.,:;=+-/()[]%<>|#*!?~&";
  std::string out;
  out.reserve(std::min(x.size(), max_text));
  for (size_t i = 0; i < x.size() && out.size() < max_text;) {
    auto c = static_cast<unsigned char>(x[i]);
    if (c < 0x80) {
      bool ok = std::isalnum(c) != 0
                || allowed_punct.find(static_cast<char>(c))
                     != std::string::npos;
      out += ok ? static_cast<char>(c) : '?';
      ++i;
      continue;
    }
    auto len = text::utf8_sequence_length(x, i);
    if (len == 0) {
      out += '?';
      ++i;
      continue;
    }
    if (out.size() + len > max_text)
      break;
    out.append(x, i, len);
    i += len;
  }
  return out;
}

std::string check_chart(const line_chart& chart) {
  if (chart.panels.empty())
    return "chart '" + chart.title + "' has no panel";
  if (chart.panels.size() > max_panels)
    return "chart '" + chart.title + "' has more than "
           + std::to_string(max_panels) + " panels";
  if (chart.xtics.size() > max_ticks)
    return "chart '" + chart.title + "' has more than "
           + std::to_string(max_ticks) + " categories";
  for (auto& p : chart.panels) {
    if (p.series.size() > max_series)
      return "panel '" + p.title + "' has more than "
             + std::to_string(max_series) + " series";
    for (auto& s : p.series) {
      auto n = s.x.size();
      if (s.y.size() != n || s.lo.size() != n || s.hi.size() != n)
        return "series '" + s.name + "' of panel '" + p.title
               + "': x, y, lo and hi differ in length";
      if (!finite_all(s.x))
        return "series '" + s.name + "' of panel '" + p.title
               + "': an x position is not a finite number";
      if (!chart.xtics.empty())
        for (auto x : s.x)
          if (x < 0 || x >= static_cast<double>(chart.xtics.size())
              || x != std::floor(x))
            return "series '" + s.name + "' of panel '" + p.title
                   + "': x position " + check_num(x)
                   + " is not a category index";
    }
  }
  return {};
}

std::string check_chart(const heatmap_chart& chart) {
  if (chart.panels.empty())
    return "heatmap '" + chart.title + "' has no panel";
  if (chart.panels.size() > max_panels)
    return "heatmap '" + chart.title + "' has more than "
           + std::to_string(max_panels) + " panels";
  if (chart.xtics.empty() || chart.ytics.empty()
      || chart.xtics.size() > max_ticks || chart.ytics.size() > max_ticks)
    return "heatmap '" + chart.title + "' needs 1 to "
           + std::to_string(max_ticks) + " values on each axis";
  for (auto& p : chart.panels) {
    if (p.z.size() != chart.ytics.size())
      return "heatmap panel '" + p.title + "' has " + std::to_string(p.z.size())
             + " rows for " + std::to_string(chart.ytics.size()) + " y values";
    for (auto& row : p.z)
      if (row.size() != chart.xtics.size())
        return "heatmap panel '" + p.title + "' has a row of "
               + std::to_string(row.size()) + " cells for "
               + std::to_string(chart.xtics.size()) + " x values";
  }
  return {};
}

} // namespace caf::consensus::sim

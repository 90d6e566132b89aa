// caf-consensus sim: charts as gnuplot scripts, drawn by gnuplot.
//
// Overlapping series stay distinguishable: every series of a panel has its
// own colour, point type (filled, then open shapes) and point size (later
// series smaller, so a point drawn over an equal one leaves a rim), lines
// that are not baselines cycle through dash patterns (solid first; long
// dashes are the baselines' alone), and on a categorical axis the series'
// points stand side by side within their category instead of on top of each
// other. Missing values are never drawn over: a line has a gap there, a
// heatmap cell is gray and labelled n/a, with a key entry saying so. The y
// ranges follow `y_range` (plot_range.cpp).

#include "caf/consensus/sim/report/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "caf/consensus/connectors/run_process.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/internal/format.hpp"

namespace caf::consensus::sim {

namespace {

// -- style --------------------------------------------------------------------

/// Tableau 10: distinguishable, colour-blind friendlier than gnuplot's.
const char* const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                               "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                               "#bcbd22", "#17becf"};

/// Point types by series: filled circle, square, triangles up and down,
/// diamond, then the same shapes open.
constexpr int point_types[] = {7, 5, 9, 11, 13, 6, 4, 8, 10, 12};

/// Dash patterns of the lines that are not baselines: solid, dash-dot,
/// dash-dot-dot, dotted. Baselines are long dashes (`dt 2`).
const char* const dash_types[] = {"", " dt 4", " dt 5", " dt 3"};

/// Heatmap cells without a value: gray, labelled n/a in dark gray.
constexpr const char* missing_fill = "#d9d9d9";
constexpr const char* missing_text = "#404040";

constexpr int panel_width = 480;
constexpr int panel_height = 360;

template <class T, size_t N>
const T& cycle(const T (&xs)[N], size_t i) {
  return xs[i % N];
}

std::string num(double x) {
  return report_internal::gnuplot_number(x);
}

std::string quoted(const std::string& x) {
  return "\"" + gnuplot_text(x) + "\"";
}

std::string terminal(plot_format fmt, int width, int height) {
  std::ostringstream os;
  if (fmt == plot_format::svg)
    os << "set terminal svg size " << width << "," << height
       << " noenhanced font \"Sans,11\" background rgb \"white\"\n";
  else
    os << "set terminal pngcairo size " << width << "," << height
       << " noenhanced font \"Sans,10\" background rgb \"white\"\n";
  // NaN stays invalid data, not "missing": a line has a gap there instead
  // of being drawn straight across the missing value.
  os << "set encoding utf8\n";
  return os.str();
}

void layout(size_t panels, int& rows, int& cols) {
  cols = panels <= 1 ? 1 : 2;
  rows = static_cast<int>((panels + static_cast<size_t>(cols) - 1)
                          / static_cast<size_t>(cols));
}

std::string tics(const char* axis, const std::vector<std::string>& labels) {
  std::ostringstream os;
  os << "set " << axis << " (";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0)
      os << ", ";
    os << quoted(labels[i]) << ' ' << i;
  }
  os << ")";
  size_t chars = 0;
  for (auto& l : labels)
    chars += l.size() + 2;
  if (axis[0] == 'x' && (labels.size() > 6 || chars > 40))
    os << " rotate by -25";
  os << "\n";
  return os.str();
}

size_t finite_count(const std::vector<double>& xs) {
  return static_cast<size_t>(std::count_if(xs.begin(), xs.end(), [](double x) {
    return std::isfinite(x);
  }));
}

/// The sideways offset of the `k`-th of `n` series on a categorical axis:
/// side by side, together at most 0.7 of a category wide.
double dodge(size_t k, size_t n) {
  if (n < 2)
    return 0;
  auto step = std::min(0.15, 0.7 / static_cast<double>(n));
  return (static_cast<double>(k) - static_cast<double>(n - 1) / 2) * step;
}

} // namespace

std::string gnuplot_script(const line_chart& chart, plot_format fmt) {
  int rows = 1;
  int cols = 1;
  layout(chart.panels.size(), rows, cols);
  // Each panel keeps its legend below it: one line per series.
  size_t most_series = 0;
  for (auto& p : chart.panels)
    most_series = std::max(most_series, p.series.size());
  auto height = panel_height
                + 14
                    * static_cast<int>(std::min<size_t>(
                      most_series > 2 ? most_series - 2 : 0, 30));
  // A legend entry wider than its panel is not drawn at all: widen the
  // panels for long series names (gnuplot reserves about 8 px per character
  // at font size 9,
  // plus the line sample).
  size_t longest = 0;
  for (auto& p : chart.panels)
    for (auto& s : p.series)
      longest = std::max(longest, s.name.size());
  auto width = std::max(panel_width,
                        std::min(static_cast<int>(longest) * 8 + 90, 1600));
  bool categorical = !chart.xtics.empty();
  std::ostringstream os;
  os << terminal(fmt, width * cols, height * rows + 30);
  // Data first: one datablock per series (x y lo hi); on a categorical axis
  // each drawn series is moved sideways by its dodge.
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    size_t drawn = 0;
    for (auto& ser : panel.series)
      drawn += finite_count(ser.y) > 0 ? 1 : 0;
    size_t k = 0;
    for (size_t s = 0; s < panel.series.size(); ++s) {
      auto& ser = panel.series[s];
      auto shift = 0.0;
      if (finite_count(ser.y) > 0 && categorical)
        shift = dodge(k++, drawn);
      os << "$p" << p << "s" << s << " << EOD\n";
      for (size_t i = 0; i < ser.x.size(); ++i)
        os << num(ser.x[i] + shift) << ' ' << num(ser.y[i]) << ' '
           << num(ser.lo[i]) << ' ' << num(ser.hi[i]) << '\n';
      os << "EOD\n";
    }
  }
  os << "set multiplot layout " << rows << "," << cols << " title "
     << quoted(chart.title) << " font \",13\"\n"
     << "set grid lc rgb \"#dddddd\"\n"
     << "set border lc rgb \"#555555\"\n"
     << "set key below font \",9\" samplen 3\n"
     << "set xlabel " << quoted(chart.xlabel) << "\n";
  if (categorical) {
    os << tics("xtics", chart.xtics) << "set xrange [-0.5:"
       << num(static_cast<double>(chart.xtics.size()) - 0.5) << "]\n";
  } else {
    // Whole-number parameters (rounds, k, counts) get whole-number ticks.
    bool whole = true;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (auto& p : chart.panels)
      for (auto& s : p.series)
        for (auto x : s.x) {
          whole = whole && x == std::floor(x);
          lo = std::min(lo, x);
          hi = std::max(hi, x);
        }
    if (whole && hi >= lo && hi - lo <= 20)
      os << "set xtics 1\nset autoscale x\n";
    else
      os << "set xtics autofreq\nset autoscale x\n";
  }
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    auto yr = y_range(panel);
    os << "set title " << quoted(panel.title) << "\n"
       << "set ylabel " << quoted(panel.ylabel) << "\n"
       << "set yrange [" << num(yr.lo) << ":" << num(yr.hi) << "]\n";
    bool any
      = std::any_of(panel.series.begin(), panel.series.end(),
                    [](const plot_series& s) { return finite_count(s.y) > 0; });
    if (!any) {
      // Nothing to draw: an empty frame with a note (gnuplot refuses to
      // plot only missing values).
      os << "set label 1 \"no data\" at graph 0.5, graph 0.5 center\n"
         << "plot 2 notitle lc rgb \"white\"\n"
         << "unset label 1\n";
      continue;
    }
    os << "plot ";
    bool first = true;
    size_t plain = 0; // series that are not baselines so far
    for (size_t s = 0; s < panel.series.size(); ++s) {
      auto& ser = panel.series[s];
      auto color = cycle(palette, s);
      auto block = "$p" + std::to_string(p) + "s" + std::to_string(s);
      auto finite_points = finite_count(ser.y);
      if (finite_points == 0)
        continue;
      auto as_points = categorical || ser.points || finite_points < 2;
      // Lines that are not baselines cycle through dash patterns; error bars
      // stay solid (their shape tells them apart) unless a baseline's.
      std::string dash = ser.dashed ? " dt 2" : cycle(dash_types, plain++);
      if (as_points && !ser.dashed)
        dash.clear();
      // Later series get smaller points: one drawn over an equal point of an
      // earlier series leaves that one's rim visible.
      auto size = std::max(0.5, 1.1 - 0.12 * static_cast<double>(s));
      std::ostringstream style;
      style << " pt " << cycle(point_types, s) << " ps " << num(size) << dash
            << " lc rgb \"" << color << "\" title " << quoted(ser.name);
      if (!first)
        os << ", \\\n     ";
      first = false;
      if (as_points) {
        os << block << " using 1:2:3:4 with yerrorbars lw 2" << style.str();
      } else {
        os << block << " using 1:3:4 with filledcurves fc rgb \"" << color
           << "\" fs transparent solid 0.18 noborder notitle, \\\n     "
           << block << " using 1:2 with linespoints lw 2" << style.str();
      }
    }
    os << "\n";
  }
  os << "unset multiplot\n";
  return os.str();
}

std::string gnuplot_script(const heatmap_chart& chart, plot_format fmt) {
  int rows = 1;
  int cols = 1;
  layout(chart.panels.size(), rows, cols);
  std::ostringstream os;
  os << terminal(fmt, panel_width * cols, panel_height * rows + 30);
  // Each panel: rows of (x y z dark) for the cells with a value, where
  // `dark` picks the label colour, and rows of (x y) for the cells without.
  std::vector<value_range> ranges;
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    auto r = colour_range(panel);
    ranges.push_back(r);
    std::ostringstream missing;
    os << "$h" << p << " << EOD\n";
    for (size_t iy = 0; iy < panel.z.size(); ++iy)
      for (size_t ix = 0; ix < panel.z[iy].size(); ++ix) {
        auto z = panel.z[iy][ix];
        if (!std::isfinite(z)) {
          missing << ix << ' ' << iy << '\n';
          continue;
        }
        auto t = (z - r.lo) / (r.hi - r.lo);
        os << ix << ' ' << iy << ' ' << num(z) << ' ' << (t > 0.55 ? 1 : 0)
           << '\n';
      }
    os << "EOD\n$h" << p << "na << EOD\n" << missing.str() << "EOD\n";
  }
  os << "set multiplot layout " << rows << "," << cols << " title "
     << quoted(chart.title) << " font \",13\"\n"
     << "set palette defined (0 \"#f7fbff\", 0.35 \"#c6dbef\", 0.6 "
        "\"#6baed6\", 0.8 \"#2171b5\", 1 \"#08306b\")\n"
     << "set border lc rgb \"#555555\"\n"
     << "set xlabel " << quoted(chart.xlabel) << "\n"
     << "set ylabel " << quoted(chart.ylabel) << "\n"
     << tics("xtics", chart.xtics) << tics("ytics", chart.ytics)
     << "set xrange [-0.5:"
     << num(static_cast<double>(chart.xtics.size()) - 0.5) << "]\n"
     << "set yrange [-0.5:"
     << num(static_cast<double>(chart.ytics.size()) - 0.5) << "]\n"
     << "set size ratio -1\n";
  auto label_font = chart.xtics.size() * chart.ytics.size() > 64 ? 7 : 9;
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    auto block = "$h" + std::to_string(p);
    auto missing = has_missing(panel);
    auto any = std::any_of(panel.z.begin(), panel.z.end(),
                           [](const std::vector<double>& row) {
                             return finite_count(row) > 0;
                           });
    os << "set title " << quoted(panel.title) << "\n"
       << "set cbrange [" << num(ranges[p].lo) << ":" << num(ranges[p].hi)
       << "]\n"
       << (missing ? "set key tmargin right font \",9\" samplen 1\n"
                   : "unset key\n")
       << "plot ";
    if (any)
      os << block
         << " using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 "
            "noborder notitle, \\\n     "
         << block << " using 1:2:($4 > 0 ? sprintf(\"%.3g\", $3) : \"\") "
         << "with labels font \"," << label_font
         << "\" tc rgb \"white\" notitle, \\\n     " << block
         << " using 1:2:($4 > 0 ? \"\" : sprintf(\"%.3g\", $3)) with labels "
            "font \","
         << label_font << "\" tc rgb \"black\" notitle"
         << (missing ? ", \\\n     " : "");
    if (missing)
      os << block << "na using 1:2:(0.5):(0.5) with boxxyerror fc rgb \""
         << missing_fill << "\" fs solid 1.0 noborder title \"n/a: no data\", "
         << "\\\n     " << block
         << "na using 1:2:(\"n/a\") with labels font \"," << label_font
         << "\" tc rgb \"" << missing_text << "\" notitle";
    os << "\n";
  }
  os << "unset multiplot\n";
  return os.str();
}
expected<std::string> run_gnuplot(const std::string& script,
                                  const gnuplot_options& opts) {
  if (connectors::find_program(opts.program).empty())
    return make_error(errc::malformed_input,
                      "gnuplot ('" + opts.program
                        + "') not found: install the Debian package "
                          "gnuplot-nox (apt-get install gnuplot-nox)");
  connectors::process_options popts;
  popts.input = script;
  popts.timeout_ms = opts.timeout_ms;
  popts.max_output = 64 * 1024 * 1024;
  auto res = connectors::run_process({opts.program}, popts);
  if (!res)
    return std::move(res.error());
  auto first_lines = [](const std::string& text) {
    std::string out;
    std::istringstream is{text};
    std::string line;
    int n = 0;
    while (n < 6 && std::getline(is, line)) {
      if (line.empty())
        continue;
      if (!out.empty())
        out += " | ";
      out += line;
      ++n;
    }
    return out.empty() ? std::string{"(no message)"} : out;
  };
  if (res->timed_out)
    return make_error(errc::execute_failed, "gnuplot did not finish within "
                                              + std::to_string(opts.timeout_ms)
                                              + " ms");
  if (res->status != 0)
    return make_error(errc::execute_failed, "gnuplot failed (exit status "
                                              + std::to_string(res->status)
                                              + "): " + first_lines(res->err));
  if (res->out.empty())
    return make_error(errc::execute_failed,
                      "gnuplot produced no image: " + first_lines(res->err));
  return std::move(res->out);
}

expected<std::string> draw(const line_chart& chart, plot_format fmt,
                           const gnuplot_options& opts) {
  if (auto problem = check_chart(chart); !problem.empty())
    return make_error(errc::malformed_input, problem);
  return run_gnuplot(gnuplot_script(chart, fmt), opts);
}

expected<std::string> draw(const heatmap_chart& chart, plot_format fmt,
                           const gnuplot_options& opts) {
  if (auto problem = check_chart(chart); !problem.empty())
    return make_error(errc::malformed_input, problem);
  return run_gnuplot(gnuplot_script(chart, fmt), opts);
}

} // namespace caf::consensus::sim

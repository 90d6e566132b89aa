#include "caf/consensus/sim/report/plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "caf/consensus/connectors/run_process.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

namespace {

// -- limits and style ---------------------------------------------------------

constexpr size_t max_panels = 16;
constexpr size_t max_series = 64;
constexpr size_t max_ticks = 1000;
constexpr size_t max_text = 120;

/// Tableau 10: distinguishable, colour-blind friendlier than gnuplot's.
const char* const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                               "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                               "#bcbd22", "#17becf"};

constexpr int panel_width = 480;
constexpr int panel_height = 360;

std::string num(double x) {
  if (!std::isfinite(x))
    return "NaN";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.10g", x);
  return buf;
}

/// Length of the UTF-8 sequence starting at `s[i]` if it is well formed,
/// else 0.
size_t utf8_len(const std::string& s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len = 0;
  uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (size_t k = 1; k < len; ++k) {
    auto d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (d & 0x3Fu);
  }
  // Overlong forms, surrogates and code points above U+10FFFF.
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)
      || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return 0;
  return len;
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
  os << "set encoding utf8\n"
        "set datafile missing \"NaN\"\n";
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
    auto len = utf8_len(x, i);
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
                   + "': x position " + num(x) + " is not a category index";
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
  std::ostringstream os;
  os << terminal(fmt, panel_width * cols, height * rows + 30);
  // Data first: one datablock per series (x y lo hi).
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    for (size_t s = 0; s < panel.series.size(); ++s) {
      auto& ser = panel.series[s];
      os << "$p" << p << "s" << s << " << EOD\n";
      for (size_t i = 0; i < ser.x.size(); ++i)
        os << num(ser.x[i]) << ' ' << num(ser.y[i]) << ' ' << num(ser.lo[i])
           << ' ' << num(ser.hi[i]) << '\n';
      os << "EOD\n";
    }
  }
  bool categorical = !chart.xtics.empty();
  os << "set multiplot layout " << rows << "," << cols << " title "
     << quoted(chart.title) << " font \",13\"\n"
     << "set grid lc rgb \"#dddddd\"\n"
     << "set border lc rgb \"#555555\"\n"
     << "set key below font \",9\" samplen 2\n"
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
    os << "set title " << quoted(panel.title) << "\n"
       << "set ylabel " << quoted(panel.ylabel) << "\n";
    if (panel.unit_range)
      os << "set yrange [-0.02:1.02]\n";
    else
      os << "set autoscale y\n";
    bool any = false;
    for (auto& s : panel.series)
      any = any || std::any_of(s.y.begin(), s.y.end(), [](double y) {
              return std::isfinite(y);
            });
    if (!any) {
      // Nothing to draw: an empty frame with a note (gnuplot refuses to
      // plot only missing values).
      os << "set label 1 \"no data\" at graph 0.5, graph 0.5 center\n"
         << "set yrange [0:1]\n"
         << "plot 2 notitle lc rgb \"white\"\n"
         << "unset label 1\n";
      continue;
    }
    os << "plot ";
    bool first = true;
    for (size_t s = 0; s < panel.series.size(); ++s) {
      auto& ser = panel.series[s];
      auto color = palette[s % (sizeof(palette) / sizeof(palette[0]))];
      auto block = "$p" + std::to_string(p) + "s" + std::to_string(s);
      auto finite_points = std::count_if(
        ser.y.begin(), ser.y.end(), [](double y) { return std::isfinite(y); });
      if (finite_points == 0)
        continue;
      auto dash = ser.dashed ? " dt 2" : "";
      if (!first)
        os << ", \\\n     ";
      first = false;
      if (categorical || ser.points || finite_points < 2) {
        os << block << " using 1:2:3:4 with yerrorbars lw 2 pt 7 ps 0.8" << dash
           << " lc rgb \"" << color << "\" title " << quoted(ser.name);
      } else {
        os << block << " using 1:3:4 with filledcurves fc rgb \"" << color
           << "\" fs transparent solid 0.18 noborder notitle, \\\n     "
           << block << " using 1:2 with linespoints lw 2 pt 7 ps 0.7" << dash
           << " lc rgb \"" << color << "\" title " << quoted(ser.name);
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
  // Each panel: rows of (x y z dark), where `dark` picks the label colour.
  std::vector<std::pair<double, double>> ranges;
  for (size_t p = 0; p < chart.panels.size(); ++p) {
    auto& panel = chart.panels[p];
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (auto& row : panel.z)
      for (auto z : row)
        if (std::isfinite(z)) {
          lo = std::min(lo, z);
          hi = std::max(hi, z);
        }
    if (panel.unit_range) {
      lo = 0;
      hi = 1;
    } else if (!std::isfinite(lo)) {
      lo = 0;
      hi = 1;
    } else if (hi <= lo) {
      hi = lo + 1;
    }
    ranges.emplace_back(lo, hi);
    os << "$h" << p << " << EOD\n";
    for (size_t iy = 0; iy < panel.z.size(); ++iy)
      for (size_t ix = 0; ix < panel.z[iy].size(); ++ix) {
        auto z = panel.z[iy][ix];
        if (!std::isfinite(z))
          continue;
        auto t = (z - lo) / (hi - lo);
        os << ix << ' ' << iy << ' ' << num(z) << ' ' << (t > 0.55 ? 1 : 0)
           << '\n';
      }
    os << "EOD\n";
  }
  os << "set multiplot layout " << rows << "," << cols << " title "
     << quoted(chart.title) << " font \",13\"\n"
     << "set palette defined (0 \"#f7fbff\", 0.35 \"#c6dbef\", 0.6 "
        "\"#6baed6\", 0.8 \"#2171b5\", 1 \"#08306b\")\n"
     << "set border lc rgb \"#555555\"\n"
     << "unset key\n"
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
    os << "set title " << quoted(panel.title) << "\n"
       << "set cbrange [" << num(ranges[p].first) << ":"
       << num(ranges[p].second) << "]\n";
    auto empty = std::all_of(
      panel.z.begin(), panel.z.end(), [](const std::vector<double>& row) {
        return std::none_of(row.begin(), row.end(),
                            [](double z) { return std::isfinite(z); });
      });
    if (empty) {
      os << "set label 1 \"no data\" at graph 0.5, graph 0.5 center\n"
         << "plot 1e9 notitle\n"
         << "unset label 1\n";
      continue;
    }
    auto block = "$h" + std::to_string(p);
    os << "plot " << block
       << " using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 "
          "noborder notitle, \\\n     "
       << block << " using 1:2:($4 > 0 ? sprintf(\"%.3g\", $3) : \"\") "
       << "with labels font \"," << label_font
       << "\" tc rgb \"white\" notitle, \\\n     " << block
       << " using 1:2:($4 > 0 ? \"\" : sprintf(\"%.3g\", $3)) with labels "
          "font \","
       << label_font << "\" tc rgb \"black\" notitle\n";
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

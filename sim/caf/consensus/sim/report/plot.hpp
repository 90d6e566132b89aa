// caf-consensus sim: charts drawn by gnuplot (SVG, optionally PNG).
//
// A chart is described as data (`line_chart`, `heatmap_chart`), turned into a
// gnuplot script (`gnuplot_script`) whose data travel inline as datablocks,
// and drawn by running gnuplot as a subprocess with the script on its
// standard input and the image on its standard output (`draw`). No file
// name and no user text reaches gnuplot unfiltered: every label passes
// `gnuplot_text`.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

namespace caf::consensus::sim {

// -- chart model --------------------------------------------------------------

/// One line of a panel: a value with its 95% interval at each x position.
/// NaN values are gaps (never drawn across).
struct plot_series {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> lo;
  std::vector<double> hi;
  /// Drawn dashed (baselines).
  bool dashed = false;
  /// Drawn as points with error bars, never joined by a line (a scatter of
  /// unrelated points, e.g. one per cell).
  bool points = false;
};

/// One panel (a metric) of a chart.
struct plot_panel {
  std::string title;
  std::string ylabel;
  /// Fixed y range [0, 1] (rates); otherwise `y_range`: from 0 to past the
  /// values, never zoomed into their noise.
  bool unit_range = false;
  std::vector<plot_series> series;
};

/// A line chart: panels sharing the x axis, laid out in a grid. Each series
/// is a line with its 95% band (numeric x) or points with error bars
/// (categorical x, `plot_series::points`, or a single point): categories are
/// never joined by lines.
struct line_chart {
  std::string title;
  std::string xlabel;
  /// Categorical x axis: position i is labelled `xtics[i]`. Empty: numeric.
  std::vector<std::string> xtics;
  std::vector<plot_panel> panels;
};

/// One panel of a heatmap: `z[iy][ix]` (NaN: no data, drawn as a gray cell
/// labelled n/a).
struct heatmap_panel {
  std::string title;
  bool unit_range = false;
  std::vector<std::vector<double>> z;
};

/// A heatmap over two swept parameters, one panel per metric. Cells are
/// placed at index positions and labelled with the parameter values.
struct heatmap_chart {
  std::string title;
  std::string xlabel;
  std::string ylabel;
  std::vector<std::string> xtics;
  std::vector<std::string> ytics;
  std::vector<heatmap_panel> panels;
};

// -- ranges -------------------------------------------------------------------

/// A closed interval of values.
struct value_range {
  double lo = 0;
  double hi = 1;
};

/// Returns the y range panel `p` is drawn with. Rates (`unit_range`):
/// [-0.02, 1.02] (a margin for the markers at 0 and 1). Any other panel: a
/// range that contains 0 and every finite value, interval ends included, so
/// it spans the values' own magnitude (a non-negative quantity is drawn from
/// 0, a negative one up to 0); the open end gets a 5% margin and is rounded up
/// to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten. All 0 or no
/// values: [0, 1]. Never autoscaled: an autoscaled axis zooms into the noise
/// of near-constant data (1 +- 0.01 would fill the panel).
value_range y_range(const plot_panel& p);

/// Returns the colour range of heatmap panel `p` by the same rule ([0, 1]
/// for rates; otherwise from 0 to the values, unrounded; all 0: [0, 1]).
value_range colour_range(const heatmap_panel& p);

/// Returns whether a series of `chart` misses a value (a NaN y: the line
/// has a gap there).
bool has_missing(const line_chart& chart);

/// Returns whether a cell of `p` has no value (NaN: drawn as a gray cell
/// labelled n/a).
bool has_missing(const heatmap_panel& p);

/// Returns whether a cell of any panel of `chart` has no value.
bool has_missing(const heatmap_chart& chart);

// -- drawing ------------------------------------------------------------------

/// Output formats of gnuplot used here.
enum class plot_format : uint8_t { svg, png };

/// How to run gnuplot.
struct gnuplot_options {
  /// Program name or path.
  std::string program = "gnuplot";
  /// Deadline per gnuplot run.
  int64_t timeout_ms = 60000;
};

/// Returns `x` made safe for a gnuplot string literal: only printable ASCII
/// letters, digits, blanks and `_.,:;=+-/()[]%<>|#*!?~&` and non-ASCII UTF-8
/// survive, every other byte becomes `?`, and the result is cut to 120 bytes
/// (on a code point boundary).
std::string gnuplot_text(const std::string& x);

/// Returns the gnuplot script that draws `chart` to standard output.
std::string gnuplot_script(const line_chart& chart, plot_format fmt);

/// Returns the gnuplot script that draws `chart` to standard output.
std::string gnuplot_script(const heatmap_chart& chart, plot_format fmt);

/// Checks that `chart` is drawable (at least one panel, aligned vectors, at
/// most 16 panels and 64 series a panel, categorical positions within the
/// tick list). Returns an empty string when fine, else the problem.
std::string check_chart(const line_chart& chart);

/// Checks a heatmap the same way (rectangular grids matching the ticks).
std::string check_chart(const heatmap_chart& chart);

/// Runs gnuplot on `script` and returns what it wrote to standard output.
/// Errors name gnuplot's complaint (its standard error) or the missing
/// program (with the Debian package to install).
expected<std::string> run_gnuplot(const std::string& script,
                                  const gnuplot_options& opts);

/// Draws `chart` in format `fmt` and returns the image bytes.
expected<std::string> draw(const line_chart& chart, plot_format fmt,
                           const gnuplot_options& opts);

/// Draws `chart` in format `fmt` and returns the image bytes.
expected<std::string> draw(const heatmap_chart& chart, plot_format fmt,
                           const gnuplot_options& opts);

} // namespace caf::consensus::sim

// caf-consensus sim: building blocks of the HTML pages (report and advice):
// escaped text and drawn charts inlined as SVG.

#pragma once

#include <string>

namespace caf::consensus::sim {

/// A drawn chart.
struct chart_file {
  /// File stem in the charts folder (`01-beta_2`).
  std::string name;
  std::string title;
  /// What the chart shows (caption).
  std::string caption;
  /// The SVG document as gnuplot wrote it.
  std::string svg;
};

/// Escapes `x` for HTML text and attribute values.
std::string html_escape(const std::string& x);

/// Returns `svg` ready to inline into an HTML page: without the XML prolog,
/// and with every id (and every reference to one) prefixed by `prefix`, so
/// that several charts on one page do not share ids.
std::string inline_svg(const std::string& svg, const std::string& prefix);

} // namespace caf::consensus::sim

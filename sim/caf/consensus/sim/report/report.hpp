// caf-consensus sim: reports of a results directory (charts + one HTML page).
//
// A results directory is what `consensus-sim run FILE --out DIR` writes:
// `manifest.json` (scenario, sweep axes, resolved cells) and `summary.jsonl`
// (one summary per cell) or, when the summaries are missing, `runs.jsonl`
// (one object per run, summarized here). The report is a self-contained HTML
// page (inline CSS, the charts inlined as SVG, no script, nothing fetched)
// plus every chart as a separate SVG and PNG file drawn by gnuplot.
//
// This header declares `write_report` and includes the parts it is made of:
// `results.hpp` (reading a results directory), `cell_result.hpp` (a cell's
// summary, pooling), `baselines.hpp` (the `vote` baselines), `charts.hpp`
// (which charts), `html.hpp` and `report_page.hpp` (the page).

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/baselines.hpp"
#include "caf/consensus/sim/report/cell_result.hpp"
#include "caf/consensus/sim/report/charts.hpp"
#include "caf/consensus/sim/report/html.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/report_page.hpp"
#include "caf/consensus/sim/report/results.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

/// Options of `write_report`.
struct report_options {
  /// Output folder (default: DIR/report).
  std::string out_dir;
  /// Also write PNG files next to the SVG files.
  bool png = true;
  gnuplot_options gnuplot;
  /// Baselines to show (optional).
  const baselines* base = nullptr;
  /// Further results directories whose convergence charts are overlaid on
  /// this one's (`report --compare`).
  std::vector<const results*> compare;
};

/// What `write_report` wrote.
struct report_written {
  std::string html_path;
  std::vector<std::string> chart_paths;
  /// What the report had to leave out, and why (e.g. no convergence charts
  /// from a store this version cannot read).
  std::vector<std::string> notes;
};

/// Draws every chart of `res` and writes `index.html`, `charts/*.svg` and
/// (with `png`) `charts/*.png` into the output folder.
expected<report_written> write_report(const results& res,
                                      const report_options& opts);

} // namespace caf::consensus::sim

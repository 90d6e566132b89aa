// caf-consensus sim: reports of a results directory (charts + one HTML page).
//
// A results directory is what `consensus-sim run FILE --out DIR` writes:
// `manifest.json` (scenario, sweep axes, resolved cells) and `summary.jsonl`
// (one summary per cell) or, when the summaries are missing, `runs.jsonl`
// (one object per run, summarized here). The report is a self-contained HTML
// page (inline CSS, the charts inlined as SVG, no script, nothing fetched)
// plus every chart as a separate SVG and PNG file drawn by gnuplot.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

// -- results ------------------------------------------------------------------

/// One swept parameter of a results directory.
struct result_axis {
  std::string key;
  std::vector<std::string> values;
  /// True when every value is a number (`numbers` holds them).
  bool numeric = false;
  std::vector<double> numbers;
};

/// The summary of one sweep cell (from summary.jsonl or recomputed).
struct cell_result {
  uint64_t cell = 0;
  /// False for a cell that has no summary (e.g. an interrupted sweep).
  bool present = false;
  std::string label;
  /// Index of this cell's value on each axis (aligned with the axes).
  std::vector<size_t> coords;
  uint64_t runs = 0;
  rate finalize_rate;
  rate accuracy;
  rate accuracy_finalized;
  mean_ci rounds;
  mean_ci latency_ms;
  mean_ci calls;
};

/// Returns the summary of a cell from the accumulated runs.
cell_result to_cell_result(const cell_summary& x);

/// Merges cells (e.g. over the values of parameters a chart does not show):
/// rates pool their hits, means pool mean and variance (the variance of each
/// part is recovered from its t-interval), with fresh 95% intervals.
cell_result pool(const std::vector<const cell_result*>& parts);

/// A results directory as the report reads it.
struct results {
  std::string dir;
  nlohmann::json manifest;
  std::vector<result_axis> axes;
  /// One entry per grid cell, in cell order (`present` = false: missing).
  std::vector<cell_result> cells;
  /// Where the summaries came from: `summary.jsonl` or `runs.jsonl`.
  std::string source;
};

/// Options of `load_results`.
struct load_options {
  /// Summarize runs.jsonl even when summary.jsonl exists.
  bool from_runs = false;
};

/// Reads a results directory. Errors name the file, the line and the field
/// at fault (missing manifest, malformed JSON, a cell outside the sweep, an
/// interval that is not one, ...).
expected<results> load_results(const std::string& dir,
                               const load_options& opts = {});

// -- baselines ----------------------------------------------------------------

/// The `vote` baselines of every cell of a results directory, run with the
/// cell's own run seeds (so round 0 is the same draw as in the cell's runs).
struct baselines {
  /// Majority after round 0 (self-consistency; n calls per run).
  std::vector<cell_result> round0;
  /// Debate-then-vote with the rounds whose calls come closest to the cell's
  /// mean calls per run (`budget_rounds[c]`).
  std::vector<cell_result> equal_calls;
  std::vector<int32_t> budget_rounds;
};

/// Returns the rounds of a `vote` run with `agents` participants whose
/// `agents * (rounds + 1)` calls come closest to `mean_calls` (at least 0).
int32_t equal_call_rounds(double mean_calls, size_t agents);

/// Returns `cell` as policy `vote` with `rounds` refinement rounds (0:
/// majority after round 0), everything else unchanged.
scenario vote_baseline(const scenario& cell, int32_t rounds);

/// Runs `cell` (a resolved scenario; its sweep is dropped) once per seed,
/// replicate i with run seed `seeds[i]`, and passes every run in order to
/// `on_run`.
error run_with_seeds(const scenario& cell, const std::vector<uint64_t>& seeds,
                     engine_kind engine, size_t threads,
                     const std::function<void(const run_metrics&)>& on_run);

/// Runs the baselines of `res`, whose runs came from scenario `s` (checked
/// against the manifest's hash, replicates and seeds).
expected<baselines> run_baselines(const results& res, const scenario& s,
                                  engine_kind engine, size_t threads);

// -- the report ---------------------------------------------------------------

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

/// Options of `write_report`.
struct report_options {
  /// Output folder (default: DIR/report).
  std::string out_dir;
  /// Also write PNG files next to the SVG files.
  bool png = true;
  gnuplot_options gnuplot;
  /// Baselines to show (optional).
  const baselines* base = nullptr;
};

/// What `write_report` wrote.
struct report_written {
  std::string html_path;
  std::vector<std::string> chart_paths;
};

/// Returns the line charts (one per swept parameter), heatmaps (two swept
/// parameters) and the policy comparison (when `policy` is swept) of `res`.
std::vector<std::pair<std::string, line_chart>>
line_charts(const results& res, const baselines* base);

/// Returns the heatmaps of `res` (one per pair of swept parameters, at most
/// three pairs), keyed by file stem.
std::vector<std::pair<std::string, heatmap_chart>> heatmaps(const results& res);

/// Escapes `x` for HTML text and attribute values.
std::string html_escape(const std::string& x);

/// Returns `svg` ready to inline into an HTML page: without the XML prolog,
/// and with every id (and every reference to one) prefixed by `prefix`, so
/// that several charts on one page do not share ids.
std::string inline_svg(const std::string& svg, const std::string& prefix);

/// Returns the whole HTML page of a report.
std::string report_html(const results& res,
                        const std::vector<chart_file>& charts,
                        const baselines* base);

/// Draws every chart of `res` and writes `index.html`, `charts/*.svg` and
/// (with `png`) `charts/*.png` into the output folder.
expected<report_written> write_report(const results& res,
                                      const report_options& opts);

} // namespace caf::consensus::sim

// caf-consensus sim: writing a report: every chart drawn as SVG (and PNG)
// into charts/, and the page as index.html.

#include "caf/consensus/sim/report/report.hpp"

#include <filesystem>
#include <fstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/convergence.hpp"
#include "caf/consensus/sim/store/output_file.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;

namespace {

/// What a caption adds when a chart misses values.
std::string missing_note(const line_chart& chart) {
  return has_missing(chart)
           ? " Some values are missing (nothing to compute them from: a cell "
             "without runs or, for accuracy among finalized runs, without a "
             "finalized run): the lines have gaps there."
           : "";
}

std::string missing_note(const heatmap_chart& chart) {
  return has_missing(chart)
           ? " Gray cells marked n/a have no value (a cell without runs or, "
             "for accuracy among finalized runs, without a finalized run); "
             "they are not 0."
           : "";
}

} // namespace

expected<report_written> write_report(const results& res,
                                      const report_options& opts) {
  auto out_dir = opts.out_dir.empty() ? (fs::path{res.dir} / "report").string()
                                      : opts.out_dir;
  std::error_code ec;
  fs::create_directories(fs::path{out_dir} / "charts", ec);
  if (ec)
    return make_error(errc::malformed_input, "cannot create '" + out_dir
                                               + "/charts': " + ec.message());
  report_written written;
  std::vector<chart_file> files;
  auto write = [&](const fs::path& p, const std::string& bytes) -> error {
    return write_file(p.string(), bytes);
  };
  auto emit = [&](const std::string& name, const auto& chart,
                  const std::string& caption) -> error {
    auto svg = draw(chart, plot_format::svg, opts.gnuplot);
    if (!svg)
      return make_error(errc::execute_failed,
                        "chart '" + name + "': " + render(svg.error()));
    auto svg_path = fs::path{out_dir} / "charts" / (name + ".svg");
    if (auto err = write(svg_path, *svg))
      return err;
    written.chart_paths.push_back(svg_path.string());
    if (opts.png) {
      auto png = draw(chart, plot_format::png, opts.gnuplot);
      if (!png)
        return make_error(errc::execute_failed,
                          "chart '" + name + "' (PNG): " + render(png.error()));
      auto png_path = fs::path{out_dir} / "charts" / (name + ".png");
      if (auto err = write(png_path, *png))
        return err;
      written.chart_paths.push_back(png_path.string());
    }
    files.push_back(chart_file{name, chart.title, caption + missing_note(chart),
                               std::move(*svg)});
    return {};
  };
  for (auto& [name, chart] : line_charts(res, opts.base)) {
    std::string caption = res.axes.empty()
                            ? "The scenario's only cell beside the vote "
                              "baselines (majority after round 0; debate, "
                              "then vote at equal calls), with 95% intervals."
                            : "Finalize rate, accuracy, accuracy among "
                              "finalized runs, mean rounds, simulated latency "
                              "and calls against "
                                + chart.xlabel + ", with 95% intervals.";
    if (auto err = emit(name, chart, caption))
      return err;
  }
  for (auto& [name, chart] : heatmaps(res))
    if (auto err = emit(name, chart,
                        "Heatmap of " + chart.xlabel + " (x) and "
                          + chart.ylabel
                          + " (y): finalize rate, accuracy, accuracy among "
                            "finalized runs and mean rounds."))
      return err;
  // Convergence over rounds, from the per-round data in the store.
  std::vector<const results*> all{&res};
  all.insert(all.end(), opts.compare.begin(), opts.compare.end());
  auto conv = convergence_charts(all);
  if (!conv && !opts.compare.empty())
    return std::move(conv.error());
  if (!conv) {
    // The summaries still make a report: say what is missing.
    written.notes.push_back("no convergence charts: " + render(conv.error()));
    conv = std::vector<std::pair<std::string, line_chart>>{};
  }
  for (auto& [name, chart] : *conv) {
    std::string caption;
    if (name == "convergence_agreement")
      caption = "Mean share of live agents whose answer agrees with the "
                "run's eventual winner (left) and with the ground truth "
                "(right), by round, with 95% bands. A run that stopped "
                "earlier counts with its last round.";
    else if (name == "convergence_decided")
      caption = "Share of runs that had decided by each refinement round "
                "(the distribution of rounds to decide as a CDF; runs that "
                "never decided keep it below 1), with 95% Wilson bands.";
    else if (name == "convergence_locked_wrong")
      caption = "Share of runs locked on a wrong answer by each round: the "
                "eventual winner is wrong and more than half of the live "
                "agents already agree with it (95% Wilson bands).";
    else if (name == "reliability")
      caption = "Reliability diagram: in each bin of the winner's confidence "
                "(width 0.1) with at least 10 runs, the share of runs whose "
                "winner is right (95% Wilson bands) against the bin's mean "
                "confidence. On the "
                "dashed diagonal a confidence is a probability; below it the "
                "policy is overconfident, above it underconfident. The "
                "expected calibration error is in summary.jsonl.";
    else
      caption = "Accuracy (95% Wilson interval) against the mean number of "
                "calls per run, one point per cell: the cost of accuracy.";
    if (!opts.compare.empty()) {
      caption += " Compared with:";
      for (auto* other : opts.compare)
        caption += " " + other->dir;
      caption += " (one series per directory and cell).";
    }
    if (auto err = emit(name, chart, caption))
      return err;
  }
  auto html = report_html(res, files, opts.base);
  auto html_path = fs::path{out_dir} / "index.html";
  if (auto err = write(html_path, html))
    return err;
  written.html_path = html_path.string();
  return written;
}

} // namespace caf::consensus::sim

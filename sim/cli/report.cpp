// consensus-sim report: charts and a self-contained HTML page of a results
// directory.

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

int report(const args& xs) {
  po::options_description desc{"options"};
  std::string dir;
  std::string out_dir;
  std::string scenario_file;
  std::string engine_name;
  std::string gnuplot;
  size_t threads = 1;
  bool no_png = false;
  bool baseline = false;
  bool from_runs = false;
  std::vector<std::string> compare_dirs;
  desc.add_options()("help,h", "show this help")(
    "dir", po::value(&dir)->required(),
    "results directory (written by 'consensus-sim run FILE --out DIR')")(
    "out,o", po::value(&out_dir),
    "output folder (default: DIR/report): index.html and charts/*.svg, "
    "charts/*.png")(
    "baseline,b", po::bool_switch(&baseline),
    "also run policy vote with every cell's run seeds (majority after round "
    "0, and debate-then-vote at the cell's number of calls) and show it "
    "beside the results; needs the scenario file")(
    "scenario,s", po::value(&scenario_file),
    "scenario file of the results (default: the manifest's; its hash must "
    "match)")("threads,t", po::value(&threads)->default_value(1),
              "worker threads for --baseline")(
    "engine,e", po::value(&engine_name)->default_value("inline"),
    "engine for --baseline: inline or actors (identical results)")(
    "compare,c", po::value(&compare_dirs)->composing(),
    "another results directory whose convergence charts are overlaid on "
    "DIR's, one series per directory and cell (repeatable; e.g. two policies "
    "run separately)")("from-runs", po::bool_switch(&from_runs),
                       "summarize runs.jsonl even when summary.jsonl exists")(
    "no-png", po::bool_switch(&no_png), "write SVG charts only")(
    "gnuplot", po::value(&gnuplot)->default_value("gnuplot"),
    "gnuplot program (Debian package gnuplot-nox)");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (auto rc = parse(
        "report", xs, desc, pos, vm,
        "DIR [--out OUTDIR] [--baseline] [--compare DIR2...] "
        "[--no-png]\n\n"
        "Reads a results directory (manifest.json and "
        "summary.jsonl, or runs.jsonl)\nand writes a "
        "self-contained HTML report: the scenario and its "
        "manifest,\nthe summary table, for each swept "
        "parameter a chart of finalize rate,\naccuracy, "
        "accuracy among finalized runs, mean rounds, latency and "
        "calls\nwith 95% bands, heatmaps when two or more "
        "parameters are swept, and the\npolicy comparison when "
        "policy is swept, and convergence over rounds (agreement with\nthe "
        "winner and the truth, runs decided and runs locked on a "
        "wrong answer\nby round, accuracy against calls) from "
        "the results store; --compare overlays\nthose of other "
        "directories. Charts are drawn by gnuplot and also "
        "written as\nseparate SVG and PNG files."))
    return *rc;
  sim::engine_kind engine;
  if (engine_name == "actors")
    engine = sim::engine_kind::actors;
  else if (engine_name == "inline")
    engine = sim::engine_kind::inline_calls;
  else {
    std::cerr << "consensus-sim report: --engine must be 'actors' or "
                 "'inline', got '"
              << engine_name << "'\n";
    return 2;
  }
  if (threads < 1 || threads > 1024) {
    std::cerr << "consensus-sim report: --threads must be in [1, 1024], got "
              << threads << '\n';
    return 2;
  }
  if (!baseline && vm.count("scenario")) {
    std::cerr << "consensus-sim report: --scenario is only used with "
                 "--baseline\n";
    return 2;
  }
  sim::load_options lopts;
  lopts.from_runs = from_runs;
  auto res = sim::load_results(dir, lopts);
  if (!res) {
    std::cerr << "consensus-sim report: " << render(res.error()) << '\n';
    return 1;
  }
  std::vector<sim::results> compared;
  compared.reserve(compare_dirs.size());
  for (auto& other : compare_dirs) {
    auto x = sim::load_results(other, lopts);
    if (!x) {
      std::cerr << "consensus-sim report: --compare " << other << ": "
                << render(x.error()) << '\n';
      return 1;
    }
    if (!sim::results_store::exists(other)) {
      std::cerr << "consensus-sim report: --compare " << other
                << ": no results store (results.db) to read rounds from; "
                   "compare directories written by 'consensus-sim run FILE "
                   "--out DIR'\n";
      return 1;
    }
    compared.push_back(std::move(*x));
  }
  sim::baselines base;
  sim::report_options opts;
  for (auto& x : compared)
    opts.compare.push_back(&x);
  opts.out_dir = out_dir;
  opts.png = !no_png;
  opts.gnuplot.program = gnuplot;
  if (baseline) {
    // The results store keeps the scenario's text: use it, wherever the
    // report runs from, when no --scenario is given.
    std::optional<sim::scenario> stored;
    if (scenario_file.empty() && sim::results_store::exists(dir)) {
      auto st = sim::results_store::open(dir);
      if (!st) {
        std::cerr << "consensus-sim report: --baseline: "
                  << sim::render_sweep_error(st.error()) << '\n';
        return 1;
      }
      auto sc = st->load_scenario();
      if (!sc) {
        std::cerr << "consensus-sim report: --baseline: the scenario stored in "
                  << st->path() << ": " << render(sc.error()) << '\n';
        return 1;
      }
      auto& m = res->manifest;
      if (m.contains("scenario") && m["scenario"].is_object()
          && m["scenario"].contains("hash") && m["scenario"]["hash"].is_string()
          && m["scenario"]["hash"].get<std::string>() != sc->hash) {
        std::cerr << "consensus-sim report: --baseline: the scenario stored in "
                  << st->path() << " (hash " << sc->hash
                  << ") is not the manifest's ("
                  << m["scenario"]["hash"].get<std::string>() << ")\n";
        return 1;
      }
      stored = std::move(*sc);
    }
    bool from_manifest = scenario_file.empty();
    if (scenario_file.empty() && !stored) {
      auto& m = res->manifest;
      if (m.contains("scenario") && m["scenario"].is_object()
          && m["scenario"].contains("file")
          && m["scenario"]["file"].is_string())
        scenario_file = m["scenario"]["file"].get<std::string>();
      if (scenario_file.empty()) {
        std::cerr << "consensus-sim report: --baseline needs the scenario "
                     "file; the manifest names none, pass --scenario FILE\n";
        return 2;
      }
    }
    auto sc = stored ? expected<sim::scenario>{std::move(*stored)}
                     : sim::load_scenario(scenario_file);
    if (!sc) {
      std::cerr << "consensus-sim report: --baseline: " << render(sc.error())
                << '\n';
      if (from_manifest)
        std::cerr << "  (the manifest names the file as given to "
                     "'consensus-sim run', relative to where it ran; pass "
                     "--scenario FILE)\n";
      return 1;
    }
    auto b = sim::run_baselines(*res, *sc, engine, threads);
    if (!b) {
      std::cerr << "consensus-sim report: --baseline: " << render(b.error())
                << '\n';
      return 1;
    }
    base = std::move(*b);
    opts.base = &base;
  }
  auto written = sim::write_report(*res, opts);
  if (!written) {
    std::cerr << "consensus-sim report: " << render(written.error()) << '\n';
    return 1;
  }
  for (auto& note : written->notes)
    std::cerr << "consensus-sim report: note: " << note << '\n';
  std::cout << "report: " << written->html_path << " ("
            << written->chart_paths.size() << " chart files in "
            << (out_dir.empty() ? dir + "/report" : out_dir)
            << "/charts; summaries from " << res->source << ")\n";
  return 0;
}

} // namespace caf::consensus::cli

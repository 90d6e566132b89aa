// consensus-sim summarize: the per-cell summary of a results store.

#include <iostream>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/store/run_export.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/options.hpp"
#include "cli/sweep_table.hpp"

namespace caf::consensus::cli {

int summarize(const args& xs) {
  po::options_description desc{"options"};
  std::string dir;
  std::string format;
  desc.add_options()("help,h", "show this help")(
    "dir", po::value(&dir)->required(),
    "results directory (written by 'consensus-sim run FILE --out DIR')")(
    "format,f", po::value(&format)->default_value("table"),
    "table: the table 'run' prints; jsonl: the lines of summary.jsonl");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (auto rc = parse("summarize", xs, desc, pos, vm,
                      "DIR [--format table|jsonl]\n\n"
                      "Summarizes the runs stored in DIR/results.db per "
                      "sweep cell, as 'run' does\nat the end of a sweep "
                      "(also for a sweep that is incomplete or still "
                      "running)."))
    return *rc;
  if (format != "table" && format != "jsonl") {
    std::cerr << "consensus-sim summarize: --format must be 'table' or "
                 "'jsonl', got '"
              << format << "'\n";
    return 2;
  }
  auto store = sim::results_store::open(dir);
  if (!store) {
    std::cerr << "consensus-sim summarize: "
              << sim::render_sweep_error(store.error()) << '\n';
    return 1;
  }
  auto sc = store->load_scenario();
  if (!sc) {
    std::cerr << "consensus-sim summarize: "
              << sim::render_sweep_error(sc.error()) << '\n';
    return 1;
  }
  std::vector<sim::cell_summary> cells(sim::cell_count(*sc));
  auto n = sim::export_runs(*store, "", [&](const sim::run_metrics& m) {
    if (m.cell < cells.size())
      cells[m.cell].add(m);
  });
  if (!n) {
    std::cerr << "consensus-sim summarize: "
              << sim::render_sweep_error(n.error()) << '\n';
    return 1;
  }
  auto total = cells.size() * sc->replicates;
  if (format == "jsonl") {
    for (uint64_t c = 0; c < cells.size(); ++c)
      std::cout << sim::summary_json(*sc, c, cells[c]).dump() << '\n';
  } else {
    std::cout << "scenario " << sc->name << " (" << store->scenario_file()
              << ", hash " << sc->hash << ")\n"
              << "  " << *n << " of " << total << " runs stored"
              << (*n == total ? "" : " (incomplete)") << " in " << store->path()
              << "\n\n";
    print_table(std::cout, *sc, cells);
    std::cout << legend;
  }
  if (*n != total)
    std::cerr << "consensus-sim summarize: note: " << *n << " of " << total
              << " runs are stored (continue the sweep with 'consensus-sim "
                 "run FILE --out "
              << dir << " --resume')\n";
  return 0;
}

} // namespace caf::consensus::cli

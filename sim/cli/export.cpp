// consensus-sim export: the runs of a results store as CSV or JSON Lines.

#include <fstream>
#include <iostream>
#include <optional>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/output_file.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

int export_runs(const args& xs) {
  po::options_description desc{"options"};
  std::string dir;
  std::string format;
  std::string output;
  bool agents = false;
  bool rounds = false;
  desc.add_options()("help,h", "show this help")(
    "dir", po::value(&dir)->required(),
    "results directory (written by 'consensus-sim run FILE --out DIR')")(
    "format,f", po::value(&format)->default_value("csv"),
    "csv: the lines of runs.csv; jsonl: the lines of runs.jsonl")(
    "agents", po::bool_switch(&agents),
    "export the per-agent rows (agents.csv) instead of the runs (csv only)")(
    "rounds", po::bool_switch(&rounds),
    "export every run's rounds instead of the runs: one line per round with "
    "live agents, calls, agreement with the winner, the truth and the "
    "plurality, confidence, decisions (csv or jsonl)")(
    "output,o", po::value(&output), "write to this file instead of stdout");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (auto rc = parse("export", xs, desc, pos, vm,
                      "DIR [--format csv|jsonl] [--agents | --rounds] "
                      "[--output FILE]\n\n"
                      "Prints every run stored in DIR/results.db in canonical "
                      "order (cell, replicate),\nbyte for byte as 'run --out' "
                      "writes runs.csv / runs.jsonl. Works while a sweep\nis "
                      "still writing into DIR (then it shows the runs stored "
                      "so far)."))
    return *rc;
  if (format != "csv" && format != "jsonl") {
    std::cerr << "consensus-sim export: --format must be 'csv' or 'jsonl', "
                 "got '"
              << format << "'\n";
    return 2;
  }
  if (agents && rounds) {
    std::cerr << "consensus-sim export: give --agents or --rounds, not both\n";
    return 2;
  }
  if (agents && format != "csv") {
    std::cerr << "consensus-sim export: --agents exports CSV only\n";
    return 2;
  }
  auto store = sim::results_store::open(dir);
  if (!store) {
    std::cerr << "consensus-sim export: "
              << sim::render_sweep_error(store.error()) << '\n';
    return 1;
  }
  if (agents && !store->identity().agent_rows) {
    std::cerr << "consensus-sim export: " << store->path()
              << " has no agent rows (the sweep ran without --agents)\n";
    return 1;
  }
  // A file goes through a temporary file renamed into place, and never onto
  // the store it is made from.
  std::optional<sim::output_file> file;
  if (vm.count("output")) {
    auto f = sim::output_file::open(
      output, {store->path(), store->path() + "-wal", store->path() + "-shm"});
    if (!f) {
      std::cerr << "consensus-sim export: "
                << sim::render_sweep_error(f.error()) << '\n';
      return 1;
    }
    file.emplace(std::move(*f));
  }
  std::ostream& out = file ? file->stream() : std::cout;
  if (format == "csv")
    out << (agents   ? sim::agents_csv_header()
            : rounds ? sim::rounds_csv_header()
                     : sim::runs_csv_header())
        << '\n';
  uint64_t n = 0;
  auto err = store->for_each([&](const sim::run_metrics& m) {
    ++n;
    if (agents)
      out << sim::agents_csv(m);
    else if (rounds)
      out << (format == "csv" ? sim::rounds_csv(m) : sim::rounds_jsonl(m));
    else if (format == "csv")
      out << sim::to_csv(m) << '\n';
    else
      out << sim::to_json(m).dump() << '\n';
  });
  out.flush();
  if (err) {
    std::cerr << "consensus-sim export: " << sim::render_sweep_error(err)
              << '\n';
    return 1;
  }
  if (file) {
    if (auto err = file->commit()) {
      std::cerr << "consensus-sim export: " << sim::render_sweep_error(err)
                << '\n';
      return 1;
    }
  } else if (!out) {
    std::cerr << "consensus-sim export: write error on standard output\n";
    return 1;
  }
  auto& id = store->identity();
  auto total = id.cells * id.replicates;
  if (n != total)
    std::cerr << "consensus-sim export: note: " << n << " of " << total
              << " runs are stored (the sweep is incomplete; continue it "
                 "with 'consensus-sim run FILE --out "
              << dir << " --resume')\n";
  return 0;
}

} // namespace caf::consensus::cli

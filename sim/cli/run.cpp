// consensus-sim run: run a scenario (or its sweep) and summarize it.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/output.hpp"
#include "caf/consensus/sim/runner.hpp"
#include "caf/consensus/sim/scenario.hpp"
#include "caf/consensus/sim/summary.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

namespace fs = std::filesystem;

namespace {

std::string fmt(double x, int prec) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

std::string rate_cell(const sim::rate& r) {
  if (r.n == 0)
    return "-";
  return fmt(r.value, 3) + " [" + fmt(r.lo, 2) + "," + fmt(r.hi, 2) + "]";
}

std::string mean_cell(const sim::mean_ci& m, int prec) {
  if (m.n == 0)
    return "-";
  return fmt(m.value, prec) + " ±" + fmt(m.hi - m.value, prec);
}

std::string pad(const std::string& x, size_t width) {
  // Pads by code points (the ± sign is two bytes).
  size_t cps = 0;
  for (auto c : x)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++cps;
  return cps >= width ? x + " " : x + std::string(width - cps, ' ');
}

class progress_line {
public:
  explicit progress_line(bool enabled) : enabled_(enabled) {
    start_ = std::chrono::steady_clock::now();
  }

  void update(uint64_t done, uint64_t total) {
    if (!enabled_)
      return;
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds{200})
      return;
    last_ = now;
    auto secs = std::chrono::duration<double>(now - start_).count();
    auto rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
    auto eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
    std::fprintf(stderr, "\r  runs %llu/%llu (%3.0f%%)  %.0f runs/s  ETA %.0fs   ",
                 static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total),
                 total > 0 ? 100.0 * static_cast<double>(done)
                               / static_cast<double>(total)
                           : 100.0,
                 rate, eta);
    if (done == total)
      std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

private:
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

void print_table(std::ostream& out, const sim::scenario& s,
                 const std::vector<sim::cell_summary>& cells) {
  std::vector<std::string> head{"cell"};
  for (auto& a : s.sweep)
    head.push_back(a.key);
  for (auto* h : {"runs", "finalized [95% CI]", "accuracy [95% CI]",
                  "acc|final [95% CI]", "rounds", "sim.latency ms", "calls"})
    head.push_back(h);
  std::vector<std::vector<std::string>> rows;
  for (uint64_t c = 0; c < cells.size(); ++c) {
    std::vector<std::string> row{std::to_string(c)};
    if (!s.sweep.empty()) {
      auto coords = sim::cell_coordinates(s, c);
      for (size_t i = 0; i < s.sweep.size(); ++i)
        row.push_back(s.sweep[i].values[coords[i]]);
    }
    auto& x = cells[c];
    row.push_back(std::to_string(x.runs()));
    row.push_back(rate_cell(x.finalize_rate()));
    row.push_back(rate_cell(x.accuracy()));
    row.push_back(rate_cell(x.safety()));
    row.push_back(mean_cell(x.rounds(), 2));
    row.push_back(mean_cell(x.latency(), 0));
    row.push_back(mean_cell(x.calls(), 1));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> width(head.size());
  auto cps = [](const std::string& x) {
    size_t n = 0;
    for (auto c : x)
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
        ++n;
    return n;
  };
  for (size_t i = 0; i < head.size(); ++i) {
    width[i] = cps(head[i]) + 2;
    for (auto& r : rows)
      width[i] = std::max(width[i], cps(r[i]) + 2);
  }
  for (size_t i = 0; i < head.size(); ++i)
    out << pad(head[i], width[i]);
  out << '\n';
  for (auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i)
      out << pad(r[i], width[i]);
    out << '\n';
  }
}

const char* legend
  = "\nHow to read this:\n"
    "  finalized    share of runs whose winner reached beta_2 (Phase II "
    "finality)\n"
    "  accuracy     share of runs whose winner gave the ground-truth answer\n"
    "  acc|final    accuracy among finalized runs only: the safety of "
    "finality\n"
    "  rounds       refinement rounds executed (early stop at beta_1 makes it "
    "smaller)\n"
    "  sim.latency  simulated wall time of a run: sum over rounds of the "
    "slowest call\n"
    "  calls        execute calls per run (what real model calls would cost)\n"
    "  Rates show [95% Wilson interval]; means show ± the 95% t-interval "
    "half-width.\n";

} // namespace

int run(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  std::string out_dir;
  std::string engine_name;
  size_t threads = 1;
  uint64_t replicates = 0;
  bool quiet = false;
  bool agent_rows = false;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&file)->required(), "scenario file (YAML or JSON)")(
    "out,o", po::value(&out_dir),
    "write runs.csv, runs.jsonl, summary.csv, summary.jsonl and "
    "manifest.json to this directory (created if missing)")(
    "threads,t", po::value(&threads)->default_value(1),
    "worker threads (results do not depend on it)")(
    "engine,e", po::value(&engine_name)->default_value("actors"),
    "actors: participants are CAF actors driven by the coordinator; "
    "inline: the same code called directly (faster, identical results)")(
    "replicates,r", po::value(&replicates),
    "override the scenario's replicates per cell")(
    "agents", po::bool_switch(&agent_rows),
    "also write agents.csv (one row per agent per run) into --out")(
    "quiet,q", po::bool_switch(&quiet), "no progress line");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (auto rc = parse("run", xs, desc, pos, vm,
                      "FILE [--out DIR] [--threads N] [--engine "
                      "actors|inline]\n\n"
                      "Runs every replicate of every sweep cell of the "
                      "scenario FILE with synthetic\nagents in virtual time "
                      "and prints, per cell, the finalize rate, accuracy,\n"
                      "accuracy among finalized runs (rates with 95% Wilson "
                      "intervals) and mean\nrounds, simulated latency and "
                      "calls (with 95% t-intervals). The same file\nand seed "
                      "give byte-identical per-run results for any --threads "
                      "and --engine."))
    return *rc;
  sim::engine_kind engine;
  if (engine_name == "actors")
    engine = sim::engine_kind::actors;
  else if (engine_name == "inline")
    engine = sim::engine_kind::inline_calls;
  else {
    std::cerr << "consensus-sim run: --engine must be 'actors' or 'inline', "
                 "got '"
              << engine_name << "'\n";
    return 2;
  }
  if (threads < 1 || threads > 1024) {
    std::cerr << "consensus-sim run: --threads must be in [1, 1024], got "
              << threads << '\n';
    return 2;
  }
  auto sc = sim::load_scenario(file);
  if (!sc) {
    std::cerr << "consensus-sim run: " << render(sc.error()) << '\n';
    return 1;
  }
  if (vm.count("replicates")) {
    if (replicates < 1 || !sc->seeds.empty()) {
      std::cerr << "consensus-sim run: --replicates must be >= 1 and cannot "
                   "be combined with a scenario that lists seeds\n";
      return 2;
    }
    sc->replicates = replicates;
  }
  auto cells = sim::cell_count(*sc);
  auto total = cells * sc->replicates;
  auto agents = sim::participant_ids(*sc).size();
  std::cout << "scenario " << sc->name << " (" << file << ")\n";
  if (!sc->description.empty())
    std::cout << "  " << sc->description << '\n';
  std::cout << "  " << agents << " agents in " << sc->groups.size()
            << " groups, policy " << sc->ps.policy << ", ground truth '"
            << sc->world.ground_truth << "'\n"
            << "  " << cells << (cells == 1 ? " cell" : " cells") << " × "
            << sc->replicates << " replicates = " << total << " runs, engine "
            << engine_name << ", " << threads
            << (threads == 1 ? " thread" : " threads") << ", seed "
            << (sc->seeds.empty() ? std::to_string(sc->seed)
                                  : std::string{"list"})
            << "\n\n";
  std::ofstream runs_csv;
  std::ofstream runs_jsonl;
  std::ofstream agents_file;
  if (!out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) {
      std::cerr << "consensus-sim run: cannot create '" << out_dir
                << "': " << ec.message() << '\n';
      return 1;
    }
    runs_csv.open(fs::path{out_dir} / "runs.csv", std::ios::trunc);
    runs_jsonl.open(fs::path{out_dir} / "runs.jsonl", std::ios::trunc);
    if (!runs_csv || !runs_jsonl) {
      std::cerr << "consensus-sim run: cannot write into '" << out_dir
                << "'\n";
      return 1;
    }
    runs_csv << sim::runs_csv_header() << '\n';
    if (agent_rows) {
      agents_file.open(fs::path{out_dir} / "agents.csv", std::ios::trunc);
      agents_file << sim::agents_csv_header() << '\n';
    }
  } else if (agent_rows) {
    std::cerr << "consensus-sim run: --agents needs --out DIR\n";
    return 2;
  }
  std::vector<sim::cell_summary> summaries(cells);
  progress_line progress{!quiet && isatty(STDERR_FILENO) != 0};
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.agent_rows = agent_rows;
  opts.on_run = [&](const sim::run_metrics& m) {
    summaries[m.cell].add(m);
    if (runs_csv.is_open()) {
      runs_csv << sim::to_csv(m) << '\n';
      runs_jsonl << sim::to_json(m).dump() << '\n';
      if (agents_file.is_open())
        agents_file << sim::agents_csv(m);
    }
  };
  opts.on_progress = [&](uint64_t done, uint64_t all) {
    progress.update(done, all);
  };
  auto t0 = std::chrono::steady_clock::now();
  if (auto err = sim::run_sweep(*sc, opts)) {
    std::cerr << "\nconsensus-sim run: " << render(err) << '\n';
    return 1;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now()
                                            - t0)
                .count();
  print_table(std::cout, *sc, summaries);
  std::cout << legend;
  std::cout << "\n" << total << " runs in " << fmt(secs, 2) << " s";
  if (secs > 0)
    std::cout << " (" << fmt(static_cast<double>(total) / secs, 0)
              << " runs/s)";
  std::cout << ".\n";
  if (!out_dir.empty()) {
    std::string cmdline = "consensus-sim run";
    for (auto& x : xs)
      cmdline += " " + x;
    std::ofstream mf{fs::path{out_dir} / "manifest.json", std::ios::trunc};
    mf << sim::manifest(*sc, engine, cmdline).dump(2) << '\n';
    std::ofstream sj{fs::path{out_dir} / "summary.jsonl", std::ios::trunc};
    std::ofstream sc_csv{fs::path{out_dir} / "summary.csv", std::ios::trunc};
    sc_csv << "cell,label,runs,finalize_rate,finalize_lo,finalize_hi,"
              "accuracy,accuracy_lo,accuracy_hi,acc_final,acc_final_lo,"
              "acc_final_hi,rounds_mean,rounds_lo,rounds_hi,latency_mean,"
              "latency_lo,latency_hi,calls_mean,calls_lo,calls_hi\n";
    for (uint64_t c = 0; c < cells; ++c) {
      auto j = sim::summary_json(*sc, c, summaries[c]);
      sj << j.dump() << '\n';
      auto& x = summaries[c];
      auto r = [](const sim::rate& v) {
        return nlohmann::json(v.value).dump() + ","
               + nlohmann::json(v.lo).dump() + ","
               + nlohmann::json(v.hi).dump();
      };
      auto m = [](const sim::mean_ci& v) {
        return nlohmann::json(v.value).dump() + ","
               + nlohmann::json(v.lo).dump() + ","
               + nlohmann::json(v.hi).dump();
      };
      auto label = sim::cell_label(*sc, c);
      if (label.find_first_of(",\"") != std::string::npos)
        label = "\"" + label + "\"";
      sc_csv << c << ',' << label << ',' << x.runs() << ','
             << r(x.finalize_rate()) << ',' << r(x.accuracy()) << ','
             << r(x.safety()) << ',' << m(x.rounds()) << ','
             << m(x.latency()) << ',' << m(x.calls()) << '\n';
    }
    std::cout << "Results: " << out_dir
              << "/{runs.csv,runs.jsonl,summary.csv,summary.jsonl,"
                 "manifest.json}\n";
  }
  return 0;
}

} // namespace caf::consensus::cli

// consensus-sim advice: test the published tuning advice with sweeps.

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <thread>

#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/advice/advice.hpp"
#include "caf/consensus/sim/advice/snow_claims.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"

namespace caf::consensus::cli {

namespace {

std::vector<std::string> split_list(const std::string& x) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream is{x};
  while (std::getline(is, item, ','))
    if (!item.empty())
      out.push_back(item);
  return out;
}

} // namespace

int advice(const args& xs) {
  po::options_description desc{"options"};
  std::string agents;
  std::string out_dir;
  std::string engine_name;
  std::string policies;
  std::string gnuplot;
  uint64_t replicates = 4000;
  std::string seed = "2026";
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  bool no_rules = false;
  bool no_png = false;
  bool quiet = false;
  bool snow = false;
  bool snow_only = false;
  uint64_t snow_runs = 2000;
  std::string progress_name = "auto";
  desc.add_options()("help,h", "show this help")(
    "agents,a", po::value(&agents),
    "population to test: a scenario file whose labels, ground truth and "
    "agents are used (default: scenarios/advice/population.yaml, compiled "
    "in)")("replicates,r", po::value(&replicates)->default_value(4000),
           "runs per sweep cell (every cell uses the same run seeds)")(
    "seed", po::value(&seed)->default_value("2026"),
    "base seed, any integer (taken modulo 2^64): run i of every cell has "
    "seed derive(seed, {i})")("threads,t",
                              po::value(&threads)->default_value(threads),
                              "worker threads (results do not depend on it)")(
    "engine,e", po::value(&engine_name)->default_value("inline"),
    "inline (fast) or actors (identical results)")(
    "policies,p",
    po::value(&policies)->default_value("metastable,hanzo,snowball,vote"),
    "comma-separated policies to test")(
    "no-rules", po::bool_switch(&no_rules),
    "skip the parameter rules (hanzo's finalization bound, snowball's "
    "liveness)")(
    "out,o", po::value(&out_dir),
    "write advice.md, advice.json, index.html and charts/ into this folder")(
    "no-png", po::bool_switch(&no_png), "with --out: SVG charts only")(
    "gnuplot", po::value(&gnuplot)->default_value("gnuplot"),
    "gnuplot program for --out (Debian package gnuplot-nox)")(
    "progress", po::value(&progress_name)->default_value("auto"),
    "progress on stderr: bar (redrawn in place), plain (a line every 5 s), "
    "none, or auto (bar on a terminal, plain otherwise)")(
    "quiet,q", po::bool_switch(&quiet), "no progress (= --progress none)")(
    "snow", po::bool_switch(&snow),
    "also test the Snow family's claims (avalanchego, luxfi) in the Snow "
    "laboratory (docs/studies.md)")("snow-only", po::bool_switch(&snow_only),
                                    "test only the Snow family's claims")(
    "snow-runs", po::value(&snow_runs)->default_value(2000),
    "runs per arm for the Snow claims");
  po::positional_options_description pos;
  po::variables_map vm;
  if (auto rc = parse(
        "advice", xs, desc, pos, vm,
        "[--agents FILE] [--out DIR] [--replicates N] [--threads N]\n\n"
        "Runs, for each policy, the sweeps that test each piece of published "
        "tuning\nadvice (more rounds: more refinement, better consensus, "
        "slower; larger k:\nbroader agreement; higher beta_2: fewer, more "
        "accurate finalizations; lower\nbeta_2: faster; diverse participants: "
        "better consensus; start with 3 rounds)\nand two parameter rules "
        "that follow from the formulas, and prints a verdict\nper claim "
        "(holds / holds only when ... / does not hold / inconclusive) with "
        "the\neffect size and its 95% interval. docs/advice.md explains the "
        "rules."))
    return *rc;
  auto progress_mode = parse_progress_mode(progress_name);
  if (!progress_mode) {
    std::cerr << "consensus-sim advice: --progress must be auto, bar, plain or "
                 "none, got '"
              << progress_name << "'\n";
    return 2;
  }
  sim::advice_options opts;
  if (engine_name == "actors")
    opts.engine = sim::engine_kind::actors;
  else if (engine_name == "inline")
    opts.engine = sim::engine_kind::inline_calls;
  else {
    std::cerr << "consensus-sim advice: --engine must be 'actors' or "
                 "'inline', got '"
              << engine_name << "'\n";
    return 2;
  }
  if (threads < 1 || threads > 1024) {
    std::cerr << "consensus-sim advice: --threads must be in [1, 1024], got "
              << threads << '\n';
    return 2;
  }
  if (replicates < 2 || replicates > 1'000'000) {
    std::cerr << "consensus-sim advice: --replicates must be in [2, "
                 "1000000], got "
              << replicates << '\n';
    return 2;
  }
  opts.replicates = replicates;
  if (auto x = rng::seed::parse(seed)) {
    opts.seed = x->low64();
  } else {
    std::cerr << "consensus-sim advice: --seed must be an integer (decimal "
                 "digits with an optional sign), got '"
              << connectors::terminal_safe(seed.substr(0, 40))
              << (seed.size() > 40 ? "...'" : "'") << '\n';
    return 2;
  }
  opts.threads = threads;
  opts.rules = !no_rules;
  opts.policies = split_list(policies);
  if (opts.policies.empty()) {
    std::cerr << "consensus-sim advice: --policies names no policy\n";
    return 2;
  }
  if (snow || snow_only) {
    if (snow_runs < 100 || snow_runs > 100'000'000) {
      std::cerr << "consensus-sim advice: --snow-runs must be in [100, "
                   "10^8], got "
                << snow_runs << '\n';
      return 2;
    }
  }
  sim::snow_claim_options snow_opts;
  snow_opts.runs = snow_runs;
  snow_opts.seed = opts.seed;
  snow_opts.threads = static_cast<unsigned>(threads);
  if (snow_only) {
    std::cout << sim::snow_claims_text(sim::run_snow_claims(snow_opts));
    return 0;
  }
  auto pop = agents.empty() ? sim::default_population()
                            : sim::load_population(agents);
  if (!pop) {
    std::cerr << "consensus-sim advice: " << render(pop.error()) << '\n';
    return 1;
  }
  progress_reporter progress{"consensus-sim advice", *progress_mode, quiet};
  opts.on_progress = [&progress](const std::string& what, uint64_t done,
                                 uint64_t planned) {
    progress.update(done, planned, what);
  };
  auto rep = sim::run_advice(*pop, opts);
  progress.finish();
  if (!rep) {
    std::cerr << "consensus-sim advice: " << render(rep.error()) << '\n';
    return 1;
  }
  std::cout << sim::advice_text(*rep);
  if (snow)
    std::cout << sim::snow_claims_text(sim::run_snow_claims(snow_opts));
  if (!out_dir.empty()) {
    std::string command = "consensus-sim advice";
    for (auto& x : xs)
      command += " " + x;
    sim::gnuplot_options gp;
    gp.program = gnuplot;
    if (auto err = sim::write_advice(*rep, out_dir, command, !no_png, gp)) {
      std::cerr << "consensus-sim advice: " << render(err) << '\n';
      return 1;
    }
    std::cout << "Written: " << out_dir
              << "/{advice.md,advice.json,index.html,charts/}\n";
  }
  return 0;
}

} // namespace caf::consensus::cli

// consensus-sim tune: the best settings of a scenario's sweep grid by racing
// its cells on common run seeds (docs/tune.md).

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/tune/output.hpp"
#include "caf/consensus/sim/tune/tune.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/remote_flags.hpp"

namespace caf::consensus::cli {

namespace {

const char* const tune_synopsis
  = "SCENARIO [--objective OBJ] [--budget RUNS] [--out DIR]\n\n"
    "Searches the scenario's sweep grid (every cell of its `sweep` block; "
    "parameters\nnot swept keep the scenario's values, or each policy's "
    "defaults) for the best\nsettings. Cells race in stages on common run "
    "seeds (run i of every cell has\nseed derive(seed, {i}), so cells are "
    "compared run by run); after each stage a\ncell is dropped when it misses "
    "a constraint, or when a cell that meets them\nis better, with confidence "
    "(paired intervals, Bonferroni over cells, stages\nand tests). The race "
    "stops when the winner is separated from every other\ncell, when the "
    "cells left are equivalent (a tie: no winner is invented), at\nthe budget "
    "or at --max-replicates; the chosen settings are then confirmed on\nfresh "
    "seeds. Prints the winner, the runners-up not ruled out, the Pareto "
    "front\n(accuracy, calls, latency) with intervals, and the runs spent.\n\n"
    "Objective: comma-separated terms, one goal and any constraints.\n"
    "  goals:       accuracy | finalize (maximised), calls | latency |\n"
    "               wrong_final (minimised), max:METRIC, min:METRIC, or "
    "pareto\n"
    "  constraints: METRIC>=X or METRIC<=X with METRIC one of accuracy,\n"
    "               finalize, wrong_final (rates in [0, 1]), calls, latency,\n"
    "               p95_latency (seconds: 2, 2s or 1500ms)\n"
    "  example:     --objective 'accuracy, calls<=40, p95_latency<=8s'\n\n"
    "--out DIR keeps every run of the race in DIR/results.db (SQLite; a "
    "killed tune\ncontinues with --resume) and writes tune.json (every cell "
    "and stage), tune.txt\n(the table), tuned.yaml (the scenario with the "
    "chosen settings, for `validate`\nand `run`), and index.html with "
    "charts/ (the front, and each parameter's\neffect around the chosen "
    "cell).";

/// Parses `text`, the value of `flag`, as an integer in [lo, hi] (digits
/// only: no sign, no exponent); prints why not and returns nullopt.
std::optional<uint64_t> tune_count(const std::string& flag,
                                   const std::string& text, uint64_t lo,
                                   uint64_t hi) {
  auto ok = !text.empty() && text.size() <= 19
            && text.find_first_not_of("0123456789") == std::string::npos;
  uint64_t x = ok ? std::stoull(text) : 0;
  if (!ok || x < lo || x > hi) {
    std::cerr << "consensus-sim tune: " << flag << ": expected an integer in ["
              << lo << ", " << hi << "], got '"
              << connectors::terminal_safe(text.substr(0, 40))
              << (text.size() > 40 ? "...'" : "'") << '\n';
    return std::nullopt;
  }
  return x;
}

} // namespace

int tune(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  std::string objective_text = "accuracy";
  std::string out_dir;
  std::string engine_name;
  std::string seed;
  std::string progress_name = "auto";
  std::string budget_text = "0";
  std::string max_replicates_text = "0";
  std::string first_text = "32";
  std::string confirm_text = "0";
  double confidence = 0.95;
  double delta = 0.02;
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::string workers;
  remote_flags remote;
  bool quiet = false;
  bool resume = false;
  bool no_charts = false;
  std::string gnuplot;
  int max_mib = 8;
  desc.add_options()("help,h", "show this help")(
    "scenario", po::value(&file)->required(), "scenario file (YAML or JSON)")(
    "objective,O", po::value(&objective_text)->default_value("accuracy"),
    "what to optimise (see above)")(
    "budget,b", po::value(&budget_text)->default_value("0"),
    "most runs in all, confirmation included (0: a fifth of the grid's "
    "cells x max-replicates)")(
    "max-replicates,r", po::value(&max_replicates_text)->default_value("0"),
    "most replicates of one cell (0: the scenario's replicates)")(
    "first", po::value(&first_text)->default_value("32"),
    "replicates of every cell in the first stage (doubled each stage)")(
    "confirm", po::value(&confirm_text)->default_value("0"),
    "runs of the confirmation on fresh seeds (0: min(max-replicates, "
    "budget / 10))")(
    "seed", po::value(&seed),
    "base seed, any integer (taken modulo 2^64; default: the scenario's)")(
    "confidence", po::value(&confidence)->default_value(0.95),
    "confidence of the intervals and of the race as a whole")(
    "delta", po::value(&delta)->default_value(0.02),
    "smallest difference of a rate that matters (ties); calls and latency: "
    "2% of the better cell's mean")(
    "threads,t", po::value(&threads)->default_value(threads),
    "worker threads (results do not depend on it)")(
    "engine,e", po::value(&engine_name)->default_value("inline"),
    "inline (fast) or actors (identical results)")(
    "workers,w", po::value(&workers),
    "also run the race's batches on these workers (HOST:PORT,...; started "
    "with 'consensus-sim worker'; results do not depend on them; the "
    "confirmation runs locally)")(
    "out,o", po::value(&out_dir),
    "keep the runs in this folder (results.db) and write tune.json, "
    "tune.txt and tuned.yaml into it")(
    "progress", po::value(&progress_name)->default_value("auto"),
    "progress on stderr: bar, plain, none or auto")(
    "no-charts", po::bool_switch(&no_charts),
    "with --out: no charts/ and no index.html (gnuplot not needed)")(
    "gnuplot", po::value(&gnuplot)->default_value("gnuplot"),
    "gnuplot program for the charts of --out (Debian package gnuplot-nox)")(
    "resume", po::bool_switch(&resume),
    "continue the tune stored in --out DIR (killed or stopped at a smaller "
    "--budget): stored runs are not run again; same scenario, --seed and "
    "--max-replicates")("quiet,q", po::bool_switch(&quiet),
                        "no progress (= --progress none)");
  add_scenario_limit(desc, max_mib);
  remote.add(desc);
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto rc = parse("tune", xs, desc, pos, vm, tune_synopsis))
    return *rc;
  auto fail = [](const std::string& what) {
    std::cerr << "consensus-sim tune: " << what << '\n';
    return 2;
  };
  auto limit = scenario_limit("tune", max_mib);
  if (!limit)
    return 2;
  auto mode = parse_progress_mode(progress_name);
  if (!mode)
    return fail("--progress must be auto, bar, plain or none, got '"
                + connectors::terminal_safe(progress_name.substr(0, 40)) + "'");
  sim::tune_options opts;
  if (engine_name == "actors")
    opts.engine = sim::engine_kind::actors;
  else if (engine_name != "inline")
    return fail("--engine must be 'actors' or 'inline', got '"
                + connectors::terminal_safe(engine_name.substr(0, 40)) + "'");
  if (threads < 1 || threads > 1024)
    return fail("--threads must be in [1, 1024], got "
                + std::to_string(threads));
  if (!(confidence >= 0.5 && confidence < 1))
    return fail("--confidence must be in [0.5, 1), got "
                + std::to_string(confidence));
  if (!(delta >= 0 && delta < 1))
    return fail("--delta must be in [0, 1), got " + std::to_string(delta));
  auto budget = tune_count("--budget", budget_text, 0, 1'000'000'000'000);
  auto max_replicates = tune_count("--max-replicates", max_replicates_text, 0,
                                   10'000'000);
  auto first = tune_count("--first", first_text, 2, 10'000'000);
  auto confirm = tune_count("--confirm", confirm_text, 0, 10'000'000);
  if (!budget || !max_replicates || !first || !confirm)
    return 2;
  if (*max_replicates == 1)
    return fail("--max-replicates must be in [2, 10^7] (or 0), got 1");
  if (!seed.empty()) {
    auto x = rng::seed::parse(seed);
    if (!x)
      return fail("--seed must be an integer (decimal digits with an "
                  "optional sign), got '"
                  + connectors::terminal_safe(seed.substr(0, 40))
                  + (seed.size() > 40 ? "...'" : "'"));
    opts.seed = x->low64();
  }
  auto objective = sim::parse_objective(objective_text);
  if (!objective)
    return fail("--objective: "
                + connectors::terminal_safe(render(objective.error())));
  opts.budget = *budget;
  opts.max_replicates = *max_replicates;
  opts.first_replicates = *first;
  opts.confirm = *confirm;
  opts.confidence = confidence;
  opts.delta = delta;
  opts.threads = threads;
  auto ro = remote.remote(vm, workers);
  if (!ro)
    return fail(context_text(ro.error()));
  opts.remote = std::move(*ro);
  if (resume && out_dir.empty())
    return fail("--resume needs --out DIR (the folder of the tune to "
                "continue)");
  auto s = sim::load_scenario(file, *limit);
  if (!s) {
    std::cerr << "consensus-sim tune: " << render(s.error()) << '\n';
    return 1;
  }
  // The text of the file, for the tuned scenario (checked to be the one
  // loaded).
  std::string text;
  {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    auto again = sim::parse_scenario(text, file);
    if (!again || again->hash != s->hash) {
      std::cerr << "consensus-sim tune: " << file
                << ": changed while it was read\n";
      return 1;
    }
  }
  if (!out_dir.empty()) {
    opts.store_dir = out_dir;
    opts.scenario_text = text;
    opts.resume = resume;
  }
  progress_reporter progress{"consensus-sim tune", *mode, quiet};
  opts.on_progress = [&progress](const std::string& what, uint64_t done,
                                 uint64_t total) {
    progress.update(done, total, what);
  };
  auto res = sim::run_tune(*s, *objective, opts);
  progress.finish();
  if (!res) {
    std::cerr << "consensus-sim tune: " << render(res.error()) << '\n';
    return 1;
  }
  std::cout << sim::tune_text(*res);
  if (!out_dir.empty()) {
    std::string command = "consensus-sim tune";
    for (auto& x : xs)
      command += " " + x;
    sim::gnuplot_options gp;
    gp.program = gnuplot;
    if (auto err = sim::write_tune(*res, *s, text, out_dir, command,
                                   no_charts ? nullptr : &gp)) {
      std::cerr << "consensus-sim tune: " << render(err) << '\n';
      return 1;
    }
    std::cout << "Written: " << out_dir << "/{tune.json,tune.txt"
              << (res->has_choice ? ",tuned.yaml" : "")
              << (no_charts ? "" : ",index.html,charts/") << "}\n";
  }
  return 0;
}

} // namespace caf::consensus::cli

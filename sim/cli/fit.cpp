// consensus-sim fit and record: estimate a scenario from traces, check its
// predictions on held-out runs; record a scenario's simulated runs as a
// trace (docs/traces.md).

#include <filesystem>
#include <fstream>
#include <iostream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/report/trace_fit.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

namespace {

int fit_fail(const std::string& cmd, const std::string& what, int rc) {
  std::cerr << "consensus-sim " << cmd << ": " << what << '\n';
  return rc;
}

/// `trace` as a scenario at `scenario` names it: relative to the scenario's
/// folder (the loader's rule, applied lexically as the loader does), or
/// absolute when no relative path exists (another root).
std::string trace_path_from(const std::string& scenario,
                            const std::string& trace) {
  namespace fs = std::filesystem;
  auto from = fs::absolute(scenario).lexically_normal().parent_path();
  auto to = fs::absolute(trace).lexically_normal();
  auto rel = to.lexically_relative(from);
  return rel.empty() ? to.string() : rel.string();
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary | std::ios::trunc};
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

} // namespace

int fit(const args& xs) {
  po::options_description desc{"options"};
  std::vector<std::string> files;
  std::string out;
  std::string replay_out;
  double holdout = 0;
  uint64_t seed = 1;
  uint64_t replicates = 400;
  desc.add_options()("help,h", "show this help")(
    "trace", po::value(&files)->composing(), "trace files (JSON lines)")(
    "out,o", po::value(&out), "write the fitted scenario to this file")(
    "holdout", po::value(&holdout),
    "fit on a random share 1 - H of the runs and compare predicted with "
    "observed outcomes on the rest (0 < H < 1)")(
    "seed", po::value(&seed)->default_value(seed),
    "seed of the holdout split and of the fitted scenario")(
    "replicates", po::value(&replicates)->default_value(replicates),
    "replicates of the fitted scenario (and of the holdout prediction)")(
    "replay", po::value(&replay_out),
    "also write the scenario that replays the first trace's runs");
  po::positional_options_description pos;
  pos.add("trace", -1);
  po::variables_map vm;
  if (auto rc = parse(
        "fit", xs, desc, pos, vm,
        "TRACE... [-o SCENARIO.yaml] [--holdout H] [--seed N] "
        "[--replicates N]\n    [--replay REPLAY.yaml]\n\n"
        "Estimates a synthetic scenario from traces: answer clusters (as "
        "the policy\ncompares answers: the extractor's choice key under "
        "snowball, vote and\nsequential, Jaccard similarity >= alpha "
        "otherwise), per-participant answer\nshares and accuracy against "
        "the key, correlation, refinement towards the\nsample's majority, "
        "log-normal latency, failure rates. Prints a goodness-of-fit\n"
        "table; writes a scenario that 'validate' accepts and 'run' executes. "
        "--replay\nwrites a scenario that replays the first trace's runs "
        "(its trace path relative\nto REPLAY.yaml's folder)."))
    return *rc;
  if (files.empty())
    return fit_fail("fit", "no trace: give TRACE...", 2);
  if (replicates < 1 || replicates > 1000000)
    return fit_fail("fit",
                    "--replicates must be in [1, 1000000], got "
                      + std::to_string(replicates),
                    2);
  if (vm.count("holdout") > 0 && !(holdout > 0 && holdout < 1))
    return fit_fail(
      "fit", "--holdout must be in (0, 1), got " + std::to_string(holdout), 2);
  std::vector<sim::named_trace> traces;
  for (auto& f : files) {
    auto t = connectors::read_trace(f);
    if (!t)
      return fit_fail("fit", render(t.error()), 1);
    traces.push_back({f, std::move(*t)});
  }
  auto runs = sim::merge_traces(traces);
  if (!runs)
    return fit_fail("fit", render(runs.error()), 1);
  if (sim::run_count(**runs) == 0)
    return fit_fail("fit", "the traces hold no call", 1);
  auto f = sim::fit_traces(**runs);
  std::cout << sim::fit_table(f);
  if (!out.empty()) {
    if (!write_text(out, sim::fit_scenario_text(f, replicates, seed)))
      return fit_fail("fit", "cannot write '" + out + "'", 1);
    std::cout << "\nwrote " << out << '\n';
  }
  if (!replay_out.empty()) {
    auto text = sim::replay_scenario_text(
      traces.front().data, trace_path_from(replay_out, traces.front().file));
    if (!text)
      return fit_fail("fit", render(text.error()), 1);
    if (!write_text(replay_out, *text))
      return fit_fail("fit", "cannot write '" + replay_out + "'", 1);
    std::cout << "wrote " << replay_out << '\n';
  }
  if (vm.count("holdout") > 0) {
    auto h = sim::check_holdout(**runs, holdout, seed, replicates);
    if (!h)
      return fit_fail("fit", render(h.error()), 1);
    std::cout << '\n' << sim::holdout_table(*h);
  }
  return 0;
}

int record(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  std::string out;
  uint64_t replicates = 0;
  desc.add_options()("help,h", "show this help")(
    "scenario", po::value(&file)->required(), "scenario file")(
    "out,o", po::value(&out)->required(), "trace file to write")(
    "replicates", po::value(&replicates),
    "runs to record (default: the scenario's replicates)");
  po::positional_options_description pos;
  pos.add("scenario", 1);
  po::variables_map vm;
  if (auto rc = parse("record", xs, desc, pos, vm,
                      "SCENARIO -o TRACE [--replicates N]\n\n"
                      "Runs a scenario without a sweep on the inline engine "
                      "and records every call\nand outcome as a trace (run "
                      "run-<i>, prompt prompt-<i>, key: the ground truth)."))
    return *rc;
  auto sc = sim::load_scenario(file);
  if (!sc)
    return fit_fail("record", render(sc.error()), 1);
  if (sim::cell_count(*sc) != 1)
    return fit_fail(
      "record", file + ": has a sweep; record one cell (remove 'sweep:')", 2);
  auto cell = sim::resolve_cell(*sc, 0);
  if (!cell)
    return fit_fail("record", render(cell.error()), 1);
  auto n = vm.count("replicates") > 0 ? replicates : cell->replicates;
  if (n < 1 || n > 1000000)
    return fit_fail(
      "record",
      "--replicates must be in [1, 1000000], got " + std::to_string(n), 2);
  auto w = connectors::trace_writer::open(out, sim::trace_header_of(*cell));
  if (!w)
    return fit_fail("record", render(w.error()), 1);
  auto sts = sim::record_runs(*cell, n, **w);
  if (!sts)
    return fit_fail("record", render(sts.error()), 1);
  std::cout << "recorded " << sts->size() << " runs to " << out << '\n';
  return 0;
}

} // namespace caf::consensus::cli

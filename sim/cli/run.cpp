// consensus-sim run: run a scenario (or its sweep) and summarize it.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/report/summary_files.hpp"
#include "caf/consensus/sim/scenario/overrides.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/output_file.hpp"
#include "caf/consensus/sim/store/run_export.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/interrupt.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/remote_flags.hpp"
#include "cli/sweep_table.hpp"

namespace caf::consensus::cli {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// "5 agents", "1 agent", or "3-9 agents per cell" when a sweep varies a
/// group's count.
std::string agents_per_cell(const sim::scenario& s) {
  auto n = sim::participant_ids(s).size();
  auto lo = n;
  auto hi = n;
  bool varies = false;
  for (auto& axis : s.sweep)
    varies = varies
             || (axis.key.size() > 6
                 && axis.key.compare(axis.key.size() - 6, 6, ".count") == 0);
  auto cells = sim::cell_count(s);
  if (varies && cells <= 100'000) {
    for (uint64_t c = 0; c < cells; ++c)
      if (auto x = sim::resolve_cell(s, c)) {
        auto k = sim::participant_ids(*x).size();
        lo = std::min(lo, k);
        hi = std::max(hi, k);
      }
  }
  if (lo != hi)
    return std::to_string(lo) + "-" + std::to_string(hi) + " agents per cell";
  return std::to_string(n) + (n == 1 ? " agent" : " agents");
}

int fail(const std::string& msg, int rc = 1) {
  std::cerr << "consensus-sim run: " << msg << '\n';
  return rc;
}

std::chrono::milliseconds millis(double secs) {
  return std::chrono::milliseconds{static_cast<int64_t>(secs * 1000.0)};
}

} // namespace

int run(const args& xs) {
  po::options_description desc{"options"};
  std::string file;
  std::string out_dir;
  std::string engine_name;
  size_t threads = 0;
  std::string replicates;
  bool quiet = false;
  std::string progress_name = "auto";
  int max_mib = 8;
  bool agent_rows = false;
  bool resume = false;
  std::string workers;
  size_t batch = 0;
  double batch_timeout = 60;
  double retry_interval = 1;
  double stall_timeout = 60;
  remote_flags remote;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&file)->required(), "scenario file (YAML or JSON)")(
    "out,o", po::value(&out_dir),
    "store every run as it finishes in DIR/results.db (SQLite) and write "
    "runs.csv, runs.jsonl, summary.csv, summary.jsonl and manifest.json "
    "to this directory (created if missing)")(
    "resume", po::bool_switch(&resume),
    "continue the interrupted sweep stored in --out DIR: stored runs are "
    "not run again (the scenario must be the same)")(
    "threads,t", po::value(&threads),
    "local worker threads (default: one per core; 0: only --workers run "
    "batches); results do not depend on it")(
    "engine,e", po::value(&engine_name)->default_value("actors"),
    "actors: participants are CAF actors driven by the coordinator; "
    "inline: the same code called directly (faster, identical results)")(
    "replicates,r", po::value(&replicates),
    "override the scenario's replicates per cell (an integer in [1, 10^9]; "
    "cells x replicates <= 10^9, as in the file)")(
    "agents", po::bool_switch(&agent_rows),
    "also write agents.csv (one row per agent per run) into --out")(
    "workers,w", po::value(&workers),
    "also run batches on these workers (HOST:PORT,...; started with "
    "'consensus-sim worker'); needs the shared secret")(
    "batch", po::value(&batch),
    "runs per batch handed to a worker (default: guided by the runs "
    "left, 8 to 256)")(
    "batch-timeout", po::value(&batch_timeout)->default_value(60),
    "seconds a remote worker may hold batches without returning any before "
    "they go to other workers")(
    "retry-interval", po::value(&retry_interval)->default_value(1),
    "seconds between attempts to (re)connect an unreachable or lost worker")(
    "stall-timeout", po::value(&stall_timeout)->default_value(60),
    "give up when no worker at all could run for this many seconds")(
    "progress", po::value(&progress_name)->default_value("auto"),
    "progress on stderr: bar (redrawn in place), plain (a line every 5 s), "
    "none, or auto (bar on a terminal, plain otherwise)")(
    "quiet,q", po::bool_switch(&quiet), "no progress (= --progress none)");
  add_scenario_limit(desc, max_mib);
  remote.add(desc);
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (auto rc = parse("run", xs, desc, pos, vm,
                      "FILE [--out DIR [--resume]] [--threads N] [--engine "
                      "actors|inline]\n"
                      "       [--workers HOST:PORT,... [--secret-file FILE] "
                      "[--tls-cert F --tls-key F --tls-ca F]]\n\n"
                      "Runs every replicate of every sweep cell of the "
                      "scenario FILE with synthetic\nagents in virtual time "
                      "and prints, per cell, the finalize rate, accuracy,\n"
                      "accuracy among finalized runs (rates with 95% Wilson "
                      "intervals) and mean\nrounds, simulated latency and "
                      "calls (with 95% t-intervals). The same file\nand seed "
                      "give byte-identical per-run results for any --threads, "
                      "--engine and\n--workers, and after any number of "
                      "--resume."))
    return *rc;
  sim::engine_kind engine;
  if (engine_name == "actors")
    engine = sim::engine_kind::actors;
  else if (engine_name == "inline")
    engine = sim::engine_kind::inline_calls;
  else
    return fail(
      "--engine must be 'actors' or 'inline', got '" + engine_name + "'", 2);
  auto progress_mode = parse_progress_mode(progress_name);
  if (!progress_mode)
    return fail("--progress must be auto, bar, plain or none, got '"
                  + progress_name + "'",
                2);
  if (!vm.count("threads"))
    threads = std::max(1u, std::thread::hardware_concurrency());
  if (threads > 1024)
    return fail(
      "--threads must be in [0, 1024], got " + std::to_string(threads), 2);
  if (vm.count("batch") && (batch < 1 || batch > 65536))
    return fail("--batch must be in [1, 65536], got " + std::to_string(batch),
                2);
  for (auto [name, value] : {std::pair{"--batch-timeout", batch_timeout},
                             std::pair{"--retry-interval", retry_interval},
                             std::pair{"--stall-timeout", stall_timeout}})
    if (!(value >= 0.01 && value <= 86400))
      return fail(std::string{name} + " must be in [0.01, 86400] seconds", 2);
  for (auto [name, value] :
       {std::pair{"out", &out_dir}, std::pair{"workers", &workers}})
    if (vm.count(name) && value->empty())
      return fail(std::string{"--"} + name + " needs a value, got ''", 2);
  if (resume && out_dir.empty())
    return fail("--resume needs --out DIR (the directory of the sweep to "
                "continue)",
                2);
  if (agent_rows && out_dir.empty())
    return fail("--agents needs --out DIR", 2);
  auto remote_opts = remote.remote(vm, workers);
  if (!remote_opts)
    return fail(context_text(remote_opts.error()), 2);
  auto ro = std::move(*remote_opts);
  if (ro) {
    ro->batch_timeout = millis(batch_timeout);
    ro->retry_interval = millis(retry_interval);
    ro->stall_timeout = millis(stall_timeout);
  } else if (threads == 0) {
    return fail("--threads 0 needs --workers (someone must run the "
                "batches)",
                2);
  }
  auto limit = scenario_limit("run", max_mib);
  if (!limit)
    return 2;
  auto sc = sim::load_scenario(file, *limit);
  if (!sc)
    return fail(render(sc.error()));
  if (vm.count("replicates"))
    if (auto err = sim::override_replicates(*sc, replicates))
      return fail(render(err), 2);
  auto cells = sim::cell_count(*sc);
  auto total = cells * sc->replicates;
  std::cout << "scenario " << sc->name << " (" << file << ")\n";
  if (!sc->description.empty())
    std::cout << "  " << sc->description << '\n';
  std::cout << "  " << agents_per_cell(*sc) << " in " << sc->groups.size()
            << (sc->groups.size() == 1 ? " group" : " groups") << ", policy "
            << sc->ps.policy << ", ground truth '" << sc->world.ground_truth
            << "'\n"
            << "  " << cells << (cells == 1 ? " cell" : " cells") << " × "
            << sc->replicates << " replicates = " << total << " runs, engine "
            << engine_name << ", " << threads
            << (threads == 1 ? " thread" : " threads");
  if (ro)
    std::cout << " + " << ro->workers.size()
              << (ro->workers.size() == 1 ? " remote worker"
                                          : " remote workers")
              << (ro->tls.enabled() ? " (TLS)" : "");
  std::cout << ", seed "
            << (sc->seeds.empty() ? sc->seed.to_string() : std::string{"list"})
            << "\n\n";
  std::cout.flush();
  std::string cmdline = "consensus-sim run";
  for (auto& x : xs)
    cmdline += " " + x;
  // The results store (with --out).
  std::optional<sim::results_store> store;
  // A store this run created and has not stored a run in yet is removed when
  // the run fails, so that it does not block a rerun.
  bool created_store = false;
  sim::run_set stored;
  if (!out_dir.empty()) {
    if (resume) {
      auto st = sim::results_store::resume(out_dir, *sc, agent_rows);
      if (!st)
        return fail(sim::render_sweep_error(st.error()));
      store.emplace(std::move(*st));
      auto ids = store->stored();
      if (!ids)
        return fail(sim::render_sweep_error(ids.error()));
      stored = std::move(*ids);
      std::cout << "resuming " << out_dir << ": " << stored.size() << " of "
                << total << " runs stored, " << (total - stored.size())
                << " to run\n"
                << std::endl;
    } else {
      if (sim::results_store::exists(out_dir))
        return fail("'" + out_dir
                    + "' holds the results store of an earlier sweep: "
                      "continue it with --resume, or choose another "
                      "directory");
      auto text = read_file(file);
      if (!text)
        return fail("cannot read '" + file + "'");
      auto st = sim::results_store::create(out_dir, *sc, *text, agent_rows,
                                           sim::manifest(*sc, engine, cmdline));
      if (!st)
        return fail(sim::render_sweep_error(st.error()));
      store.emplace(std::move(*st));
      created_store = true;
    }
  }
  std::vector<sim::cell_summary> summaries(cells);
  progress_reporter progress{"consensus-sim run", *progress_mode, quiet};
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.agent_rows = agent_rows;
  opts.batch_size = batch;
  opts.remote = ro;
  std::atomic<uint64_t> computed{0};
  // Ctrl-C or SIGTERM: say what is kept and how to go on, then exit 130/143.
  // Held while a batch is stored, and by the interrupt report until the
  // process ends: the count it prints is what the store holds.
  std::mutex store_mtx;
  interrupt_reporter on_interrupt{[&](const char* sig) {
    store_mtx.lock(); // never unlocked: the process ends after the report
    progress.finish();
    auto done = stored.size() + computed.load();
    if (store) {
      auto again = xs;
      if (!resume)
        again.push_back("--resume");
      std::cerr << "consensus-sim run: interrupted (" << sig << "): " << done
                << " of " << total << " runs are stored in " << store->path()
                << "; continue with:\n  " << command_line("run", again)
                << std::endl;
    } else {
      std::cerr << "consensus-sim run: interrupted (" << sig << ") after "
                << done << " of " << total
                << " runs; nothing was stored (give --out DIR to keep runs)"
                << std::endl;
    }
  }};
  if (store) {
    if (stored.size() > 0)
      opts.skip = [&](uint64_t cell, uint64_t rep) {
        return stored.contains(cell * sc->replicates + rep);
      };
    opts.on_batch = [&](const std::vector<sim::run_metrics>& batch) {
      std::lock_guard<std::mutex> guard{store_mtx};
      uint64_t added = 0;
      auto err = store->insert(batch, &added);
      computed += added;
      return err;
    };
  } else {
    opts.on_run = [&](const sim::run_metrics& m) {
      summaries[m.cell].add(m);
      ++computed;
    };
  }
  opts.on_progress = [&](uint64_t done, uint64_t all) {
    progress.update(done, all);
  };
  opts.on_event = [&](const std::string& line) {
    progress.message("consensus-sim run: " + line);
  };
  std::vector<sim::worker_report> reports;
  opts.on_report = [&](const std::vector<sim::worker_report>& xs) {
    reports = xs;
  };
  auto t0 = std::chrono::steady_clock::now();
  auto swept = sim::run_sweep(*sc, opts);
  progress.finish();
  if (auto err = std::move(swept)) {
    if (store && created_store && computed == 0) {
      store.reset();
      sim::results_store::discard(out_dir);
      std::cerr << "consensus-sim run: no run was stored; removed the new "
                   "results store in "
                << out_dir << "\n";
    } else if (store) {
      std::cerr << "consensus-sim run: " << computed
                << " new runs are stored in " << store->path()
                << "; continue with --resume\n";
    }
    return fail(sim::render_sweep_error(err));
  }
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  if (store) {
    auto n = sim::export_runs(*store, out_dir, [&](const sim::run_metrics& m) {
      if (m.cell < summaries.size())
        summaries[m.cell].add(m);
    });
    if (!n)
      return fail(sim::render_sweep_error(n.error()));
    if (*n != total)
      return fail("the store holds " + std::to_string(*n) + " runs, expected "
                  + std::to_string(total));
  }
  print_table(std::cout, *sc, summaries);
  std::cout << legend;
  std::cout << "\n" << computed << " runs in " << fmt(secs, 2) << " s";
  if (secs > 0)
    std::cout << " (" << fmt(static_cast<double>(computed) / secs, 0)
              << " runs/s)";
  if (computed != total)
    std::cout << "; " << (total - computed) << " stored before";
  std::cout << ".\n";
  if (ro) {
    std::cout << "\nWorkers:\n";
    print_workers(std::cout, reports);
  }
  if (!out_dir.empty()) {
    if (auto err
        = sim::write_file((fs::path{out_dir} / "manifest.json").string(),
                          sim::manifest(*sc, engine, cmdline).dump(2) + "\n"))
      return fail(sim::render_sweep_error(err));
    if (auto err = sim::write_summaries(out_dir, *sc, summaries))
      return fail(sim::render_sweep_error(err));
    std::cout << "Results: " << out_dir << "/{results.db,runs.csv,runs.jsonl,"
              << (agent_rows ? "agents.csv," : "")
              << "summary.csv,summary.jsonl,manifest.json}\n";
  }
  return 0;
}

} // namespace caf::consensus::cli

// caf-consensus benchmarks, part 4: sweep throughput.
//
// - sweep/quickstart/<engine>/threads=<t>: `sim::run_sweep` over
//   scenarios/quickstart.yaml (4 cells x 400 replicates = 1600 runs of 5
//   synthetic agents), as `consensus-sim run` does it, without output files.
//   Items are runs. Before timing, each variant checks that its runs equal
//   those of the inline engine on one thread (a fingerprint of every run's
//   CSV line) and reports an error otherwise. Counter `cores`: CPU time of
//   all threads per second of wall time (how many cores the sweep used);
//   `sweep_ms_min` and `sweep_ms_median`: the wall time of the fastest and
//   of the median sweep of the repetition, timed one by one (the benchmark's
//   own time is their mean, which every interruption of a busy core raises).
//   Batches are guided (`run_sweep`'s default).
//   sweep/quickstart_x10/<engine>/threads=<t> is the same with 4,000
//   replicates per cell (16,000 runs);
//   sweep/batch=25/quickstart/<engine>/threads=<t> is the same sweep in
//   batches of 25 runs (the former default, 1,600 / 64).
// - sweep/fixed_cost/<engine>/threads=<t>: the same sweep with one replicate
//   per cell (4 runs): what a sweep costs besides its runs (an actor system,
//   its threads, the pool and the dispatcher, started and stopped).
// - sweep/warm/(quickstart|fixed_cost)/<engine>/threads=<t>: the same
//   sweeps one after another on one `sim::sweep_runtime` (threads kept from
//   sweep to sweep, as `tune` and `advise` run theirs).
// - floor/start_stop/(actor_system|sweep_runtime)/threads=<t>: starting and
//   stopping an actor system configured as a sweep's, or a whole
//   `sim::sweep_runtime` (the system and the pool's threads): the part of
//   `sweep/fixed_cost` that `sweep/warm/fixed_cost` does not pay.
// - floor/parallel/sweep_runs/quickstart/real_time/threads:<t>: the 1,600
//   runs of the quickstart sweep without the sweep (`run_indexed` on each
//   benchmark thread, every t-th run): threads:2 ÷ threads:1 is the most a
//   2-thread sweep of these runs can gain on this machine.
// - floor/parallel/sweep_runs_actors/quickstart/real_time/threads:<t>: the
//   same runs on the actor engine: each benchmark thread runs its half of
//   the sweep (a series per cell) on an `actor_engine` with an `actor_home`
//   of its own, as a sweep thread does, without pool, dispatcher or batches:
//   the ceiling of a 2-thread actor-engine sweep.
// - sweep/round_data/quickstart: the per-round numbers of every quickstart run
//   (`summarize_rounds` over the final states, then packed for the store as
//   `run --out` stores them): the work recording rounds adds to a run. Items
//   are runs; `bytes_per_run` is the packed size.

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"

using namespace caf::consensus;

namespace {

/// User and system CPU time of the whole process so far, in seconds.
double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

/// FNV-1a over the CSV lines of all runs of a sweep (in canonical order), 0
/// when the sweep fails.
uint64_t fingerprint(const sim::scenario& sc, sim::engine_kind engine,
                     size_t threads,
                     std::shared_ptr<sim::sweep_runtime> runtime = nullptr) {
  uint64_t h = 1469598103934665603ull;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.runtime = std::move(runtime);
  opts.on_run = [&](const sim::run_metrics& m) {
    for (auto c : sim::to_csv(m)) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  };
  if (sim::run_sweep(sc, opts))
    return 0;
  return h;
}

/// Sweeps of the quickstart scenario; `warm`: all on one `sweep_runtime`
/// (started before the timing), otherwise each with threads of its own.
void sweep(benchmark::State& st, sim::engine_kind engine, size_t threads,
           uint64_t replicates, size_t batch_size, bool warm) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (sc && replicates > 0)
    sc->replicates = replicates;
  if (!sc) {
    st.SkipWithError(render(sc.error()).c_str());
    return;
  }
  std::shared_ptr<sim::sweep_runtime> runtime;
  if (warm)
    runtime = std::make_shared<sim::sweep_runtime>(threads);
  auto want = fingerprint(*sc, sim::engine_kind::inline_calls, 1);
  if (want == 0 || fingerprint(*sc, engine, threads, runtime) != want) {
    st.SkipWithError("results differ from the inline engine on one thread");
    return;
  }
  uint64_t runs = 0;
  uint64_t finalized = 0;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.batch_size = batch_size;
  opts.runtime = runtime;
  opts.on_run = [&](const sim::run_metrics& m) {
    ++runs;
    finalized += m.finalized ? 1 : 0;
  };
  std::vector<double> each_ms;
  auto cpu0 = process_cpu_seconds();
  auto wall0 = std::chrono::steady_clock::now();
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    if (auto err = sim::run_sweep(*sc, opts)) {
      st.SkipWithError(render(err).c_str());
      return;
    }
    std::chrono::duration<double, std::milli> t
      = std::chrono::steady_clock::now() - t0;
    each_ms.push_back(t.count());
  }
  std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall0;
  if (!each_ms.empty()) {
    std::sort(each_ms.begin(), each_ms.end());
    auto n = each_ms.size();
    st.counters["sweep_ms_median"]
      = n % 2 == 1 ? each_ms[n / 2] : (each_ms[n / 2 - 1] + each_ms[n / 2]) / 2;
    st.counters["sweep_ms_min"] = each_ms.front();
  }
  // CPU time of all the process's threads per second of wall time: how many
  // cores the sweep kept busy (its worker threads, the scheduler's and the
  // dispatcher's).
  st.counters["cores"]
    = wall.count() > 0 ? (process_cpu_seconds() - cpu0) / wall.count() : 0.0;
  st.SetItemsProcessed(static_cast<int64_t>(runs));
  st.counters["finalized_share"] = runs > 0 ? static_cast<double>(finalized)
                                                / static_cast<double>(runs)
                                            : 0.0;
}

/// The plan of the quickstart sweep for `engine` (null if it cannot load).
std::shared_ptr<const sim::sweep_plan>
quickstart_plan(sim::engine_kind engine) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc)
    return nullptr;
  auto p = sim::make_plan(*sc, engine, false);
  return p ? std::move(*p) : nullptr;
}

/// The runs of the quickstart sweep without the sweep: each benchmark thread
/// runs every run index `i` with `i % threads == thread` through
/// `run_indexed`, as a sweep's worker does, with no dispatcher, batches or
/// messages. Items are runs: threads:2 ÷ threads:1 is the most the sweep's
/// own runs can gain from a second thread on this machine.
void sweep_runs_floor(benchmark::State& st) {
  static auto plan = quickstart_plan(sim::engine_kind::inline_calls);
  if (!plan) {
    st.SkipWithError("cannot load scenarios/quickstart.yaml");
    return;
  }
  auto step = static_cast<uint64_t>(st.threads());
  uint64_t runs = 0;
  for (auto _ : st) {
    for (auto i = static_cast<uint64_t>(st.thread_index()); i < plan->total;
         i += step) {
      auto m = sim::run_indexed(*plan, i, nullptr);
      if (!m) {
        st.SkipWithError(render(m.error()).c_str());
        return;
      }
      benchmark::DoNotOptimize(m->rounds);
      ++runs;
    }
  }
  st.SetItemsProcessed(static_cast<int64_t>(runs));
}

/// The same runs on the actor engine: each benchmark thread runs its share
/// (a contiguous part of the sweep, so that a cell's runs form one series)
/// on an engine of its own whose actors live in an `actor_home` of its own,
/// as a sweep thread's do, without the sweep's pool, dispatcher or batches.
void sweep_runs_actors_floor(benchmark::State& st) {
  static auto plan = quickstart_plan(sim::engine_kind::actors);
  if (!plan) {
    st.SkipWithError("cannot load scenarios/quickstart.yaml");
    return;
  }
  auto t = static_cast<uint64_t>(st.threads());
  auto i = static_cast<uint64_t>(st.thread_index());
  std::vector<uint64_t> idxs;
  for (auto r = i * plan->total / t; r < (i + 1) * plan->total / t; ++r)
    idxs.push_back(r);
  uint64_t runs = 0;
  {
    caf::actor_system_config cfg;
    sim::configure_local_sweep(cfg, 1);
    caf::actor_system sys{cfg};
    auto home = std::make_shared<sim::actor_home>();
    {
      caf::scoped_actor self{sys};
      sim::actor_engine eng{self.ptr(), home};
      for (auto _ : st) {
        // Another cell first: every pass spawns each cell's actors anew, as
        // a sweep does.
        eng.reset();
        auto ms = sim::run_indexed(plan, idxs, &eng);
        if (!ms) {
          st.SkipWithError(render(ms.error()).c_str());
          break;
        }
        benchmark::DoNotOptimize(ms->data());
        runs += ms->size();
      }
    }
  }
  st.SetItemsProcessed(static_cast<int64_t>(runs));
}

/// Starts and stops what a sweep without a runtime starts and stops: an
/// actor system configured as a local sweep's (`threads` 0), or a whole
/// `sweep_runtime` (its system and pool threads).
void start_stop(benchmark::State& st, size_t threads, bool runtime) {
  for (auto _ : st) {
    if (runtime) {
      sim::sweep_runtime rt{threads};
      benchmark::DoNotOptimize(&rt);
    } else {
      caf::actor_system_config cfg;
      sim::configure_local_sweep(cfg, threads);
      caf::actor_system sys{cfg};
      benchmark::DoNotOptimize(&sys);
    }
  }
}

void round_data(benchmark::State& st) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc) {
    st.SkipWithError(render(sc.error()).c_str());
    return;
  }
  auto plan = sim::make_plan(*sc, sim::engine_kind::inline_calls, false);
  if (!plan) {
    st.SkipWithError(render(plan.error()).c_str());
    return;
  }
  auto& p = **plan;
  std::vector<state> states;
  std::vector<const std::string*> truths;
  for (size_t c = 0; c < p.cells.size(); ++c)
    for (uint64_t r = 0; r < p.replicates; ++r) {
      auto x = sim::run_state(p.cells[c], c, r, sim::engine_kind::inline_calls,
                              nullptr);
      if (!x) {
        st.SkipWithError(render(x.error()).c_str());
        return;
      }
      states.push_back(std::move(*x));
      truths.push_back(&p.cells[c].world.ground_truth);
    }
  uint64_t bytes = 0;
  for (auto _ : st) {
    bytes = 0;
    for (size_t i = 0; i < states.size(); ++i) {
      auto blob = sim::store_internal::encode_trajectory(
        summarize_rounds(states[i], *truths[i]));
      bytes += blob.size();
      benchmark::DoNotOptimize(blob.data());
    }
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * states.size()));
  st.counters["bytes_per_run"] = static_cast<double>(bytes)
                                 / static_cast<double>(states.size());
}

int register_sweeps() {
  benchmark::RegisterBenchmark("sweep/round_data/quickstart", round_data)
    ->Unit(benchmark::kMicrosecond);
  for (auto engine : {sim::engine_kind::inline_calls, sim::engine_kind::actors})
    for (size_t threads : {1, 2}) {
      auto suffix = to_string(engine) + "/threads=" + std::to_string(threads);
      benchmark::RegisterBenchmark(("sweep/quickstart/" + suffix).c_str(),
                                   sweep, engine, threads, uint64_t{0},
                                   size_t{0}, false)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
      // Ten times the replicates: 16,000 runs, where a sweep's fixed cost
      // (`sweep/fixed_cost`) no longer counts.
      benchmark::RegisterBenchmark(("sweep/quickstart_x10/" + suffix).c_str(),
                                   sweep, engine, threads, uint64_t{4000},
                                   size_t{0}, false)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
      // The former default: 1,600 / 64 runs in every batch.
      benchmark::RegisterBenchmark(
        ("sweep/batch=25/quickstart/" + suffix).c_str(), sweep, engine, threads,
        uint64_t{0}, size_t{25}, false)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    }
  benchmark::RegisterBenchmark("floor/parallel/sweep_runs/quickstart",
                               sweep_runs_floor)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("floor/parallel/sweep_runs_actors/quickstart",
                               sweep_runs_actors_floor)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
  for (auto warm : {false, true})
    for (auto engine :
         {sim::engine_kind::inline_calls, sim::engine_kind::actors})
      for (size_t threads : {1, 2}) {
        auto suffix = to_string(engine) + "/threads=" + std::to_string(threads);
        auto prefix = std::string{warm ? "sweep/warm/" : "sweep/"};
        if (warm)
          benchmark::RegisterBenchmark(
            (prefix + "quickstart/" + suffix).c_str(), sweep, engine, threads,
            uint64_t{0}, size_t{0}, true)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((prefix + "fixed_cost/" + suffix).c_str(),
                                     sweep, engine, threads, uint64_t{1},
                                     size_t{0}, warm)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
      }
  for (size_t threads : {1, 2})
    for (auto runtime : {false, true})
      benchmark::RegisterBenchmark(
        ((runtime ? "floor/start_stop/sweep_runtime/threads="
                  : "floor/start_stop/actor_system/threads=")
         + std::to_string(threads))
          .c_str(),
        start_stop, threads, runtime)
        ->UseRealTime()
        ->Unit(benchmark::kMicrosecond);
  return 0;
}

[[maybe_unused]] const int sweeps_registered = register_sweeps();

} // namespace

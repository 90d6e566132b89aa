// caf-consensus benchmarks, part 4: sweep throughput.
//
// - sweep/quickstart/<engine>/threads=<t>: `sim::run_sweep` over
//   scenarios/quickstart.yaml (4 cells x 400 replicates = 1600 runs of 5
//   synthetic agents), as `consensus-sim run` does it, without output files.
//   Items are runs. Before timing, each variant checks that its runs equal
//   those of the inline engine on one thread (a fingerprint of every run's
//   CSV line) and reports an error otherwise.
// - sweep/round_data/quickstart: the per-round numbers of every quickstart run
//   (`summarize_rounds` over the final states, then packed for the store as
//   `run --out` stores them): the work recording rounds adds to a run. Items
//   are runs; `bytes_per_run` is the packed size.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

using namespace caf::consensus;

namespace {

/// FNV-1a over the CSV lines of all runs of a sweep (in canonical order), 0
/// when the sweep fails.
uint64_t fingerprint(const sim::scenario& sc, sim::engine_kind engine,
                     size_t threads) {
  uint64_t h = 1469598103934665603ull;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
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

void sweep(benchmark::State& st, sim::engine_kind engine, size_t threads) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc) {
    st.SkipWithError(render(sc.error()).c_str());
    return;
  }
  auto want = fingerprint(*sc, sim::engine_kind::inline_calls, 1);
  if (want == 0 || fingerprint(*sc, engine, threads) != want) {
    st.SkipWithError("results differ from the inline engine on one thread");
    return;
  }
  uint64_t runs = 0;
  uint64_t finalized = 0;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.on_run = [&](const sim::run_metrics& m) {
    ++runs;
    finalized += m.finalized ? 1 : 0;
  };
  for (auto _ : st) {
    if (auto err = sim::run_sweep(*sc, opts)) {
      st.SkipWithError(render(err).c_str());
      return;
    }
  }
  st.SetItemsProcessed(static_cast<int64_t>(runs));
  st.counters["finalized_share"] = runs > 0 ? static_cast<double>(finalized)
                                                / static_cast<double>(runs)
                                            : 0.0;
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
    for (size_t threads : {1, 2})
      benchmark::RegisterBenchmark(("sweep/quickstart/" + to_string(engine)
                                    + "/threads=" + std::to_string(threads))
                                     .c_str(),
                                   sweep, engine, threads)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  return 0;
}

[[maybe_unused]] const int sweeps_registered = register_sweeps();

} // namespace

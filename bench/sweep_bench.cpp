// caf-consensus benchmarks, part 4: sweep throughput.
//
// - sweep/quickstart/<engine>/threads=<t>: `sim::run_sweep` over
//   scenarios/quickstart.yaml (4 cells x 400 replicates = 1600 runs of 5
//   synthetic agents), as `consensus-sim run` does it, without output files.
//   Items are runs. Before timing, each variant checks that its runs equal
//   those of the inline engine on one thread (a fingerprint of every run's
//   CSV line) and reports an error otherwise.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

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

int register_sweeps() {
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

// caf-consensus benchmarks: throughput of parallel and distributed sweeps.
//
// - distributed/<engine>/local=<n>: `sim::run_sweep` on a pool of n local
//   worker actors.
// - distributed/<engine>/local=1+remote=1: one local worker actor plus one
//   worker node (its own actor system, 1 thread) reached over loopback TCP
//   through CAF's middleman, the shared-secret handshake and the BASP
//   header check, as `consensus-sim run --workers` does it.
// - distributed/<engine>/remote=2: two such nodes and no local worker.
// - distributed/<engine>/local=2+store: two local workers, every batch
//   stored in an SQLite results store (one transaction per batch), as
//   `consensus-sim run --out DIR` does it.
//
// The sweep is scenarios/quickstart.yaml with 1000 replicates (4 cells,
// 4000 runs of 5 synthetic agents). Counter `runs/s` is the sweep
// throughput. Every variant checks that its results equal the local ones
// (a fingerprint of all runs) and reports an error otherwise.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

using namespace caf::consensus;

namespace {

constexpr uint64_t replicates = 1000;
const std::string secret = "benchmark-secret-0123456789";

struct setup {
  size_t local = 0;
  size_t remote = 0;
  bool store = false;
};

/// FNV-1a over the CSV lines of all runs (in canonical order).
struct digest {
  uint64_t h = 1469598103934665603ull;
  void add(const std::string& x) {
    for (auto c : x) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  }
};

uint64_t reference_digest(const sim::scenario& sc) {
  digest d;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 1;
  opts.on_run = [&](const sim::run_metrics& m) { d.add(sim::to_csv(m)); };
  if (auto err = sim::run_sweep(sc, opts))
    return 0;
  return d.h;
}

void sweep(benchmark::State& st, sim::engine_kind engine, setup cfg) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc) {
    st.SkipWithError(render(sc.error()).c_str());
    return;
  }
  sc->replicates = replicates;
  auto want = reference_digest(*sc);
  std::vector<std::unique_ptr<sim::worker_node>> nodes;
  auto ro = std::make_shared<sim::remote_options>();
  ro->secret = secret;
  for (size_t i = 0; i < cfg.remote; ++i) {
    sim::worker_node_options opts;
    opts.threads = 1;
    opts.secret = secret;
    auto node = sim::worker_node::start(opts);
    if (!node) {
      st.SkipWithError(sim::render_sweep_error(node.error()).c_str());
      return;
    }
    ro->workers.push_back((*node)->address());
    nodes.push_back(std::move(*node));
  }
  auto dir = std::filesystem::temp_directory_path()
             / ("caf-consensus-bench-" + std::to_string(::getpid()));
  uint64_t runs = 0;
  for (auto _ : st) {
    digest d;
    uint64_t n = 0;
    sim::sweep_options opts;
    opts.engine = engine;
    opts.threads = cfg.local;
    if (cfg.remote > 0)
      opts.remote = ro;
    std::unique_ptr<sim::results_store> store;
    if (cfg.store) {
      st.PauseTiming();
      std::filesystem::remove_all(dir);
      auto s = sim::results_store::create(dir.string(), *sc, "", false,
                                          nlohmann::json::object());
      st.ResumeTiming();
      if (!s) {
        st.SkipWithError(sim::render_sweep_error(s.error()).c_str());
        return;
      }
      store = std::make_unique<sim::results_store>(std::move(*s));
      opts.on_batch = [&](const std::vector<sim::run_metrics>& xs) {
        n += xs.size();
        return store->insert(xs);
      };
    } else {
      opts.on_run = [&](const sim::run_metrics& m) {
        d.add(sim::to_csv(m));
        ++n;
      };
    }
    if (auto err = sim::run_sweep(*sc, opts)) {
      st.SkipWithError(sim::render_sweep_error(err).c_str());
      return;
    }
    if (store) {
      st.PauseTiming();
      store->for_each(
        [&](const sim::run_metrics& m) { d.add(sim::to_csv(m)); });
      st.ResumeTiming();
    }
    if (d.h != want) {
      st.SkipWithError("results differ from the local sweep");
      return;
    }
    runs += n;
  }
  std::filesystem::remove_all(dir);
  st.counters["runs/s"] = benchmark::Counter(static_cast<double>(runs),
                                             benchmark::Counter::kIsRate);
}

int register_benchmarks() {
  std::vector<std::pair<std::string, setup>> setups{
    {"local=1", {1, 0, false}},          {"local=2", {2, 0, false}},
    {"local=1+remote=1", {1, 1, false}}, {"remote=2", {0, 2, false}},
    {"local=2+store", {2, 0, true}},
  };
  for (auto engine : {sim::engine_kind::inline_calls, sim::engine_kind::actors})
    for (auto& [name, cfg] : setups)
      benchmark::RegisterBenchmark(
        ("distributed/" + to_string(engine) + "/" + name).c_str(), sweep,
        engine, cfg)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  return 0;
}

[[maybe_unused]] const int registered = register_benchmarks();

} // namespace

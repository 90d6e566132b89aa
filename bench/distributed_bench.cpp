// caf-consensus benchmarks: throughput of parallel and distributed sweeps.
//
// - distributed/<engine>/local=<n>: `sim::run_sweep` on a pool of n local
//   worker actors.
// - distributed/<engine>/local=1+remote=1: one local worker actor plus one
//   worker node (its own actor system, 1 thread) reached over loopback TCP
//   through CAF's middleman, the shared-secret handshake and the BASP
//   header check, as `consensus-sim run --workers` does it.
// - distributed/<engine>/remote=2: two such nodes and no local worker.
// - distributed/<engine>/local=1+process=1: one local worker actor plus one
//   `consensus-sim worker --threads 1` in another process (two CAF nodes on
//   one machine, two processes); compare with local=2 (one process, the same
//   two threads) for the overhead of the second process per run.
// - distributed/<engine>/local=2+store: two local workers, every batch
//   stored in an SQLite results store (one transaction per batch), as
//   `consensus-sim run --out DIR` does it.
//
// The sweep is scenarios/quickstart.yaml with 1000 replicates (4 cells,
// 4000 runs of 5 synthetic agents). Counter `runs/s` is the sweep
// throughput. Every variant checks that its results equal the local ones
// (a fingerprint of all runs) and reports an error otherwise.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "caf/consensus/connectors/process.hpp"
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
  /// Worker nodes started as `consensus-sim worker` processes.
  size_t processes = 0;
};

/// Starts `consensus-sim worker --listen 127.0.0.1:0 --threads 1` and reads
/// the address it prints once ready.
caf::expected<sim::endpoint>
start_worker_process(std::vector<connectors::process>& procs) {
  using clock = std::chrono::steady_clock;
  auto child
    = connectors::process::spawn({CAF_CONSENSUS_SIM_EXE, "worker", "--listen",
                                  "127.0.0.1:0", "--threads", "1"},
                                 {{"CONSENSUS_SECRET", secret}});
  if (!child)
    return std::move(child.error());
  procs.push_back(std::move(*child));
  auto& proc = procs.back();
  const std::string marker = "listening on ";
  std::string out;
  auto deadline = clock::now() + std::chrono::seconds{20};
  while (out.find('\n') == std::string::npos) {
    auto chunk = proc.read_some(deadline);
    if (!chunk || chunk->empty())
      return caf::make_error(caf::sec::runtime_error,
                             "consensus-sim worker did not report its address: "
                               + proc.stderr_tail());
    out += *chunk;
  }
  auto at = out.find(marker);
  if (at == std::string::npos)
    return caf::make_error(caf::sec::runtime_error,
                           "unexpected output of consensus-sim worker: " + out);
  auto addr = out.substr(at + marker.size());
  addr = addr.substr(0, addr.find_first_of(" \n"));
  return sim::parse_endpoint(addr, "127.0.0.1", false);
}

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
  std::vector<connectors::process> procs;
  for (size_t i = 0; i < cfg.processes; ++i) {
    auto ep = start_worker_process(procs);
    if (!ep) {
      st.SkipWithError(sim::render_sweep_error(ep.error()).c_str());
      return;
    }
    ro->workers.push_back(*ep);
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
    if (!ro->workers.empty())
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
    {"local=1", {1, 0, false}},
    {"local=2", {2, 0, false}},
    {"local=1+remote=1", {1, 1, false}},
    {"remote=2", {0, 2, false}},
    {"local=2+store", {2, 0, true}},
    {"local=1+process=1", {1, 0, false, 1}},
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

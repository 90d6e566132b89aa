// caf-consensus benchmarks, part 7: trace-driven agents (docs/traces.md).
//
// - traces/answer/<kind>: the cost of one agent call (`sim::answer`) for a
//   synthetic agent, a replay agent and an empirical agent. The calls are
//   captured once from inline runs of three scenarios that share agents,
//   parameters and seeds: the synthetic scenario itself (3 agents with
//   log-normal latency, noise-free templates, majority / conform /
//   stubborn), a replay of 200 of its runs recorded to a trace, and
//   empirical agents resampling that trace. Each iteration answers every
//   captured call once; items are calls, so items_per_second is calls per
//   second.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;

namespace {

constexpr uint64_t recorded_runs = 200;

const char* synthetic_text = R"(name: bench
prompt: Which answer is right?
params: {rounds: 3, k: 2, alpha: 0.6, beta_1: 0.5, beta_2: 0.8, timeout_ms: 3000}
labels: [right, wrong, other]
ground_truth: right
agents:
  - name: a
    answers: {right: 0.8, wrong: 0.1, other: 0.1}
    behaviour: majority
    latency: {dist: lognormal, median_ms: 400, sigma: 0.5}
  - name: b
    answers: {right: 0.6, wrong: 0.3, other: 0.1}
    behaviour: conform:0.7
    latency: {dist: lognormal, median_ms: 300, sigma: 0.4}
    faults: {fail: 0.1}
  - name: c
    answers: {right: 0.4, wrong: 0.5, other: 0.1}
    behaviour: stubborn
    latency: {dist: lognormal, median_ms: 250, sigma: 0.3}
replicates: 200
seed: 11
)";

/// One captured call: the agent, the agents' seed of its run, the request.
struct captured {
  size_t agent;
  uint64_t seed;
  request req;
};

/// A scenario, its agents and every call of its first `recorded_runs`
/// inline runs.
struct workload {
  sim::scenario cell;
  std::vector<sim::agent> agents;
  std::vector<captured> calls;
  std::string error;
};

std::unique_ptr<workload> capture(const std::string& text,
                                  const std::string& origin) {
  auto w = std::make_unique<workload>();
  auto sc = sim::parse_scenario(text, origin);
  if (!sc) {
    w->error = render(sc.error());
    return w;
  }
  auto cell = sim::resolve_cell(*sc, 0);
  if (!cell) {
    w->error = render(cell.error());
    return w;
  }
  w->cell = std::move(*cell);
  w->agents = sim::make_agents(w->cell);
  auto ids = sim::participant_ids(w->cell);
  for (uint64_t rep = 0; rep < recorded_runs; ++rep) {
    auto seed = sim::run_seed(w->cell, 0, rep);
    auto eng = engine::make(w->cell.prompt, ids,
                            sim::run_params(w->cell, seed));
    if (!eng) {
      w->error = render(eng.error());
      return w;
    }
    auto aseed = sim::agents_seed(seed);
    auto st = run_inline(*eng, [&](const request& req) {
      w->calls.push_back({req.index, aseed, req});
      return sim::answer(w->cell.world, w->agents[req.index], aseed, req);
    });
    if (auto why = sim::unrecorded_call(st); !why.empty()) {
      w->error = why;
      return w;
    }
  }
  return w;
}

std::string temp_trace() {
  return std::string{P_tmpdir} + "/consensus-bench-traces.jsonl";
}

/// The three workloads, built once (the trace is recorded on first use).
const workload& get(sim::agent_kind kind) {
  static std::unique_ptr<workload> synthetic;
  static std::unique_ptr<workload> replay;
  static std::unique_ptr<workload> empirical;
  if (!synthetic) {
    synthetic = capture(synthetic_text, "bench.yaml");
    auto path = temp_trace();
    {
      std::ofstream out{path};
      connectors::trace_writer w{out, sim::trace_header_of(synthetic->cell)};
      auto sts = sim::record_runs(synthetic->cell, recorded_runs, w);
      if (!sts)
        synthetic->error = render(sts.error());
    }
    auto t = connectors::read_trace(path);
    if (!t) {
      synthetic->error = render(t.error());
    } else {
      auto text = sim::replay_scenario_text(*t, path);
      replay = text ? capture(*text, "replay.yaml") : nullptr;
      std::string emp = synthetic_text;
      for (auto name : {"a", "b", "c"}) {
        auto at = emp.find(std::string{"  - name: "} + name + "\n");
        auto end = emp.find("  - name: ", at + 1);
        if (end == std::string::npos)
          end = emp.find("replicates:");
        emp.replace(at, end - at,
                    std::string{"  - name: "} + name
                      + "\n    kind: empirical\n    trace: \"" + path + "\"\n");
      }
      empirical = capture(emp, "empirical.yaml");
    }
  }
  switch (kind) {
    case sim::agent_kind::replay:
      return *replay;
    case sim::agent_kind::empirical:
      return *empirical;
    default:
      return *synthetic;
  }
}

void answer_calls(benchmark::State& state, sim::agent_kind kind) {
  auto& w = get(kind);
  if (!w.error.empty() || w.calls.empty()) {
    state.SkipWithError(w.error.empty() ? "no calls" : w.error.c_str());
    return;
  }
  int64_t items = 0;
  for (auto _ : state) {
    for (auto& c : w.calls) {
      auto r = sim::answer(w.cell.world, w.agents[c.agent], c.seed, c.req);
      benchmark::DoNotOptimize(r.ms);
    }
    items += static_cast<int64_t>(w.calls.size());
  }
  state.SetItemsProcessed(items);
  state.counters["calls"] = static_cast<double>(w.calls.size());
}

void synthetic_agent(benchmark::State& state) {
  answer_calls(state, sim::agent_kind::synthetic);
}

void replay_agent(benchmark::State& state) {
  answer_calls(state, sim::agent_kind::replay);
}

void empirical_agent(benchmark::State& state) {
  answer_calls(state, sim::agent_kind::empirical);
}

} // namespace

BENCHMARK(synthetic_agent)->Name("traces/answer/synthetic");
BENCHMARK(replay_agent)->Name("traces/answer/replay");
BENCHMARK(empirical_agent)->Name("traces/answer/empirical");

// caf-consensus benchmarks, part 6: the Snow laboratory.
//
// - snow/async/nodes=100/colours=C/<semantics>: avalanchego's asynchronous
//   schedule (one undecided node polls K = 20 of 100 nodes per step), alpha
//   11/15, beta 20. Each iteration runs one network (seed = iteration) for at
//   most 100 polls per node (10,000 steps); items are steps, so
//   items_per_second is steps per second. With 10 colours in a flat network
//   almost nothing decides (a colour rarely reaches alpha_preference), so a
//   run almost always takes
//   its full 10,000 steps: a pure measure of the step cost.
// - snow/sync/nodes=100/colours=2/snowball: synchronous rounds, items are
//   polls.

#include <benchmark/benchmark.h>

#include <cstdint>

#include "caf/consensus/sim/snow/network.hpp"

using namespace caf::consensus::sim::snow;

namespace {

config make(uint32_t colours, semantics sem, schedule sched) {
  config x;
  x.nodes = 100;
  x.colours = colours;
  x.q = quorum{20, 11, 15, 20};
  x.sem = sem;
  x.sched = sched;
  x.max_polls_per_node = 100;
  x.checkpoints = 100;
  return x;
}

void run(benchmark::State& state, config x, bool count_polls) {
  if (auto err = validate(x)) {
    state.SkipWithError("invalid configuration");
    return;
  }
  uint64_t seed = 0;
  int64_t items = 0;
  int64_t decided_runs = 0;
  for (auto _ : state) {
    auto r = run_network(x, seed++);
    items += count_polls ? r.polls : r.steps;
    decided_runs += r.finished ? 1 : 0;
    benchmark::DoNotOptimize(r.decided_colour);
  }
  state.SetItemsProcessed(items);
  state.counters["finished_share"] = benchmark::Counter(
    static_cast<double>(decided_runs), benchmark::Counter::kAvgIterations);
}

void async_10_snowball(benchmark::State& state) {
  run(state, make(10, semantics::snowball, schedule::async), false);
}

void async_10_snowflake(benchmark::State& state) {
  run(state, make(10, semantics::snowflake, schedule::async), false);
}

void async_2_snowball(benchmark::State& state) {
  run(state, make(2, semantics::snowball, schedule::async), false);
}

void sync_2_snowball(benchmark::State& state) {
  run(state, make(2, semantics::snowball, schedule::sync), true);
}

} // namespace

BENCHMARK(async_10_snowball)->Name("snow/async/nodes=100/colours=10/snowball");
BENCHMARK(async_10_snowflake)
  ->Name("snow/async/nodes=100/colours=10/snowflake");
BENCHMARK(async_2_snowball)->Name("snow/async/nodes=100/colours=2/snowball");
BENCHMARK(sync_2_snowball)->Name("snow/sync/nodes=100/colours=2/snowball");

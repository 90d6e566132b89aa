// caf-consensus benchmarks, part 3: scaling with the number of participants
// and the peak memory of shape L.
//
// - scaling/<policy>/n=<n>: one inline run of n participants x 5 rounds
//   (k = 3, 50-word outputs), for every built-in policy; items are execute
//   calls (participant-rounds, round 0 included), so time per item must stay
//   flat when n grows. Policies that vote on choice keys (snowball, vote,
//   sequential) get answers labelled with one of 4 keys (see
//   `bench::workload`); every run must run every round.
// - memory/L/<policy>: one inline run of shape L (10,000 participants x 5
//   rounds). Counters: `peak_rss_mb` (this process's peak resident set,
//   getrusage), `fixture_mb` (the prepared answers, part of that peak).
//   `bench/run.sh` runs these in a process of their own.

#include <benchmark/benchmark.h>

#include <string>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/registry.hpp"

#include "workload.hpp"

using namespace caf::consensus;

namespace {

constexpr int32_t scaling_rounds = 5;

/// Returns whether policy `name` votes on choice keys.
bool votes_on_choices(const std::string& name) {
  auto p = policy::make(name);
  return p && (*p)->needs_labels();
}

void scaling(benchmark::State& st, size_t n, std::string policy) {
  bench::workload w{n, scaling_rounds, 50};
  auto ps = w.parameters(policy);
  auto labelled = votes_on_choices(policy);
  for (auto _ : st) {
    auto out = w.run_inline(ps, labelled);
    if (!out) {
      st.SkipWithError(render(out.error()).c_str());
      return;
    }
    if (out->rounds_executed != scaling_rounds || out->calls != w.calls()) {
      st.SkipWithError("the run stopped before its last round");
      return;
    }
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(w.calls()));
}

void memory_l(benchmark::State& st, std::string policy) {
  constexpr size_t n = 10000;
  bench::workload w{n, scaling_rounds, 50};
  auto ps = w.parameters(policy);
  for (auto _ : st) {
    auto out = w.run_inline(ps);
    if (!out) {
      st.SkipWithError(render(out.error()).c_str());
      return;
    }
    if (out->rounds_executed != scaling_rounds || out->calls != w.calls()) {
      st.SkipWithError("shape L did not run every round");
      return;
    }
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(w.calls()));
  constexpr double mb = 1024.0 * 1024.0;
  st.counters["peak_rss_mb"] = static_cast<double>(bench::peak_rss_bytes())
                               / mb;
  st.counters["fixture_mb"] = static_cast<double>(w.fixture_bytes()) / mb;
}

int register_scaling() {
  for (auto policy : {"metastable", "hanzo", "snowball", "vote", "sequential"})
    for (size_t n : {100, 1000, 10000})
      benchmark::RegisterBenchmark(
        ("scaling/" + std::string{policy} + "/n=" + std::to_string(n)).c_str(),
        scaling, n, policy)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  for (auto policy : {"metastable", "hanzo"})
    benchmark::RegisterBenchmark(("memory/L/" + std::string{policy}).c_str(),
                                 memory_l, policy)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond)
      ->Iterations(1);
  return 0;
}

[[maybe_unused]] const int scaling_registered = register_scaling();

} // namespace

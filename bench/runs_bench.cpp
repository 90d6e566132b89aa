// caf-consensus benchmarks, part 2: whole runs per second.
//
// - run/<shape>/w<words>/<policy>/inline: `engine::make` + `run_inline`.
// - run/<shape>/w<words>/<policy>/actors: `consensus::run` (the public API:
//   one participant actor per participant, a coordinator actor, a blocking
//   caller) in an actor system like `consensus-sim run --threads 1`'s. The
//   object keeps its actors between runs, so after the first run this
//   measures the reuse path (taking an idle set from the pool, the run,
//   putting it back).
// - run/<shape>/w<words>/<policy>/actors_polling: the same on one thread of
//   `actors::use_polling_scheduler` (idle workers poll before they sleep),
//   which saves the blocking caller the scheduler thread's wake-up per run.
// - run/S/w50/<policy>/actors_private: `consensus` with its private actor
//   system (CAF's defaults, one thread per core, polling as above).
// - run/<shape>/w50/<policy>/actors_reused: one coordinator and its
//   participants spawned once and driven directly with `run_atom` messages,
//   without `consensus` (the floor of the reuse path: message traffic only).
//
// - run/<shape>/w<words>/<policy>/beta_1=0.5/{inline,actors,actors_polling}:
//   the same with the reference's default beta_1 = 0.5, so a run may stop
//   before its last round; counter `rounds_run` = refinement rounds the run
//   executed (as the reference's perf.py reports them, for a like-for-like
//   comparison); `inline` also reports `max_confidence`, the highest
//   confidence at the end of the run (below beta_1: the run could not stop
//   early).
//
// - floor/parallel/S/w50/metastable/real_time/threads:<t>: t threads, each
//   running inline runs of a workload of its own (nothing shared but the
//   machine: cores, caches, memory bandwidth, the hypervisor). Items are the
//   runs of all threads per second of wall time: threads:2 ÷ threads:1 is the
//   most a 2-thread sweep can gain over one thread on this machine.
//
// Shapes: S = 5 participants x 3 rounds, M = 50 x 5; k = 3, beta_1 = 2 (so
// every round runs) unless the name says otherwise. Items are runs.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "caf/deep_to_string.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

#include "actor_config.hpp"
#include "workload.hpp"

using namespace caf::consensus;

namespace {

state inline_run(const bench::workload& w, const params& ps) {
  auto st = w.run_inline(ps);
  return st ? std::move(*st) : state{};
}

/// Refinement rounds a run executed (the reference's `rounds_executed`:
/// responses of the first participant minus the initial proposal).
double rounds_run(const state& st) {
  if (st.responses.empty() || st.responses.front().empty())
    return 0;
  return static_cast<double>(st.responses.front().size() - 1);
}

void run_inline_bench(benchmark::State& st, size_t n, int32_t rounds,
                      size_t words, std::string policy, double beta_1) {
  bench::workload w{n, rounds, words};
  auto ps = w.parameters(policy, beta_1);
  if (auto eng = engine::make(bench::prompt, w.ids(), ps); !eng) {
    st.SkipWithError(render(eng.error()).c_str());
    return;
  }
  for (auto _ : st) {
    auto out = inline_run(w, ps);
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
  auto last = inline_run(w, ps);
  st.counters["calls"] = static_cast<double>(last.calls);
  st.counters["rounds_run"] = rounds_run(last);
  auto& c = last.confidence;
  st.counters["max_confidence"] = c.empty()
                                    ? 0.0
                                    : *std::max_element(c.begin(), c.end());
}

void run_actors_bench(benchmark::State& st, size_t n, int32_t rounds,
                      size_t words, std::string policy, double beta_1,
                      const char* sched) {
  bench::workload w{n, rounds, words};
  auto ps = w.parameters(policy, beta_1);
  std::optional<bench::actor_env> env;
  consensus c{
    w.ids(),
    [&w](const std::string&, const request& req) { return w.answer(req); }, ps};
  if (std::string_view{sched} != "private") {
    env.emplace(sched, 1);
    c.system(*env->sys);
  }
  c.blocking(false);
  // Not timed: both engines must give the same state.
  auto first = c.run(bench::prompt);
  if (!first) {
    st.SkipWithError(render(first.error()).c_str());
    return;
  }
  if (caf::deep_to_string(*first) != caf::deep_to_string(inline_run(w, ps))) {
    st.SkipWithError("actor and inline engines disagree");
    return;
  }
  for (auto _ : st) {
    auto out = c.run(bench::prompt);
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["calls"] = static_cast<double>(first->calls);
  st.counters["rounds_run"] = rounds_run(*first);
}

void run_actors_reused_bench(benchmark::State& st, size_t n, int32_t rounds,
                             size_t words, std::string policy) {
  bench::workload w{n, rounds, words};
  auto ps = w.parameters(policy);
  bench::actor_env env{"sharing", 1};
  auto& sys = *env.sys;
  std::vector<actors::participant_actor> handles;
  for (auto& id : w.ids())
    handles.push_back(actors::spawn_participant(
      sys, id,
      [&w](const std::string&, const request& req) { return w.answer(req); },
      false));
  auto coord = actors::spawn_coordinator(sys, w.ids(), handles, ps);
  {
    caf::scoped_actor self{sys};
    auto expected = caf::deep_to_string(inline_run(w, ps));
    bool first = true;
    for (auto _ : st) {
      self
        ->request(coord, caf::infinite, actors::run_atom::value,
                  std::string{bench::prompt})
        .receive(
          [&](state& out) {
            if (first && caf::deep_to_string(out) != expected)
              st.SkipWithError("actor and inline engines disagree");
            first = false;
            benchmark::DoNotOptimize(out);
          },
          [&](caf::error& err) { st.SkipWithError(render(err).c_str()); });
    }
  }
  st.SetItemsProcessed(st.iterations());
  st.counters["calls"] = static_cast<double>(w.calls());
  caf::anon_send_exit(coord, caf::exit_reason::user_shutdown);
  for (auto& h : handles)
    caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
}

void parallel_floor(benchmark::State& st) {
  bench::workload w{5, 3, 50};
  auto ps = w.parameters("metastable");
  for (auto _ : st) {
    auto out = w.run_inline(ps);
    if (!out) {
      st.SkipWithError(render(out.error()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}

int register_runs() {
  benchmark::RegisterBenchmark("floor/parallel/S/w50/metastable",
                               parallel_floor)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();
  for (auto sh : bench::shapes)
    for (size_t words : {50, 300})
      for (auto policy : {"hanzo", "metastable"}) {
        auto base = std::string{"run/"} + sh.name + "/w" + std::to_string(words)
                    + "/" + policy + "/";
        for (double beta_1 : {2.0, 0.5}) {
          auto suffix = beta_1 == 2.0 ? std::string{} : "beta_1=0.5/";
          benchmark::RegisterBenchmark((base + suffix + "inline").c_str(),
                                       run_inline_bench, sh.n, sh.rounds, words,
                                       policy, beta_1)
            ->UseRealTime();
          benchmark::RegisterBenchmark((base + suffix + "actors").c_str(),
                                       run_actors_bench, sh.n, sh.rounds, words,
                                       policy, beta_1, "sharing")
            ->UseRealTime();
          benchmark::RegisterBenchmark(
            (base + suffix + "actors_polling").c_str(), run_actors_bench, sh.n,
            sh.rounds, words, policy, beta_1, "polling")
            ->UseRealTime();
        }
        if (words == 50 && sh.n == 5)
          benchmark::RegisterBenchmark((base + "actors_private").c_str(),
                                       run_actors_bench, sh.n, sh.rounds, words,
                                       policy, 2.0, "private")
            ->UseRealTime();
        if (words == 50)
          benchmark::RegisterBenchmark((base + "actors_reused").c_str(),
                                       run_actors_reused_bench, sh.n, sh.rounds,
                                       words, policy)
            ->UseRealTime();
      }
  return 0;
}

[[maybe_unused]] const int runs_registered = register_runs();

} // namespace

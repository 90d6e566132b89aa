// caf-consensus benchmarks, part 6: the simulator's actor engine at scale.
//
// - scale/<engine>/agents=<n>/rounds=<r>/threads=<t>: one run of
//   bench/testdata/scale.yaml (synthetic agents, every round runs) with n
//   agents and r refinement rounds, as `consensus-sim run --threads t` runs
//   it: `inline` calls the agents directly; `actors` spawns one participant
//   actor per agent and a coordinator in the one-thread system of an
//   `actor_home` (each of the sweep's t threads has one, and a single run
//   uses one of them; the sweep's own system has t `sharing` threads, idle
//   here), runs, stops them and waits until they are gone, all inside the
//   timed region. So t = 2 measures the t = 1 run with a second thread
//   that has nothing to do, as `consensus-sim run` does since each sweep
//   thread has a system of its own. Items are execute calls (n x (r + 1)).
//   Counter: `peak_rss_mb` (this process's peak resident set after the timed
//   runs, getrusage; run one benchmark per process to read it as that
//   benchmark's). After timing, `actors` checks that its run's metrics and
//   per-round numbers equal the inline engine's and reports an error
//   otherwise.
//
// - scale/actor_memory/participants=<n>: spawns n participant actors as the
//   actor engine does (a synchronous execute function holding a shared
//   context and an index, a functor attached, monitored), sends each one
//   request, and reads how much the resident set grew per participant
//   (counter `bytes_per_participant`, from /proc/self/statm): the memory one
//   actor per participant costs on top of the run itself.
//
// The 1,000,000-agent variants take about a minute each on the reference
// machine; docs/performance.md gives the commands.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "caf/actor_cast.hpp"
#include "caf/actor_system.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/participant.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"

#include "actor_config.hpp"
#include "workload.hpp"

using namespace caf::consensus;

namespace {

/// The scenario's only cell with `agents` agents and `rounds` rounds (set
/// after validation: the file format caps a scenario at 100,000 agents).
caf::expected<sim::scenario> scale_cell(uint32_t agents, int32_t rounds) {
  auto sc
    = sim::load_scenario(std::string{CAF_CONSENSUS_BENCH_DATA} + "/scale.yaml");
  if (!sc)
    return std::move(sc.error());
  auto cell = sim::resolve_cell(*sc, 0);
  if (!cell)
    return cell;
  cell->groups.at(0).count = agents;
  cell->ps.rounds = rounds;
  return cell;
}

/// What a run's metrics print (run line and per-round lines).
std::string metrics_text(const sim::scenario& cell, const state& st) {
  auto m = sim::measure(cell, 0, 0, sim::run_seed(cell, 0, 0), st);
  return sim::to_csv(m) + "\n" + sim::rounds_csv(m);
}

void scale(benchmark::State& bs, sim::engine_kind engine, uint32_t agents,
           int32_t rounds, size_t threads) {
  auto cell = scale_cell(agents, rounds);
  if (!cell) {
    bs.SkipWithError(render(cell.error()).c_str());
    return;
  }
  // Two systems at once, as in a sweep: the idle `sharing` threads sleep
  // and steal no CPU from the home's thread.
  bench::actor_env env{"sharing", threads};
  auto home = std::make_shared<sim::actor_home>();
  if (engine == sim::engine_kind::actors)
    home->system(); // started outside the timed region
  std::string got;
  for (auto _ : bs) {
    auto st = sim::run_state(*cell, 0, 0, engine, env.sys.get(), home);
    if (!st) {
      bs.SkipWithError(render(st.error()).c_str());
      return;
    }
    if (got.empty()) {
      bs.PauseTiming();
      got = metrics_text(*cell, *st);
      bs.ResumeTiming();
    }
    // The run's actors terminate after it returned: wait for them.
    if (engine == sim::engine_kind::actors)
      home->system().await_all_actors_done();
  }
  auto calls = static_cast<double>(agents) * (rounds + 1);
  bs.SetItemsProcessed(static_cast<int64_t>(bs.iterations() * calls));
  bs.counters["peak_rss_mb"] = static_cast<double>(bench::peak_rss_bytes())
                               / (1024.0 * 1024.0);
  if (engine == sim::engine_kind::actors) {
    auto want = sim::run_state(*cell, 0, 0, sim::engine_kind::inline_calls,
                               nullptr);
    if (!want || metrics_text(*cell, *want) != got)
      bs.SkipWithError("the actor engine's run differs from the inline one");
  }
}

/// Returns the resident set of this process in bytes.
size_t resident_bytes() {
  std::ifstream in{"/proc/self/statm"};
  size_t pages = 0;
  size_t resident = 0;
  in >> pages >> resident;
  return resident * 4096;
}

void actor_memory(benchmark::State& bs, size_t n) {
  bench::actor_env env{"stealing", 1};
  auto ctx = std::make_shared<uint64_t>(0);
  double per_participant = 0;
  for (auto _ : bs) {
    std::vector<actors::participant_actor> hs;
    hs.reserve(n);
    caf::scoped_actor self{*env.sys};
    auto before = resident_bytes();
    for (size_t i = 0; i < n; ++i) {
      auto fn = [ctx, i](const std::string& id, const request& req) {
        return make_ok(id, "x", static_cast<int64_t>(*ctx + i), req.round);
      };
      hs.push_back(actors::spawn_participant(
        *env.sys, "agent-" + std::to_string(i), fn, false));
      caf::actor_cast<caf::abstract_actor*>(hs.back())->attach_functor(
        [](const caf::error&) {});
      self->monitor(hs.back());
    }
    for (auto& h : hs)
      self->request(h, caf::infinite, actors::execute_atom::value, request{})
        .receive([](result&) {}, [](caf::error&) {});
    per_participant
      = (static_cast<double>(resident_bytes()) - static_cast<double>(before))
        / static_cast<double>(n);
    for (auto& h : hs)
      caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
    hs.clear();
    self->await_all_other_actors_done();
  }
  bs.SetItemsProcessed(static_cast<int64_t>(bs.iterations() * n));
  bs.counters["bytes_per_participant"] = per_participant;
}

const bool scale_registered = [] {
  benchmark::RegisterBenchmark("scale/actor_memory/participants=200000",
                               actor_memory, size_t{200'000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
  struct size {
    uint32_t agents;
    int32_t rounds;
  };
  for (auto sz : {size{10'000, 5}, size{100'000, 5}, size{1'000'000, 3}}) {
    auto base = "/agents=" + std::to_string(sz.agents)
                + "/rounds=" + std::to_string(sz.rounds);
    benchmark::RegisterBenchmark(("scale/inline" + base).c_str(), scale,
                                 sim::engine_kind::inline_calls, sz.agents,
                                 sz.rounds, size_t{1})
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
    for (size_t threads : {1, 2})
      benchmark::RegisterBenchmark(
        ("scale/actors" + base + "/threads=" + std::to_string(threads)).c_str(),
        scale, sim::engine_kind::actors, sz.agents, sz.rounds, threads)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return true;
}();

} // namespace

// The threads of sweeps. Sweeps on a shared runtime: the same runs as sweeps
// that start threads of their own (one after another and two at once), no
// thread started per sweep, a failed sweep leaves the runtime usable, and
// the options a runtime cannot serve are refused by name. The pool: inline
// batches on the scheduler's threads or on threads of their own.

#include <gtest/gtest.h>

#include <dirent.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/error.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"

using namespace caf::consensus;

namespace {

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc
    = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS} + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

/// Threads of this process now.
size_t thread_count() {
  size_t n = 0;
  if (auto* dir = opendir("/proc/self/task")) {
    while (auto* e = readdir(dir))
      if (e->d_name[0] != '.')
        ++n;
    closedir(dir);
  }
  return n;
}

/// Threads of this process once the threads of stopped actor systems are
/// gone: CAF 0.17 lets a detached actor's thread (e.g. a system's printer)
/// end after the system has stopped waiting for it, so a count taken right
/// after another system stopped may still include them. No CAF hook says
/// when they are gone: polls until the count holds for 50 ms (at most 5 s).
size_t settled_thread_count() {
  auto n = thread_count();
  for (int stable = 0, tries = 0; stable < 5 && tries < 500; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
    auto m = thread_count();
    stable = m == n ? stable + 1 : 0;
    n = m;
  }
  return n;
}

struct sweep_out {
  std::string csv;
  /// Threads of the process while the first run was delivered.
  size_t threads_during = 0;
};

sweep_out sweep(const sim::scenario& sc, sim::engine_kind engine,
                size_t threads, std::shared_ptr<sim::sweep_runtime> rt) {
  sweep_out out;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.runtime = std::move(rt);
  opts.on_run = [&](const sim::run_metrics& m) {
    if (out.csv.empty())
      out.threads_during = thread_count();
    out.csv += sim::to_csv(m) + "\n";
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  return out;
}

} // namespace

TEST(sweep_runtime, sweeps_on_it_equal_sweeps_with_threads_of_their_own) {
  // Two scenarios in turn (a new plan each time: the actor engine's workers
  // must respawn their actors for it), both engines, one and two threads.
  auto quick = load("quickstart.yaml", 40);
  auto conv = load("convergence-k.yaml", 10);
  for (auto engine : {sim::engine_kind::inline_calls, sim::engine_kind::actors})
    for (size_t threads : {1, 2}) {
      SCOPED_TRACE(to_string(engine) + ", " + std::to_string(threads)
                   + " threads");
      auto want_quick = sweep(quick, sim::engine_kind::inline_calls, 1,
                              nullptr);
      auto want_conv = sweep(conv, sim::engine_kind::inline_calls, 1, nullptr);
      auto rt = std::make_shared<sim::sweep_runtime>(threads);
      EXPECT_EQ(rt->threads(), threads);
      for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(sweep(quick, engine, threads, rt).csv, want_quick.csv);
        EXPECT_EQ(sweep(conv, engine, threads, rt).csv, want_conv.csv);
      }
    }
}

TEST(sweep_runtime, serves_two_sweeps_at_once) {
  auto quick = load("quickstart.yaml", 100);
  auto conv = load("convergence-k.yaml", 20);
  auto want_quick = sweep(quick, sim::engine_kind::inline_calls, 1, nullptr);
  auto want_conv = sweep(conv, sim::engine_kind::inline_calls, 1, nullptr);
  for (auto engine :
       {sim::engine_kind::inline_calls, sim::engine_kind::actors}) {
    SCOPED_TRACE(to_string(engine));
    auto rt = std::make_shared<sim::sweep_runtime>(2);
    sweep_out got_quick;
    std::thread other{[&] {
      try {
        got_quick = sweep(quick, engine, 2, rt);
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    }};
    auto got_conv = sweep(conv, engine, 2, rt);
    other.join();
    EXPECT_EQ(got_quick.csv, want_quick.csv);
    EXPECT_EQ(got_conv.csv, want_conv.csv);
  }
}

TEST(sweep_runtime, starts_no_thread_per_sweep) {
  auto sc = load("quickstart.yaml", 40);
  for (auto engine :
       {sim::engine_kind::inline_calls, sim::engine_kind::actors}) {
    SCOPED_TRACE(to_string(engine));
    auto rt = std::make_shared<sim::sweep_runtime>(2);
    // The actor engine starts its one-thread systems with its first batch.
    sweep(sc, engine, 2, rt);
    auto before = settled_thread_count();
    for (int i = 0; i < 3; ++i)
      EXPECT_EQ(sweep(sc, engine, 2, rt).threads_during, before);
    EXPECT_EQ(thread_count(), before);
    // Without a runtime the sweep starts its own (and stops them).
    EXPECT_GT(sweep(sc, engine, 2, nullptr).threads_during, before);
  }
}

TEST(sweep_runtime, stays_usable_after_a_failed_sweep) {
  auto sc = load("quickstart.yaml", 200);
  auto want = sweep(sc, sim::engine_kind::actors, 1, nullptr).csv;
  for (auto engine :
       {sim::engine_kind::inline_calls, sim::engine_kind::actors}) {
    SCOPED_TRACE(to_string(engine));
    auto rt = std::make_shared<sim::sweep_runtime>(2);
    sim::sweep_options opts;
    opts.engine = engine;
    opts.threads = 2;
    opts.runtime = rt;
    opts.on_batch = [](const std::vector<sim::run_metrics>&) {
      return make_error(errc::execute_failed, "stopped by the test");
    };
    auto err = sim::run_sweep(sc, opts);
    ASSERT_TRUE(err);
    EXPECT_NE(render(err).find("stopped by the test"), std::string::npos)
      << render(err);
    EXPECT_EQ(sweep(sc, engine, 2, rt).csv, want);
  }
}

TEST(sweep_runtime, refuses_what_it_cannot_serve) {
  auto sc = load("quickstart.yaml", 4);
  auto rt = std::make_shared<sim::sweep_runtime>(2);
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.runtime = rt;
  opts.threads = 1;
  auto err = sim::run_sweep(sc, opts);
  ASSERT_TRUE(err);
  EXPECT_NE(render(err).find("asks for 1 threads, its runtime has 2"),
            std::string::npos)
    << render(err);
  opts.threads = 2;
  auto remote = std::make_shared<sim::remote_options>();
  remote->workers.push_back(sim::endpoint{"localhost", 1});
  opts.remote = remote;
  err = sim::run_sweep(sc, opts);
  ASSERT_TRUE(err);
  EXPECT_NE(render(err).find("remote workers cannot use a shared runtime"),
            std::string::npos)
    << render(err);
  // Nothing ran; the runtime still serves a local sweep.
  opts.remote = nullptr;
  EXPECT_FALSE(sim::run_sweep(sc, opts));
  // Callers that may have remote workers or no local thread ask for one
  // where it can serve.
  EXPECT_EQ(sim::make_runtime_for(0), nullptr);
  EXPECT_EQ(sim::make_runtime_for(2, remote), nullptr);
  auto local = sim::make_runtime_for(2,
                                     std::make_shared<sim::remote_options>());
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->threads(), 2u);
}

namespace {

/// Runs runs 0-49 of `sc` as one batch on a pool of 2 threads and returns
/// the threads the pool added to the process (those of its workers, still
/// alive when it answers).
size_t pool_threads(const sim::scenario& sc, sim::engine_kind engine,
                    bool takes_every_core) {
  caf::actor_system_config cfg;
  sim::configure_local_sweep(cfg, 2);
  caf::actor_system sys{cfg};
  auto plan = sim::make_plan(sc, engine, false);
  if (!plan)
    throw std::runtime_error(render(plan.error()));
  sim::run_batch b{7, {}};
  for (uint64_t i = 0; i < 50; ++i)
    b.runs.push_back(i);
  auto before = settled_thread_count();
  auto pool = sim::spawn_pool(sys, 2, takes_every_core);
  caf::scoped_actor self{sys};
  size_t added = 0;
  self->request(pool, caf::infinite, sim::plan_batch{*plan, b})
    .receive(
      [&](sim::batch_result& r) {
        added = thread_count() - before;
        EXPECT_EQ(r.id, 7u);
        ASSERT_EQ(r.runs.size(), 50u);
        for (uint64_t i = 0; i < 50; ++i) {
          auto want = sim::run_indexed(**plan, i, self.ptr());
          ASSERT_TRUE(want) << render(want.error());
          EXPECT_EQ(sim::to_csv(r.runs[i]), sim::to_csv(*want)) << "run " << i;
        }
      },
      [&](caf::error& err) { ADD_FAILURE() << render(err); });
  anon_send_exit(pool, caf::exit_reason::user_shutdown);
  return added;
}

} // namespace

TEST(sweep_pool,
     runs_inline_batches_on_the_scheduler_or_on_threads_of_their_own) {
  auto sc = load("quickstart.yaml", 50);
  // A local sweep's pool: the scheduler's threads compute, none is added.
  EXPECT_EQ(pool_threads(sc, sim::engine_kind::inline_calls, true), 0u);
  // A worker node's pool (and that of a sweep with remote workers): one
  // blocking worker per thread.
  EXPECT_EQ(pool_threads(sc, sim::engine_kind::inline_calls, false), 2u);
  // The actor engine runs in a one-thread system (scheduler and CAF's clock
  // and printer threads) per thread, started for the thread that ran the
  // batch: in a local sweep's pool an event-based worker there runs and
  // measures the runs, no thread is added for it; else two blocking workers
  // per thread wait for the home and measure.
  EXPECT_EQ(pool_threads(sc, sim::engine_kind::actors, true), 3u);
  EXPECT_EQ(pool_threads(sc, sim::engine_kind::actors, false), 4u + 3u);
}

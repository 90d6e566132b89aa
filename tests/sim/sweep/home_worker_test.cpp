// The actor engine in a local sweep's pool: batches run and measured by an
// event-based worker in each thread's home. Queued batches that cross cells
// give run_indexed's runs, each to its own request; a failed batch fails
// alone; a pool stopped with batches in flight stops; a home worker answers
// its pool by ticket, refuses a batch with a run outside the sweep and tells
// its pool when it ends.

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/error.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/internal/home_worker.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"

using namespace caf::consensus;

namespace {

/// The quickstart scenario (4 cells) with `replicates` runs per cell, planned
/// for the actor engine.
std::shared_ptr<const sim::sweep_plan> quickstart_plan(uint64_t replicates) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  auto plan = sim::make_plan(*sc, sim::engine_kind::actors, true);
  if (!plan)
    throw std::runtime_error(render(plan.error()));
  return *plan;
}

sim::run_batch batch(uint64_t id, uint64_t first, uint64_t last) {
  sim::run_batch b{id, {}};
  for (auto i = first; i < last; ++i)
    b.runs.push_back(i);
  return b;
}

/// A local sweep's pool on `threads` threads that takes every core (actor
/// batches go to home workers), and an actor to talk to it; the pool stops
/// with this object.
struct home_pool {
  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::actor pool;
  caf::scoped_actor self;

  explicit home_pool(size_t threads)
    : sys(sim::configure_local_sweep(cfg, threads)),
      pool(sim::spawn_pool(sys, threads, true)),
      self(sys) {
    // nop
  }

  ~home_pool() {
    anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }
};

/// How long a test waits for an answer before it fails.
constexpr auto answer_timeout = std::chrono::seconds{60};

/// Checks `r` against runs of fresh actors per run.
void expect_runs(caf::scoped_actor& self, const sim::sweep_plan& p,
                 const sim::run_batch& b, const sim::batch_result& r) {
  EXPECT_EQ(r.id, b.id);
  ASSERT_EQ(r.runs.size(), b.runs.size()) << "batch " << b.id;
  for (size_t i = 0; i < b.runs.size(); ++i) {
    auto want = sim::run_indexed(p, b.runs[i], self.ptr());
    ASSERT_TRUE(want) << render(want.error());
    EXPECT_EQ(sim::to_csv(r.runs[i]), sim::to_csv(*want))
      << "batch " << b.id << ", run " << b.runs[i];
  }
}

} // namespace

TEST(sweep_home_worker, runs_queued_batches_across_cells_like_run_indexed) {
  auto plan = quickstart_plan(12); // cells at runs 0, 12, 24, 36
  home_pool hp{2};
  auto& self = hp.self;
  // Sent at once, so each home worker queues several; they cross cells,
  // come back to a cell another batch left, and repeat runs.
  std::vector<sim::run_batch> bs{batch(1, 0, 7),   batch(2, 7, 30),
                                 batch(3, 30, 48), batch(4, 2, 5),
                                 batch(5, 20, 40), batch(6, 0, 48)};
  std::vector<caf::response_handle<caf::blocking_actor, caf::message, true>> hs;
  for (auto& b : bs)
    hs.push_back(
      self->request(hp.pool, answer_timeout, sim::plan_batch{plan, b}));
  // Each answer goes to its own request.
  for (size_t i = 0; i < bs.size(); ++i)
    hs[i].receive(
      [&](sim::batch_result& r) { expect_runs(self, *plan, bs[i], r); },
      [&](caf::error& err) { ADD_FAILURE() << render(err); });
}

TEST(sweep_home_worker, a_failed_batch_fails_alone) {
  auto plan = quickstart_plan(5);
  // One thread: both batches queue on the same home worker.
  home_pool hp{1};
  auto& self = hp.self;
  auto bad = batch(1, 0, 3);
  bad.runs.push_back(plan->total + 4);
  auto good = batch(2, 0, 20);
  auto h1 = self->request(hp.pool, answer_timeout, sim::plan_batch{plan, bad});
  auto h2 = self->request(hp.pool, answer_timeout, sim::plan_batch{plan, good});
  h1.receive([&](sim::batch_result& r) { ADD_FAILURE() << "batch " << r.id; },
             [&](caf::error& err) {
               auto msg = render(err);
               EXPECT_NE(msg.find("run 24 is outside the sweep (20 runs)"),
                         std::string::npos)
                 << msg;
             });
  h2.receive([&](sim::batch_result& r) { expect_runs(self, *plan, good, r); },
             [&](caf::error& err) { ADD_FAILURE() << render(err); });
}

TEST(sweep_home_worker, a_pool_stopped_with_batches_in_flight_stops) {
  auto plan = quickstart_plan(50);
  {
    home_pool hp{2};
    for (uint64_t i = 0; i < 8; ++i)
      hp.self->send(hp.pool,
                    sim::plan_batch{plan, batch(i, i * 25, i * 25 + 25)});
    // One answer, so that the homes run; the rest are in flight when the
    // pool stops. The test holds no plan: only the batches in flight and
    // the actors serving them do (under ASan a participant that reads its
    // cell after the plan is gone fails the test).
    plan = nullptr;
    hp.self->receive([](sim::batch_result&) {},
                     [&](caf::error& err) { ADD_FAILURE() << render(err); },
                     caf::after(answer_timeout) >>
                       [] { ADD_FAILURE() << "no answer"; });
  } // the systems' destructors wait for every actor: a hang ends in ctest's
    // timeout
  SUCCEED();
}

TEST(sweep_home_worker, answers_its_pool_and_says_when_it_ends) {
  auto plan = quickstart_plan(5);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  sim::actor_home home;
  caf::scoped_actor self{sys};
  auto w = sim::spawn_home_worker(home, caf::actor_cast<caf::actor>(self.ptr()),
                                  sys);
  auto b = batch(1, 3, 12);
  sim::send_home_run(w, self->ctrl(), 42, sim::plan_batch{plan, b});
  self->receive(
    [&](sim::home_done_atom, uint64_t ticket, sim::batch_result& r) {
      EXPECT_EQ(ticket, 42u);
      expect_runs(self, *plan, b, r);
    },
    [&](sim::home_done_atom, uint64_t, caf::error& err) {
      ADD_FAILURE() << render(err);
    },
    caf::after(answer_timeout) >> [] { ADD_FAILURE() << "no answer"; });
  // A batch with a run outside the sweep is refused before any run.
  sim::send_home_run(w, self->ctrl(), 43,
                     sim::plan_batch{plan, sim::run_batch{2, {0, 99}}});
  self->receive(
    [&](sim::home_done_atom, uint64_t ticket, caf::error& err) {
      EXPECT_EQ(ticket, 43u);
      EXPECT_NE(render(err).find("run 99 is outside the sweep (20 runs)"),
                std::string::npos)
        << render(err);
    },
    [&](sim::home_done_atom, uint64_t, sim::batch_result&) {
      ADD_FAILURE() << "no error";
    },
    caf::after(answer_timeout) >> [] { ADD_FAILURE() << "no answer"; });
  // When the worker ends, its pool hears why.
  anon_send_exit(w, caf::exit_reason::kill);
  self->receive(
    [&](sim::home_down_atom, const caf::actor_addr& who, caf::error& reason) {
      EXPECT_EQ(who, w.address());
      EXPECT_EQ(reason, caf::exit_reason::kill);
    },
    caf::after(answer_timeout) >> [] { ADD_FAILURE() << "no notice"; });
}

// The actor engine with an `actor_home`: its actors live in the home's
// one-thread system, not in the caller's, and its runs equal the inline
// engine's; without a home it runs in the caller's system, also across
// threads that steal its participants.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/actor_home.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;

namespace {

/// The first cell of quickstart.yaml with `agents` agents in its first group
/// (its other groups keep theirs).
sim::scenario quickstart_cell(uint32_t agents) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  auto cell = sim::resolve_cell(*sc, 0);
  if (!cell)
    throw std::runtime_error(render(cell.error()));
  cell->groups.at(0).count = agents;
  return *cell;
}

size_t agents_of(const sim::scenario& cell) {
  size_t n = 0;
  for (auto& g : cell.groups)
    n += g.count;
  return n;
}

std::string inline_state(const sim::scenario& cell, uint64_t rep) {
  auto st = sim::run_state(cell, 0, rep, sim::engine_kind::inline_calls,
                           nullptr);
  return st ? caf::deep_to_string(*st) : render(st.error());
}

} // namespace

TEST(actor_home, hosts_the_engines_actors_and_its_runs_equal_inline_ones) {
  auto cell = quickstart_cell(40);
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{cfg};
  auto home = std::make_shared<sim::actor_home>();
  auto& home_sys = home->system();
  EXPECT_EQ(home_sys.scheduler().num_workers(), 1u);
  caf::scoped_actor self{sys};
  auto caller_running = sys.registry().running();
  auto home_running = home_sys.registry().running();
  {
    sim::actor_engine eng{self.ptr(), home};
    for (uint64_t rep = 0; rep < 3; ++rep) {
      auto st = eng.run(cell, sim::run_seed(cell, 0, rep));
      ASSERT_TRUE(st) << render(st.error());
      EXPECT_EQ(caf::deep_to_string(*st), inline_state(cell, rep)) << rep;
    }
    EXPECT_EQ(eng.spawns(), 1u);
    // One participant per agent, the coordinator, the driver and the actor
    // through which the engine waits for them, all in the home.
    EXPECT_EQ(home_sys.registry().running(),
              home_running + agents_of(cell) + 3);
    EXPECT_EQ(sys.registry().running(), caller_running);
  }
  // The engine stopped its actors.
  home_sys.await_all_actors_done();
  EXPECT_EQ(home_sys.registry().running(), home_running);
}

TEST(actor_home, engines_share_a_home_and_another_cell_respawns_there) {
  auto small = quickstart_cell(5);
  auto large = quickstart_cell(300);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto home = std::make_shared<sim::actor_home>();
  caf::scoped_actor a{sys};
  caf::scoped_actor b{sys};
  sim::actor_engine x{a.ptr(), home};
  sim::actor_engine y{b.ptr(), home};
  for (uint64_t rep = 0; rep < 2; ++rep) {
    auto sx = x.run(small, sim::run_seed(small, 0, rep));
    auto sy = y.run(large, sim::run_seed(large, 0, rep));
    ASSERT_TRUE(sx && sy);
    EXPECT_EQ(caf::deep_to_string(*sx), inline_state(small, rep));
    EXPECT_EQ(caf::deep_to_string(*sy), inline_state(large, rep));
  }
  auto actors_of = [](const sim::scenario& c) { return agents_of(c) + 3; };
  EXPECT_EQ(home->system().registry().running(),
            actors_of(small) + actors_of(large));
  auto again = x.run(large, sim::run_seed(large, 0, 7));
  ASSERT_TRUE(again);
  EXPECT_EQ(caf::deep_to_string(*again), inline_state(large, 7));
  EXPECT_EQ(x.spawns(), 2u);
  // Exact: the home's one thread ran the old actors' exit messages before
  // the new run's (one FIFO queue for messages from outside the home).
  EXPECT_EQ(home->system().registry().running(), 2 * actors_of(large));
}

// The runs' messages go to the home's scheduler, never to the caller's: a
// caller whose scheduler runs nothing unless the test drives it (`testing`)
// still gets its runs.
TEST(actor_home, the_runs_never_wait_for_the_callers_scheduler) {
  auto cell = quickstart_cell(20);
  caf::actor_system_config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  auto& sched
    = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto home = std::make_shared<sim::actor_home>();
  auto runs = std::async(std::launch::async, [&] {
    caf::scoped_actor self{sys};
    sim::actor_engine eng{self.ptr(), home};
    std::vector<std::string> out;
    for (uint64_t rep = 0; rep < 3; ++rep) {
      auto st = eng.run(cell, sim::run_seed(cell, 0, rep));
      out.push_back(st ? caf::deep_to_string(*st) : render(st.error()));
    }
    return out;
  });
  if (runs.wait_for(std::chrono::seconds{30}) != std::future_status::ready) {
    ADD_FAILURE() << "the runs wait for the caller's scheduler";
    while (runs.wait_for(std::chrono::milliseconds{1})
           != std::future_status::ready)
      sched.run();
  }
  auto got = runs.get();
  for (uint64_t rep = 0; rep < 3; ++rep)
    EXPECT_EQ(got[rep], inline_state(cell, rep)) << rep;
  EXPECT_TRUE(sched.jobs.empty());
}

// A sweep's two workers of one thread run their engines on their own
// threads against the same home, which starts on whichever asks first.
TEST(actor_home, engines_on_two_threads_share_a_home) {
  auto cell = quickstart_cell(60);
  std::vector<std::string> want;
  for (uint64_t rep = 0; rep < 6; ++rep)
    want.push_back(inline_state(cell, rep));
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto home = std::make_shared<sim::actor_home>();
  std::vector<std::string> got(want.size());
  auto work = [&](uint64_t first) {
    caf::scoped_actor self{sys};
    sim::actor_engine eng{self.ptr(), home};
    for (auto rep = first; rep < want.size(); rep += 2) {
      auto st = eng.run(cell, sim::run_seed(cell, 0, rep));
      got[rep] = st ? caf::deep_to_string(*st) : render(st.error());
    }
  };
  std::thread a{work, 0};
  std::thread b{work, 1};
  a.join();
  b.join();
  EXPECT_EQ(got, want);
  EXPECT_EQ(home->system().scheduler().num_workers(), 1u);
}

// Without a home the engine spawns in the caller's system; with two
// work-stealing threads the other thread steals participants of the round
// (2,500 agents: more than two of the coordinator's windows of 1,024
// requests per round).
TEST(actor_home, without_a_home_two_stealing_threads_give_the_same_runs) {
  auto cell = quickstart_cell(2500);
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  cfg.set("scheduler.policy", caf::atom("stealing"));
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto before = sys.registry().running();
  sim::actor_engine eng{self.ptr()};
  for (uint64_t rep = 0; rep < 2; ++rep) {
    auto st = eng.run(cell, sim::run_seed(cell, 0, rep));
    ASSERT_TRUE(st) << render(st.error());
    EXPECT_EQ(caf::deep_to_string(*st), inline_state(cell, rep)) << rep;
  }
  EXPECT_EQ(sys.registry().running(), before + agents_of(cell) + 2);
}

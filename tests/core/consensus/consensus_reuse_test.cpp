// Tests: `consensus` reuses its actors across runs, replaces dead ones and
// shuts down cleanly (suite consensus_reuse).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "caf/actor_cast.hpp"
#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"
#include "caf/system_messages.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

#include "core/consensus/rendezvous.hpp"
#include "core/consensus/reuse_helpers.hpp"

namespace cc = caf::consensus;

using cc::request;
using cc::state;
using namespace caf::consensus::test;

namespace {

std::string text_of(const caf::expected<state>& st) {
  if (!st)
    return "error: " + cc::render(st.error());
  return caf::deep_to_string(*st);
}

/// Records the actor sets a consensus spawns. Keeps only addresses: a strong
/// handle to a detached actor keeps the private actor system's destructor
/// waiting for that actor's thread.
struct spawn_log {
  std::mutex mtx;
  std::vector<caf::actor_addr> coordinators;
  std::vector<std::vector<caf::actor_addr>> participants;

  cc::consensus::spawn_observer observer() {
    return [this](const cc::actors::coordinator_actor& coord,
                  const std::vector<cc::actors::participant_actor>& hs) {
      std::lock_guard<std::mutex> guard{mtx};
      coordinators.push_back(coord.address());
      participants.emplace_back();
      for (auto& h : hs)
        participants.back().push_back(h.address());
    };
  }

  size_t count() {
    std::lock_guard<std::mutex> guard{mtx};
    return coordinators.size();
  }

  caf::actor coordinator(size_t set) {
    std::lock_guard<std::mutex> guard{mtx};
    return caf::actor_cast<caf::actor>(coordinators.at(set));
  }

  caf::actor participant(size_t set, size_t i) {
    std::lock_guard<std::mutex> guard{mtx};
    return caf::actor_cast<caf::actor>(participants.at(set).at(i));
  }
};

/// Blocks until `hdl` has terminated (monitoring it; no sleeping).
template <class Handle>
void await_termination(caf::actor_system& sys, const Handle& hdl) {
  caf::scoped_actor self{sys};
  self->monitor(hdl);
  self->receive([](const caf::down_msg&) {});
}

/// Runs `f` on a thread of its own and returns whether it finished within
/// `limit` (a hung `f` is left behind; the test fails).
bool finishes_within(std::chrono::seconds limit, std::function<void()> f) {
  std::promise<void> done;
  auto fut = done.get_future();
  std::thread t{[f{std::move(f)}, &done]() mutable {
    f();
    done.set_value();
  }};
  if (fut.wait_for(limit) != std::future_status::ready) {
    t.detach();
    return false;
  }
  t.join();
  return true;
}

} // namespace

// -- reuse --------------------------------------------------------------------

TEST(consensus_reuse, repeated_runs_reuse_one_set_and_match_the_inline_engine) {
  for (bool blocking : {true, false}) {
    spawn_log log;
    cc::consensus c{ids, answer, test_params()};
    c.blocking(blocking).observe_spawns(log.observer());
    for (auto prompt : {"first", "second", "first", "third", "second"}) {
      EXPECT_EQ(text_of(c.run(prompt)), inline_state(prompt, test_params()))
        << prompt << ", blocking = " << blocking;
      EXPECT_EQ(c.idle_sets(), 1u);
    }
    EXPECT_EQ(log.count(), 1u) << "blocking = " << blocking;
  }
}

TEST(consensus_reuse, async_participants_are_reused_too) {
  spawn_log log;
  cc::consensus c{ids,
                  [](const std::string& id, const request& req,
                     cc::result_callback done) { done(answer(id, req)); },
                  test_params()};
  c.observe_spawns(log.observer());
  for (auto prompt : {"one", "two", "three"})
    EXPECT_EQ(text_of(c.run(prompt)), inline_state(prompt, test_params()));
  EXPECT_EQ(log.count(), 1u);
}

TEST(consensus_reuse, a_changed_parameter_takes_effect_on_the_next_run) {
  spawn_log log;
  cc::consensus c{ids, answer, test_params(7)};
  c.observe_spawns(log.observer());
  ASSERT_EQ(text_of(c.run("q")), inline_state("q", test_params(7)));
  // Through the mutable reference: another seed, then another round count.
  c.parameters().seed = 8;
  ASSERT_NE(inline_state("q", test_params(7)),
            inline_state("q", test_params(8)));
  EXPECT_EQ(text_of(c.run("q")), inline_state("q", test_params(8)));
  EXPECT_EQ(log.count(), 2u);
  c.parameters().rounds = 1;
  auto ps = test_params(8);
  ps.rounds = 1;
  auto st = c.run("q");
  EXPECT_EQ(text_of(st), inline_state("q", ps));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->rounds_executed, 1);
  EXPECT_EQ(log.count(), 3u);
  // Unchanged parameters keep the set.
  EXPECT_EQ(text_of(c.run("q")), inline_state("q", ps));
  EXPECT_EQ(log.count(), 3u);
  EXPECT_EQ(c.idle_sets(), 1u);
}

TEST(consensus_reuse, every_property_setter_stops_the_idle_sets) {
  spawn_log log;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  cc::consensus c{ids, answer, test_params()};
  c.observe_spawns(log.observer());
  auto expected = inline_state("q", test_params());
  std::vector<std::function<void()>> changes{
    [&] { c.blocking(false); },
    [&] { c.system(sys); },
    [&] { c.similarity(nullptr); },
    [&] { c.policy(nullptr); },
  };
  ASSERT_EQ(text_of(c.run("q")), expected);
  size_t spawned = 1;
  for (auto& change : changes) {
    ASSERT_EQ(c.idle_sets(), 1u);
    change();
    EXPECT_EQ(c.idle_sets(), 0u);
    EXPECT_EQ(text_of(c.run("q")), expected);
    EXPECT_EQ(log.count(), ++spawned);
  }
  // The last sets run in `sys`: its destructor only returns because the
  // consensus stops them first.
}

TEST(consensus_reuse, a_participant_killed_while_idle_is_replaced) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  spawn_log log;
  cc::consensus c{ids, answer, test_params()};
  c.system(sys).observe_spawns(log.observer());
  ASSERT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  auto victim = log.participant(0, 1);
  ASSERT_TRUE(victim);
  caf::anon_send_exit(victim, caf::exit_reason::kill);
  await_termination(sys, victim);
  // The next run succeeds normally on new actors.
  auto st = c.run("q");
  EXPECT_EQ(text_of(st), inline_state("q", test_params()));
  ASSERT_TRUE(st);
  EXPECT_EQ(st->failures, 0u);
  EXPECT_EQ(log.count(), 2u);
  EXPECT_EQ(c.idle_sets(), 1u);
}

TEST(consensus_reuse, a_coordinator_killed_while_idle_is_replaced) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  spawn_log log;
  cc::consensus c{ids, answer, test_params()};
  c.system(sys).observe_spawns(log.observer());
  ASSERT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  auto coord = log.coordinator(0);
  ASSERT_TRUE(coord);
  caf::anon_send_exit(coord, caf::exit_reason::kill);
  await_termination(sys, coord);
  EXPECT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  EXPECT_EQ(log.count(), 2u);
}

TEST(consensus_reuse, a_coordinator_killed_during_a_run_ends_it_with_an_error) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  spawn_log log;
  std::promise<void> entered;
  auto entered_f = entered.get_future();
  std::promise<void> release;
  auto release_f = release.get_future().share();
  std::atomic<bool> first{true};
  cc::consensus c{ids,
                  [&](const std::string& id, const request& req) {
                    // The first call of the first run waits: the run is in
                    // progress while the test kills its coordinator.
                    if (first.exchange(false)) {
                      entered.set_value();
                      release_f.wait_for(std::chrono::seconds{60});
                    }
                    return answer(id, req);
                  },
                  test_params()};
  c.system(sys).observe_spawns(log.observer());
  std::promise<caf::expected<state>> result;
  auto result_f = result.get_future();
  std::thread runner{[&] { result.set_value(c.run("q")); }};
  ASSERT_EQ(entered_f.wait_for(std::chrono::seconds{30}),
            std::future_status::ready);
  auto coord = log.coordinator(0);
  caf::anon_send_exit(coord, caf::exit_reason::kill);
  await_termination(sys, coord);
  // The caller gets an error instead of waiting forever.
  auto status = result_f.wait_for(std::chrono::seconds{30});
  release.set_value();
  if (status != std::future_status::ready) {
    runner.detach();
    FAIL() << "run() still waits after its coordinator terminated";
  }
  runner.join();
  auto st = result_f.get();
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().category(), cc::errc_category);
  EXPECT_EQ(static_cast<cc::errc>(st.error().code()), cc::errc::execute_failed);
  EXPECT_NE(sys.render(st.error()).find("coordinator terminated"),
            std::string::npos)
    << sys.render(st.error());
  // The next run gets a new set and succeeds.
  EXPECT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  EXPECT_EQ(log.count(), 2u);
}

TEST(consensus_reuse, a_participant_that_takes_down_its_actor_is_replaced) {
  spawn_log log;
  std::atomic<bool> armed{false};
  cc::consensus c{ids,
                  [&](const std::string& id, const request& req) {
                    // In the armed run, "c" stops its own actor in round 0:
                    // it answers that call, then its actor is gone.
                    if (id == "c" && req.round == 0 && armed.exchange(false))
                      caf::anon_send_exit(log.participant(0, 2),
                                          caf::exit_reason::kill);
                    return answer(id, req);
                  },
                  test_params()};
  c.observe_spawns(log.observer());
  ASSERT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  armed = true;
  auto broken = c.run("q");
  ASSERT_TRUE(broken) << cc::render(broken.error());
  EXPECT_TRUE(broken->responses[2][0].ok);
  EXPECT_EQ(broken->failures, 3u); // "c" in rounds 1..3
  for (size_t r = 1; r < broken->responses[2].size(); ++r)
    EXPECT_FALSE(broken->responses[2][r].ok);
  // Its next run succeeds normally, on a new set.
  auto st = c.run("q");
  EXPECT_EQ(text_of(st), inline_state("q", test_params()));
  EXPECT_EQ(log.count(), 2u);
}

TEST(consensus_reuse, concurrent_runs_on_one_object_get_sets_of_their_own) {
  spawn_log log;
  // Participant "a" of the first round of the first two runs waits until
  // both runs are in that call: they overlap for sure.
  rendezvous meet{2};
  std::atomic<int> first_calls{0};
  std::atomic<bool> met{true};
  cc::consensus c{ids,
                  [&](const std::string& id, const request& req) {
                    if (id == "a" && req.round == 0 && first_calls++ < 2)
                      if (!meet.arrive_and_wait(std::chrono::seconds{20}))
                        met = false;
                    return answer(id, req);
                  },
                  test_params()};
  c.observe_spawns(log.observer());
  std::vector<std::string> outcomes[2];
  auto work = [&](int k) {
    for (int i = 0; i < 10; ++i)
      outcomes[k].push_back(
        text_of(c.run("prompt " + std::to_string((i + k) % 3))));
  };
  std::thread t0{work, 0};
  std::thread t1{work, 1};
  t0.join();
  t1.join();
  EXPECT_TRUE(met.load()) << "the first runs did not overlap";
  for (int k = 0; k < 2; ++k) {
    ASSERT_EQ(outcomes[k].size(), 10u);
    for (int i = 0; i < 10; ++i)
      EXPECT_EQ(outcomes[k][i],
                inline_state("prompt " + std::to_string((i + k) % 3),
                             test_params()))
        << "thread " << k << ", run " << i;
  }
  EXPECT_EQ(log.count(), 2u);
  EXPECT_EQ(c.idle_sets(), 2u);
}

TEST(consensus_reuse, a_run_with_a_timeout_does_not_reuse_its_set) {
  // "mute" never calls back: its participant may still hold the call.
  spawn_log log;
  auto ps = test_params();
  ps.rounds = 0;
  ps.timeout_ms = 20;
  cc::consensus c{{"talker", "mute"},
                  [](const std::string& id, const request& req,
                     cc::result_callback done) {
                    if (id == "talker")
                      done(cc::make_ok(id, "hello", 1, req.round));
                  },
                  ps};
  c.observe_spawns(log.observer());
  for (int i = 1; i <= 2; ++i) {
    auto st = c.run("q");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->timeouts, 1u);
    EXPECT_EQ(c.idle_sets(), 0u);
    EXPECT_EQ(log.count(), static_cast<size_t>(i));
  }
}

TEST(consensus_reuse, a_moved_consensus_keeps_its_idle_actors) {
  spawn_log log;
  cc::consensus c{ids, answer, test_params()};
  c.observe_spawns(log.observer());
  ASSERT_EQ(text_of(c.run("q")), inline_state("q", test_params()));
  cc::consensus moved{std::move(c)};
  EXPECT_EQ(moved.idle_sets(), 1u);
  EXPECT_EQ(text_of(moved.run("r")), inline_state("r", test_params()));
  EXPECT_EQ(log.count(), 1u);
  // Move assignment stops the target's own idle actors (and system).
  spawn_log other_log;
  cc::consensus other{ids, answer, test_params()};
  other.observe_spawns(other_log.observer());
  ASSERT_TRUE(other.run("q"));
  ASSERT_TRUE(finishes_within(std::chrono::seconds{30},
                              [&] { other = std::move(moved); }));
  EXPECT_EQ(text_of(other.run("s")), inline_state("s", test_params()));
  EXPECT_EQ(log.count(), 1u);
}

// -- destruction --------------------------------------------------------------

TEST(consensus_reuse, destruction_with_idle_actors_returns_with_an_own_system) {
  for (bool blocking : {true, false}) {
    auto c = std::make_unique<cc::consensus>(ids, answer, test_params());
    c->blocking(blocking);
    ASSERT_TRUE(c->run("q"));
    ASSERT_EQ(c->idle_sets(), 1u);
    // The private actor system waits for every actor it hosts.
    EXPECT_TRUE(finishes_within(std::chrono::seconds{30}, [&] { c.reset(); }))
      << "blocking = " << blocking;
  }
}

TEST(consensus_reuse,
     destruction_with_idle_actors_returns_with_an_external_system) {
  for (bool blocking : {true, false}) {
    EXPECT_TRUE(finishes_within(std::chrono::seconds{30},
                                [blocking] {
                                  caf::actor_system_config cfg;
                                  caf::actor_system sys{cfg};
                                  {
                                    cc::consensus c{ids, answer, test_params()};
                                    c.system(sys).blocking(blocking);
                                    ASSERT_TRUE(c.run("q"));
                                    ASSERT_TRUE(c.run("r"));
                                    ASSERT_EQ(c.idle_sets(), 1u);
                                  }
                                  // `sys` waits for every actor: it returns
                                  // only if the consensus stopped its idle set.
                                }))
      << "blocking = " << blocking;
  }
}

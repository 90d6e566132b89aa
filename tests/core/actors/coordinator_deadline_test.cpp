// caf-consensus: the coordinator keeps at most one deadline timer in flight
// (CAF 0.17 cannot cancel delayed messages; one more only while a run with a
// shorter per-run timeout needs it), yet every round still times out exactly
// `timeout_ms` after it started. Deterministic scheduler, virtual time.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/scheduler/test_coordinator.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"

using namespace caf::consensus;
using namespace std::chrono_literals;

namespace {

class deadline_fixture : public ::testing::Test {
protected:
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    return cfg;
  }

  deadline_fixture()
    : sys(init(cfg)),
      sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())) {
    // nop
  }

  ~deadline_fixture() override {
    for (auto& hdl : spawned)
      caf::anon_send_exit(hdl, caf::exit_reason::user_shutdown);
    sched.run();
  }

  caf::timespan now() {
    return sched.clock().now().time_since_epoch();
  }

  size_t pending_timers() {
    return sched.clock().schedule().size();
  }

  /// A participant that answers at once, or keeps the callback for the test
  /// to call later when `hold` says so for the request.
  actors::participant_actor
  participant(const std::string& id, std::function<bool(const request&)> hold) {
    auto hdl = actors::spawn_async_participant(
      sys, id,
      [this, hold](const std::string& who, const request& req,
                   actors::result_callback done) {
        if (hold(req)) {
          held.push_back(std::move(done));
          return;
        }
        done(make_ok(who, who + " says " + std::to_string(req.round), 0));
      });
    spawned.push_back(hdl.address());
    return hdl;
  }

  struct outcome {
    std::optional<state> st;
    caf::timespan at{0};
  };

  /// Runs the coordinator with the parameters of its spawn, or with `ps`.
  std::shared_ptr<outcome> start(actors::coordinator_actor coord,
                                 std::optional<params> ps = std::nullopt) {
    spawned.push_back(coord.address());
    auto out = std::make_shared<outcome>();
    auto* sp = &sched;
    auto done = [=](state& st) {
      out->st = std::move(st);
      out->at = sp->clock().now().time_since_epoch();
    };
    // The prompt is a spawn argument: CAF 0.17 dereferences a null
    // shared_ptr<tuple<>> when spawning a function without arguments.
    sys.spawn(
      [=](caf::event_based_actor* self, const std::string& q) {
        if (ps)
          self->request(coord, caf::infinite, actors::run_atom::value, q, *ps)
            .then(done);
        else
          self->request(coord, caf::infinite, actors::run_atom::value, q)
            .then(done);
      },
      std::string{"q"});
    sched.run();
    return out;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  std::vector<caf::actor_addr> spawned;
  std::vector<actors::result_callback> held;
};

params with_timeout(int32_t rounds, int64_t timeout_ms) {
  params ps;
  ps.rounds = rounds;
  ps.beta_1 = 2.0; // every round runs
  ps.timeout_ms = timeout_ms;
  return ps;
}

} // namespace

TEST_F(deadline_fixture, a_round_after_an_early_round_keeps_its_full_time) {
  // Round 0 ends at 30 ms (b answers late); in round 1 b is silent. Round 1
  // must time out at 30 + 100 ms, not at the 100 ms of the timer that round
  // 0 armed.
  std::vector<actors::participant_actor> hs{
    participant("a", [](const request&) { return false; }),
    participant("b", [](const request&) { return true; })};
  auto coord = actors::spawn_coordinator(sys, {"a", "b"}, hs,
                                         with_timeout(1, 100));
  auto t0 = now();
  auto out = start(coord);
  ASSERT_EQ(held.size(), 1u);
  sched.clock().current_time += 30ms;
  held[0](make_ok("b", "b says 0", 30));
  sched.run();
  ASSERT_EQ(held.size(), 2u) << "round 1 has started";
  EXPECT_EQ(pending_timers(), 1u) << "no second timer for round 1";
  // The old timer fires at 100 ms and re-arms for the rest of round 1.
  ASSERT_TRUE(sched.trigger_timeout());
  sched.run();
  EXPECT_EQ(now() - t0, 100ms);
  EXPECT_FALSE(out->st);
  EXPECT_EQ(pending_timers(), 1u);
  ASSERT_TRUE(sched.trigger_timeout());
  sched.run();
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 130ms);
  auto& st = *out->st;
  EXPECT_EQ(st.elapsed_ms, 130);
  EXPECT_EQ(st.timeouts, 1u);
  ASSERT_EQ(st.responses[1].size(), 2u);
  EXPECT_FALSE(st.responses[1][1].ok);
  EXPECT_EQ(st.responses[1][1].ms, 100);
  // A late callback changes nothing.
  held[1](make_ok("b", "too late", 1));
  sched.run();
}

TEST_F(deadline_fixture, instant_rounds_leave_at_most_one_timer) {
  std::vector<actors::participant_actor> hs{
    participant("a", [](const request&) { return false; }),
    participant("b", [](const request&) { return false; }),
    participant("c", [](const request&) { return false; })};
  auto coord = actors::spawn_coordinator(sys, {"a", "b", "c"}, hs,
                                         with_timeout(20, 60000));
  auto out = start(coord);
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->st->rounds_executed, 20);
  EXPECT_EQ(out->st->timeouts, 0u);
  // One timer for the whole run (21 rounds), not one per round.
  EXPECT_EQ(pending_timers(), 1u);
  // The coordinator runs again with the stale timer still in flight; its
  // rounds keep their full time.
  auto again = start(coord);
  ASSERT_TRUE(again->st);
  EXPECT_EQ(pending_timers(), 1u);
  ASSERT_TRUE(sched.trigger_timeout());
  sched.run();
  EXPECT_FALSE(sched.has_pending_timeout()) << "an idle coordinator re-arms "
                                               "nothing";
}

TEST_F(deadline_fixture,
       every_round_of_a_silent_participant_takes_the_timeout) {
  std::vector<actors::participant_actor> hs{
    participant("a", [](const request&) { return false; }),
    participant("mute", [](const request&) { return true; })};
  auto coord = actors::spawn_coordinator(sys, {"a", "mute"}, hs,
                                         with_timeout(3, 250));
  auto t0 = now();
  auto out = start(coord);
  while (!out->st && sched.trigger_timeout())
    sched.run();
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 1000ms); // 4 rounds x 250 ms
  EXPECT_EQ(out->st->elapsed_ms, 1000);
  EXPECT_EQ(out->st->timeouts, 4u);
}

TEST_F(deadline_fixture, a_run_with_a_shorter_timeout_gets_a_timer_in_time) {
  // The first run leaves its 60 s timer in flight; the second run brings a
  // 250 ms timeout of its own (per-run parameters) and must not wait for the
  // old timer.
  bool mute = false;
  std::vector<actors::participant_actor> hs{
    participant("a", [](const request&) { return false; }),
    participant("b", [&mute](const request&) { return mute; })};
  auto coord = actors::spawn_coordinator(sys, {"a", "b"}, hs,
                                         with_timeout(1, 60000));
  auto first = start(coord);
  ASSERT_TRUE(first->st);
  EXPECT_EQ(pending_timers(), 1u);
  mute = true;
  auto t0 = now();
  auto out = start(coord, with_timeout(1, 250));
  EXPECT_EQ(pending_timers(), 2u);
  while (!out->st && sched.trigger_timeout())
    sched.run();
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 500ms); // 2 rounds x 250 ms
  EXPECT_EQ(out->st->timeouts, 2u);
  EXPECT_EQ(pending_timers(), 1u) << "only the first run's timer is left";
  // The one-argument form uses the spawn's 60 s again.
  mute = false;
  auto third = start(coord);
  ASSERT_TRUE(third->st);
  EXPECT_EQ(third->st->timeouts, 0u);
  EXPECT_EQ(pending_timers(), 1u);
}

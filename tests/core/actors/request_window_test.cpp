// Tests: a coordinator with `max_in_flight` keeps at most that many requests
// of a round unanswered, asks in participant order, and reaches the same
// state as without a window (suite actors_fixture).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/actors/coordinator.hpp"

#include "core/actors/actors_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

namespace {

/// Counts the requests the participants received and the most that were
/// unanswered at once (answers are the fixture's `deliveries`).
struct window_probe {
  size_t asked = 0;
  size_t most_in_flight = 0;
};

params window_params() {
  params ps;
  ps.rounds = 2;
  ps.k = 2;
  ps.alpha = 0.5;
  ps.beta_1 = 1.5;
  ps.seed = 5;
  ps.timeout_ms = 1000;
  return ps;
}

} // namespace

TEST_F(actors_fixture, a_window_bounds_the_requests_in_flight) {
  strings ids{"p0", "p1", "p2", "p3", "p4", "p5"};
  auto run_with = [&](size_t window) {
    auto probe = std::make_shared<window_probe>();
    std::vector<actors::participant_actor> hs;
    auto answered = deliveries;
    for (auto& id : ids)
      hs.push_back(participant(id, [probe, answered](const request& req) {
        ++probe->asked;
        probe->most_in_flight = std::max(probe->most_in_flight,
                                         probe->asked - answered->size());
        auto s = disjoint_after(10ms, req);
        s.text += " common words";
        return s;
      }));
    deliveries->clear();
    auto t0 = now();
    auto out = run(coordinator(ids, hs, window_params(), {}, window));
    EXPECT_TRUE(out.st);
    EXPECT_EQ(probe->asked, 18u); // 6 participants x 3 rounds
    return std::make_tuple(out, out.at - t0, probe->most_in_flight);
  };
  auto [all, all_time, all_most] = run_with(0);
  auto [two, two_time, two_most] = run_with(2);
  EXPECT_EQ(all_most, 6u);
  EXPECT_EQ(all_time, 30ms); // 3 rounds of 10 ms
  EXPECT_EQ(two_most, 2u);
  EXPECT_EQ(two_time, 90ms); // 3 rounds of 3 x 10 ms
  // Asked in participant order: p0 and p1 answer first.
  ASSERT_GE(deliveries->size(), 2u);
  EXPECT_EQ((*deliveries)[0], "p0/0");
  EXPECT_EQ((*deliveries)[1], "p1/0");
  ASSERT_TRUE(all.st && two.st);
  EXPECT_EQ(caf::deep_to_string(*all.st), caf::deep_to_string(*two.st));
}

TEST_F(actors_fixture, with_a_window_the_unasked_time_out_at_the_deadline) {
  auto log = std::make_shared<recording>();
  strings ids{"mute", "b", "c"};
  std::vector<actors::participant_actor> hs{
    participant("mute", silent_script()),
    participant("b",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("c",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log), 1);
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  // The silent participant holds the only place until each deadline.
  EXPECT_EQ(out.at - t0, 200ms);
  EXPECT_EQ(calls_of("mute"), 2u);
  EXPECT_EQ(calls_of("b"), 0u);
  EXPECT_EQ(calls_of("c"), 0u);
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results)
    for (auto& r : rs)
      EXPECT_TRUE(r.timed_out) << r.id;
}

TEST_F(actors_fixture, with_a_window_a_dying_participant_frees_its_place) {
  auto log = std::make_shared<recording>();
  strings ids{"mortal", "b"};
  std::vector<actors::participant_actor> hs{
    participant("mortal", dying_script(30ms)),
    participant("b",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000),
                           recording_options(log), 1);
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  // Round 0: mortal dies at 30 ms, then b answers 10 ms later; round 1 fails
  // mortal at once and asks b.
  EXPECT_EQ(out.at - t0, 50ms);
  EXPECT_EQ(calls_of("mortal"), 1u);
  EXPECT_EQ(calls_of("b"), 2u);
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results) {
    EXPECT_EQ(rs[0].error, "participant down: user_shutdown");
    EXPECT_TRUE(rs[1].ok);
  }
}

TEST_F(actors_fixture, with_a_window_a_participant_known_down_fails_at_once) {
  auto log = std::make_shared<recording>();
  strings ids{"mute", "gone"};
  std::vector<actors::participant_actor> hs{
    participant("mute", silent_script()),
    participant("gone",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log), 1);
  caf::anon_send_exit(hs[1], caf::exit_reason::user_shutdown);
  sched.run(); // the coordinator learns that `gone` is down
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(calls_of("gone"), 0u);
  ASSERT_EQ(log->results.size(), 2u);
  // Behind the silent participant's place, but failed as down at once, as
  // without a window: never a timeout.
  for (auto& rs : log->results) {
    EXPECT_TRUE(rs[0].timed_out);
    EXPECT_FALSE(rs[1].timed_out);
    EXPECT_EQ(rs[1].error, "participant down: user_shutdown");
  }
}

TEST_F(actors_fixture,
       rounds_of_participants_that_are_all_down_do_not_recurse) {
  strings ids{"a", "b"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(1ms, req); }),
    participant("b",
                [](const request& req) { return disjoint_after(1ms, req); })};
  auto ps = disjoint_params(200000, 100);
  auto coord = coordinator(ids, hs, ps, {}, 0);
  for (auto& h : hs)
    caf::anon_send_exit(h, caf::exit_reason::user_shutdown);
  sched.run();
  // 200,001 rounds that complete as they start: one stack frame per round
  // would overflow the stack (and AddressSanitizer's much sooner).
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(calls_of("a"), 0u);
  EXPECT_EQ(out.st->failures, 2u * 200001u);
}

TEST_F(actors_fixture, without_a_deadline_a_round_waits_for_every_answer) {
  strings ids{"slow", "b"};
  std::vector<actors::participant_actor> hs{
    participant("slow",
                [](const request& req) { return disjoint_after(500ms, req); }),
    participant("b",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto log = std::make_shared<recording>();
  auto coord = actors::spawn_coordinator(sys, ids, hs, disjoint_params(1, 100),
                                         recording_options(log), {0, false});
  spawned.push_back(coord.address());
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  // Two rounds of 500 ms, five times the 100 ms timeout: nobody timed out.
  EXPECT_EQ(out.at - t0, 1000ms);
  EXPECT_EQ(out.st->timeouts, 0u);
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results)
    for (auto& r : rs)
      EXPECT_TRUE(r.ok) << r.id;
}

// Tests: failing, refusing, dying and killed participants become failed
// results (suite actors_fixture).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"

#include "core/actors/actors_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

// -- failures -----------------------------------------------------------------

TEST_F(actors_fixture, a_throwing_participant_fails_with_the_exception_text) {
  auto log = std::make_shared<recording>();
  strings ids{"ok", "thrower"};
  auto thrower_calls = std::make_shared<int>(0);
  std::vector<actors::participant_actor> hs{
    participant("ok",
                [](const request& req) { return disjoint_after(10ms, req); }),
    keep(actors::spawn_participant(
      sys, "thrower",
      [thrower_calls](const std::string&, const request&) -> result {
        ++*thrower_calls;
        throw std::runtime_error("model exploded");
      },
      false))};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 20ms); // the exception costs no virtual time
  EXPECT_EQ(*thrower_calls, 2);
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[1].ok);
    EXPECT_FALSE(rs[1].timed_out);
    EXPECT_EQ(rs[1].id, "thrower");
    EXPECT_EQ(rs[1].error, "exception in execute: model exploded");
  }
  EXPECT_EQ(out.st->failures, 2u);
  EXPECT_EQ(out.st->timeouts, 0u);
}

TEST_F(actors_fixture, a_sync_participant_answers_with_its_result) {
  strings ids{"s1", "s2"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(keep(actors::spawn_participant(
      sys, id,
      [](const std::string& who, const request& req) {
        return make_ok(who, "same answer", 42, req.round);
      },
      false)));
  auto coord = coordinator(ids, hs, disjoint_params(3, 1000));
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_TRUE(out.st->finalized);
  EXPECT_EQ(out.st->rounds_executed, 1);
  EXPECT_EQ(out.st->responses[0][0].ms, 42);
  EXPECT_EQ(out.st->synthesis, "same answer");
}

TEST_F(actors_fixture, an_error_reply_becomes_a_failed_result) {
  auto log = std::make_shared<recording>();
  strings ids{"ok", "rude"};
  std::vector<actors::participant_actor> hs{
    participant("ok",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("rude", [](const request&) {
      step s;
      s.kind = step::refuse;
      return s;
    })};
  auto coord = coordinator(ids, hs, disjoint_params(0, 1000),
                           recording_options(log));
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  auto& r = log->results.at(0).at(1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.rfind("error: ", 0), 0u) << r.error;
  EXPECT_NE(r.error.find("rude refuses"), std::string::npos) << r.error;
}

TEST_F(actors_fixture, a_participant_that_dies_fails_at_once_and_afterwards) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "mortal", "c"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("mortal", dying_script(30ms)),
    participant("c",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  // Round 0 ends when mortal dies (30 ms), not at the 1000 ms deadline;
  // rounds 1 and 2 fail it immediately and last 10 ms each.
  EXPECT_EQ(out.at - t0, 50ms);
  EXPECT_EQ(calls_of("mortal"), 1u);
  ASSERT_EQ(log->results.size(), 3u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[1].ok);
    EXPECT_FALSE(rs[1].timed_out);
    EXPECT_EQ(rs[1].error, "participant down: user_shutdown");
    EXPECT_TRUE(rs[0].ok);
    EXPECT_TRUE(rs[2].ok);
  }
  EXPECT_EQ(out.st->failures, 3u);
  EXPECT_EQ(out.st->timeouts, 0u);
}

TEST_F(actors_fixture, a_participant_killed_mid_round_fails_at_kill_time) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "victim"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("victim",
                [](const request& req) { return disjoint_after(80ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000),
                           recording_options(log));
  auto t0 = now();
  auto out = start(coord);
  advance(25ms);
  EXPECT_FALSE(out->done());
  caf::anon_send_exit(hs[1], caf::exit_reason::kill);
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 35ms); // killed at 25 ms, round 1 lasts 10 ms
  auto& r = log->results.at(0).at(1);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "participant down: kill");
  EXPECT_EQ(calls_of("victim"), 1u);
}

TEST_F(actors_fixture, a_run_with_only_dead_participants_completes_at_once) {
  strings ids{"x", "y"};
  std::vector<actors::participant_actor> hs{
    participant("x",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("y",
                [](const request& req) { return disjoint_after(10ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  sched.run();
  for (auto& h : hs)
    caf::anon_send_exit(h, caf::exit_reason::kill);
  sched.run(); // the coordinator sees both down messages
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 0ms);
  EXPECT_EQ(out.st->calls, 6u);
  EXPECT_EQ(out.st->failures, 6u);
  EXPECT_EQ(out.st->winner, "");
  EXPECT_EQ(calls_of("x"), 0u);
}

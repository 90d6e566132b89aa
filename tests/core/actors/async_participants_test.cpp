// Tests: asynchronous participants answer through a callback, late answers
// are ignored (suite actors_fixture).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"

#include "core/actors/actors_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

// -- asynchronous participants ------------------------------------------------

TEST_F(actors_fixture, async_participants_answer_through_the_callback) {
  auto log = std::make_shared<recording>();
  strings ids{"sync-cb", "never", "thrower", "twice"};
  auto never_calls = std::make_shared<int>(0);
  std::vector<actors::participant_actor> hs{
    keep(actors::spawn_async_participant(
      sys, "sync-cb",
      [](const std::string& id, const request& req, result_callback done) {
        done(make_ok(id, "called back in round " + std::to_string(req.round), 3,
                     req.round));
      })),
    keep(actors::spawn_async_participant(
      sys, "never",
      [never_calls](const std::string&, const request&, result_callback) {
        ++*never_calls;
      })),
    keep(actors::spawn_async_participant(sys, "thrower",
                                         [](const std::string&, const request&,
                                            result_callback) {
                                           throw std::logic_error("bad agent");
                                         })),
    keep(actors::spawn_async_participant(
      sys, "twice",
      [](const std::string& id, const request& req, result_callback done) {
        done(make_ok(id, "first", 1, req.round));
        done(make_ok(id, "second", 2, req.round)); // ignored
      })),
  };
  auto coord = coordinator(ids, hs, disjoint_params(1, 250),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 500ms); // "never" makes both rounds last 250 ms
  EXPECT_EQ(*never_calls, 2);
  ASSERT_EQ(log->results.size(), 2u);
  for (int32_t r = 0; r <= 1; ++r) {
    auto& rs = log->results[r];
    EXPECT_TRUE(rs[0].ok);
    EXPECT_EQ(rs[0].output, "called back in round " + std::to_string(r));
    EXPECT_EQ(rs[0].ms, 3);
    EXPECT_TRUE(rs[1].timed_out);
    EXPECT_EQ(rs[1].ms, 250);
    EXPECT_FALSE(rs[2].ok);
    EXPECT_EQ(rs[2].error, "exception in execute: bad agent");
    EXPECT_TRUE(rs[3].ok);
    EXPECT_EQ(rs[3].output, "first");
  }
  EXPECT_EQ(out.st->responses[3].size(), 2u);
}

TEST_F(actors_fixture, async_callbacks_may_fire_later_and_in_any_order) {
  std::vector<std::pair<result_callback, result>> pending;
  strings ids{"a", "b", "c"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(keep(actors::spawn_async_participant(
      sys, id,
      [&pending](const std::string& who, const request& req,
                 result_callback done) {
        pending.emplace_back(std::move(done),
                             make_ok(who, "shared answer", 10, req.round));
      })));
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  auto t0 = now();
  auto out = start(coord);
  sched.run();
  ASSERT_EQ(pending.size(), 3u);
  advance(40ms);
  // Complete round 0 in reverse order, 40 ms later.
  for (auto i = pending.rbegin(); i != pending.rend(); ++i)
    i->first(i->second);
  pending.clear();
  sched.run();
  ASSERT_EQ(pending.size(), 3u); // round 1 started
  for (auto& [done, r] : pending)
    done(r);
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  EXPECT_EQ(out->at - t0, 40ms);
  EXPECT_EQ(out->st->rounds_executed, 1); // identical answers: beta_1
  EXPECT_TRUE(out->st->finalized);
  EXPECT_EQ(out->st->winner, "a");
}

TEST_F(actors_fixture, a_callback_after_the_deadline_is_ignored) {
  auto log = std::make_shared<recording>();
  std::vector<result_callback> late;
  strings ids{"prompt", "tardy"};
  std::vector<actors::participant_actor> hs{
    participant("prompt",
                [](const request& req) { return disjoint_after(5ms, req); }),
    keep(actors::spawn_async_participant(
      sys, "tardy",
      [&late](const std::string&, const request&, result_callback done) {
        late.push_back(std::move(done));
      })),
  };
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log));
  auto out = start(coord);
  advance(100ms); // round 0 times out for tardy
  ASSERT_EQ(late.size(), 2u);
  late[0](make_ok("tardy", "too late for round 0", 1));
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  // The late round-0 answer is delivered to round 0's request, which the
  // coordinator no longer waits for: round 1 still times out.
  ASSERT_EQ(log->results.size(), 2u);
  EXPECT_TRUE(log->results[0][1].timed_out);
  EXPECT_TRUE(log->results[1][1].timed_out);
  EXPECT_EQ(out->st->timeouts, 2u);
}

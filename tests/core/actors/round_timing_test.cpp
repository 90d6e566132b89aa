// Tests: each round of the coordinator lasts until its slowest answer or the
// deadline (suite actors_fixture).

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

// -- round timing -------------------------------------------------------------

TEST_F(actors_fixture, each_round_lasts_as_long_as_its_slowest_answer) {
  std::vector<actors::participant_actor> hs;
  strings ids{"p10", "p20", "p30"};
  for (size_t i = 0; i < ids.size(); ++i) {
    auto delay = caf::timespan{std::chrono::milliseconds{10 * (i + 1)}};
    hs.push_back(participant(ids[i], [delay](const request& req) {
      return disjoint_after(delay, req);
    }));
  }
  auto coord = coordinator(ids, hs, disjoint_params(2, 1000));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 90ms); // 3 rounds x 30 ms
  EXPECT_EQ(out.st->rounds_executed, 2);
  EXPECT_EQ(out.st->elapsed_ms, 90);
  EXPECT_EQ(out.st->calls, 9u);
  EXPECT_EQ(out.st->failures, 0u);
  for (auto& id : ids)
    EXPECT_EQ(calls_of(id), 3u);
}

TEST_F(actors_fixture, a_silent_participant_times_out_at_the_deadline) {
  auto log = std::make_shared<recording>();
  strings ids{"fast", "mute"};
  std::vector<actors::participant_actor> hs{
    participant("fast",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("mute", silent_script())};
  auto coord = coordinator(ids, hs, disjoint_params(2, 100),
                           recording_options(log));
  auto t0 = now();
  auto out = start(coord);
  // Step through the first deadline precisely.
  advance(99ms);
  EXPECT_FALSE(out->done());
  EXPECT_EQ(calls_of("fast"), 1u); // round 1 not started yet
  advance(1ms);
  EXPECT_EQ(calls_of("fast"), 2u); // round 0 closed at exactly 100 ms
  ASSERT_TRUE(run_until([&] { return out->done(); }));
  ASSERT_TRUE(out->st);
  auto& st = *out->st;
  // (rounds + 1) rounds of exactly one timeout each.
  EXPECT_EQ(out->at - t0, 300ms);
  EXPECT_EQ(st.elapsed_ms, 300);
  EXPECT_EQ(st.timeouts, 3u);
  EXPECT_EQ(st.failures, 3u);
  EXPECT_EQ(calls_of("mute"), 3u);
  ASSERT_EQ(log->results.size(), 3u);
  for (auto& rs : log->results) {
    EXPECT_TRUE(rs[0].ok);
    EXPECT_FALSE(rs[1].ok);
    EXPECT_TRUE(rs[1].timed_out);
    EXPECT_EQ(rs[1].ms, 100);
    EXPECT_EQ(rs[1].id, "mute");
    EXPECT_EQ(rs[1].error, "timeout: no answer within 100 ms");
  }
  for (auto& r : st.responses[1]) {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.ms, 100);
  }
  EXPECT_EQ(st.winner, "fast");
}

TEST_F(actors_fixture, a_late_answer_is_a_timeout_and_is_ignored_later) {
  auto log = std::make_shared<recording>();
  strings ids{"a", "slow"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(5ms, req); }),
    participant("slow",
                [](const request& req) { return disjoint_after(150ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 100),
                           recording_options(log));
  auto t0 = now();
  auto out = run(coord);
  ASSERT_TRUE(out.st);
  EXPECT_EQ(out.at - t0, 200ms);
  ASSERT_EQ(log->results.size(), 2u);
  // The round-0 answer arrives at 150 ms, during round 1: it must not be
  // taken for slow's round-1 answer.
  EXPECT_TRUE(log->results[1][1].timed_out);
  EXPECT_EQ(out.st->timeouts, 2u);
}

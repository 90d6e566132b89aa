// Tests: what the coordinator does with run requests: busy, invalid input,
// request contents (suite actors_fixture).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/error.hpp"

#include "core/actors/actors_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

// -- run requests -------------------------------------------------------------

TEST_F(actors_fixture, a_second_run_while_busy_fails_with_busy) {
  strings ids{"a", "b"};
  std::vector<actors::participant_actor> hs{
    participant("a",
                [](const request& req) { return disjoint_after(10ms, req); }),
    participant("b",
                [](const request& req) { return disjoint_after(20ms, req); })};
  auto coord = coordinator(ids, hs, disjoint_params(1, 1000));
  auto first = start(coord, "first");
  auto second = start(coord, "second");
  ASSERT_TRUE(run_until([&] { return first->done() && second->done(); }));
  ASSERT_TRUE(first->st);
  EXPECT_EQ(first->st->prompt, "first");
  ASSERT_TRUE(second->err);
  EXPECT_EQ(second->err->category(), errc_category);
  EXPECT_EQ(static_cast<errc>(second->err->code()), errc::busy);
  EXPECT_LT(second->at, first->at); // rejected at once
  EXPECT_EQ(calls_of("a"), 2u);     // the rejected run called nobody
  // Once idle, it accepts a new run.
  auto third = run(coord, "third");
  ASSERT_TRUE(third.st);
  EXPECT_EQ(third.st->prompt, "third");
}

TEST_F(actors_fixture, invalid_input_is_an_error_before_any_call) {
  auto answer = [](const request& req) { return disjoint_after(10ms, req); };
  strings ids{"a", "b"};
  std::vector<actors::participant_actor> hs{participant("a", answer),
                                            participant("b", answer)};
  auto code = [](const outcome& o) {
    EXPECT_TRUE(o.err);
    if (!o.err || o.err->category() != errc_category)
      return errc::none;
    return static_cast<errc>(o.err->code());
  };
  params bad;
  bad.k = 0;
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::invalid_params);
  bad = params{};
  bad.timeout_ms = 0;
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::invalid_params);
  bad = params{};
  bad.policy = "nope";
  EXPECT_EQ(code(run(coordinator(ids, hs, bad))), errc::unknown_policy);
  EXPECT_EQ(code(run(coordinator({"a", "a"}, hs, params{}))),
            errc::duplicate_participant);
  EXPECT_EQ(code(run(coordinator({}, {}, params{}))), errc::no_participants);
  EXPECT_EQ(code(run(coordinator({"a"}, hs, params{}))),
            errc::invalid_params); // ids and handles differ in number
  EXPECT_EQ(calls_of("a"), 0u);
  EXPECT_EQ(calls_of("b"), 0u);
  // The same participants work with valid input.
  auto ok = run(coordinator(ids, hs, disjoint_params(0, 100)));
  ASSERT_TRUE(ok.st);
  EXPECT_EQ(calls_of("a"), 1u);
}

TEST_F(actors_fixture, requests_carry_round_index_and_prompt) {
  strings ids{"a", "b", "c"};
  std::vector<actors::participant_actor> hs;
  for (auto& id : ids)
    hs.push_back(participant(id, [](const request& req) {
      return disjoint_after(1ms, req);
    }));
  auto out = run(coordinator(ids, hs, disjoint_params(1, 100)), "Q?");
  ASSERT_TRUE(out.st);
  for (uint32_t i = 0; i < 3; ++i) {
    auto& log = *calls[ids[i]];
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].round, 0);
    EXPECT_EQ(log[0].prompt, "Q?");
    EXPECT_EQ(log[0].index, i);
    EXPECT_EQ(log[0].participant, ids[i]);
    EXPECT_EQ(log[1].round, 1);
    EXPECT_EQ(log[1].prompt, render_prompt("Q?", log[1].peers));
    EXPECT_EQ(log[1].peers.size(), 2u);
  }
}

// Tests: run_inline calls the participants in order and turns exceptions
// into failed results (suite run_inline).

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- run_inline ---------------------------------------------------------------

TEST(run_inline, turns_exceptions_into_failed_results) {
  auto log = std::make_shared<recording>();
  params ps;
  ps.rounds = 1;
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) -> result {
      if (req.index == 0)
        throw std::runtime_error("model crashed");
      if (req.index == 1)
        throw 42;
      return make_ok(req.participant, "fine", 7);
    },
    recording_options(log));
  ASSERT_EQ(log->results.size(), 2u);
  for (auto& rs : log->results) {
    EXPECT_FALSE(rs[0].ok);
    EXPECT_EQ(rs[0].error, "exception: model crashed");
    EXPECT_EQ(rs[0].id, "a");
    EXPECT_FALSE(rs[1].ok);
    EXPECT_EQ(rs[1].error, "exception: unknown");
    EXPECT_TRUE(rs[2].ok);
  }
  EXPECT_EQ(st.failures, 4u);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(st.winner, "c");
}

TEST(run_inline, calls_in_participant_order_and_passes_the_request) {
  params ps;
  ps.rounds = 1;
  strings order;
  run_script({"z", "y", "x"}, ps, [&](const request& req) {
    order.push_back(req.participant + std::to_string(req.round));
    return make_ok(req.participant, disjoint(req));
  });
  EXPECT_EQ(order, (strings{"z0", "y0", "x0", "z1", "y1", "x1"}));
}

TEST(run_inline, refinement_requests_carry_the_structured_context) {
  params ps;
  ps.rounds = 1;
  ps.k = 2;
  std::vector<request> round1;
  run_script({"a", "b", "c"}, ps, [&](const request& req) {
    if (req.round == 1)
      round1.push_back(req);
    return make_ok(req.participant, "answer of " + req.participant + " in "
                                      + std::to_string(req.round));
  });
  ASSERT_EQ(round1.size(), 3u);
  for (auto& req : round1) {
    EXPECT_EQ(req.query, "q");
    EXPECT_EQ(req.own_text, "answer of " + req.participant + " in 0");
    ASSERT_EQ(req.peers.size(), 2u);
    for (auto& p : req.peers) {
      EXPECT_NE(p.id, req.participant);
      EXPECT_EQ(p.text, "answer of " + p.id + " in 0");
    }
    EXPECT_EQ(req.prompt, render_prompt("q", req.peers));
  }
}

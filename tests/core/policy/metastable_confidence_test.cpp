// Tests: confidence and agreement of policy metastable (suite metastable).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- confidence ---------------------------------------------------------------

TEST(metastable, confidence_first_poll_is_a_then_halves_towards_a) {
  // k = 2, three participants: each sample is the two others.
  params ps;
  ps.k = 2;
  ps.rounds = 3;
  ps.beta_1 = 1.5; // never stop early
  // outputs[round][i]; "" = failure.
  std::vector<strings> outputs{
    {"x", "x", "x"}, {"x", "x", ""}, {"x", "x", "x"}, {"x", "x", "y"}};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto& out = outputs[req.round][req.index];
    if (out.empty())
      return make_failure(req.participant, req.round, "x");
    return make_ok(req.participant, out, 0);
  });
  ASSERT_EQ(st.trace.size(), 4u);
  // Round 1: a, b see b/a agree and c failed: a = 1/2, first poll.
  EXPECT_EQ(st.trace[1].confidence, (std::vector<double>{0.5, 0.5, 0.0}));
  // Round 2: a = 1 -> 0.5/2 + 1/2; c polled for the first time: c = a = 1.
  EXPECT_EQ(st.trace[2].confidence, (std::vector<double>{0.75, 0.75, 1.0}));
  // Round 3: a = 1/2 -> 0.625; c = 0 -> 0.5.
  EXPECT_EQ(st.trace[3].confidence, (std::vector<double>{0.625, 0.625, 0.5}));
  EXPECT_EQ(st.confidence, st.trace[3].confidence);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  // Agreements recorded for ok participants only.
  EXPECT_EQ(st.trace[1].agreements.size(), 2u);
  EXPECT_EQ(st.trace[2].agreements.size(), 3u);
  EXPECT_EQ(st.trace[3].agreements.at(2).agreement, 0.0);
}

TEST(metastable, agreement_uses_alpha_as_an_inclusive_threshold) {
  // Jaccard("a b", "a b c d") = 0.5.
  auto run_with = [](double alpha) {
    params ps;
    ps.k = 1;
    ps.rounds = 1;
    ps.alpha = alpha;
    return run_script({"p", "q"}, ps, [](const request& req) {
      return make_ok(req.participant, req.index == 0 ? "a b" : "a b c d");
    });
  };
  EXPECT_EQ(run_with(0.5).confidence, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(run_with(0.51).confidence, (std::vector<double>{0.0, 0.0}));
}

TEST(metastable, a_lone_agent_is_never_polled) {
  params ps;
  auto st = run_script({"solo"}, ps, [](const request& req) {
    return make_ok(req.participant, "answer");
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0}));
  EXPECT_TRUE(st.trace.at(1).samples.at(0).empty());
  EXPECT_TRUE(st.trace.at(1).agreements.empty());
  EXPECT_EQ(st.winner, "solo");
  EXPECT_EQ(st.synthesis, "answer");
  EXPECT_FALSE(st.finalized);
}

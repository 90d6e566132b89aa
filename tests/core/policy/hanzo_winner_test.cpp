// Tests: Phase II of policy hanzo: winner, ties and synthesis (suite hanzo).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/hanzo_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- Phase II -----------------------------------------------------------------

TEST(hanzo, winner_is_the_first_highest_score_and_synthesis_is_verbatim) {
  auto ps = hanzo_params();
  ps.k = 3;
  ps.rounds = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    return make_ok(req.participant,
                   req.round == 0
                     ? "Same Answer"
                     : "  Same   ANSWER\n(" + req.participant + ")",
                   0);
  });
  // Scores: confidence * 1.0; the round-1 outputs differ only in the
  // "(x)" token, so the scores are equal unless the sample makes them
  // differ; the winner is the first maximum in any case.
  size_t best = 0;
  for (size_t i = 1; i < 3; ++i)
    if (st.scores[i] > st.scores[best])
      best = i;
  EXPECT_EQ(st.winner, st.participants[best]);
  EXPECT_EQ(st.synthesis, "  Same   ANSWER\n(" + st.winner + ")");
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(st.scores[i], st.confidence[i] * st.luminance[i]);
}

TEST(hanzo, ties_go_to_the_first_participant) {
  auto st = identical_instant(0.5, 0.8, 3);
  EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "agent0");
}

TEST(hanzo, faster_round_zero_wins_a_confidence_tie) {
  auto ps = hanzo_params();
  ps.rounds = 1;
  std::vector<int64_t> ms{900, 100, 500};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, "same", req.round == 0 ? ms[req.index] : 0);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.scores[1], 0.5 * lum_of(100));
}

TEST(hanzo, synthesis_is_the_latest_response_even_a_failed_one) {
  auto ps = hanzo_params();
  ps.rounds = 2;
  ps.beta_1 = 2;
  auto st = run_script({"solo"}, ps, [](const request& req) {
    if (req.round == 2) {
      auto r = make_failure(req.participant, 2, "crash");
      r.output = "half an answer";
      return r;
    }
    return make_ok(req.participant, "full answer");
  });
  EXPECT_EQ(st.winner, "solo");
  EXPECT_EQ(st.confidence[0], 0.5); // round 2 changed nothing
  EXPECT_EQ(st.synthesis, "half an answer");
}

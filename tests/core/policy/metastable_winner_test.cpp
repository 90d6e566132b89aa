// Tests: Phase II of policy metastable: winner, synthesis and finalization
// (suite metastable).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- Phase II -----------------------------------------------------------------

TEST(metastable, score_ties_go_to_higher_confidence) {
  // alpha = 0.5: a ~ b and b ~ c (Jaccard 1/2) but not a ~ c, so with k = 2
  // confidences are a = 1/2, b = 1, c = 1/2. b is twice as slow (L = 1/2):
  // all scores are 1/2, and b wins on confidence although a comes first.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  ps.alpha = 0.5;
  strings out{"x1 x2", "x1 x2 y1 y2", "y1 y2"};
  std::vector<int64_t> ms{0, 1000, 0};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, out[req.index], ms[req.index]);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 1.0, 0.5}));
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 0.5, 1.0}));
  EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.synthesis, "x1 x2 y1 y2");
  EXPECT_FALSE(st.finalized);
}

TEST(metastable, full_ties_go_to_list_order) {
  for (auto ids : {strings{"a", "b", "c"}, strings{"c", "a", "b"},
                   strings{"b", "c", "a"}}) {
    auto st = run_script(ids, params{}, [](const request& req) {
      return make_ok(req.participant, "same", 5);
    });
    EXPECT_EQ(st.winner, ids[0]);
  }
}

TEST(metastable, the_highest_score_wins_over_list_order) {
  // Same answers, p0 is slower: lower L, lower score.
  auto st = run_script(ids_of(3), params{}, [](const request& req) {
    return make_ok(req.participant, "same", req.index == 0 ? 900 : 100);
  });
  EXPECT_EQ(st.winner, "p1");
  EXPECT_LT(st.scores[0], st.scores[1]);
  EXPECT_EQ(st.scores[1], 1.0);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(st.scores[i], st.confidence[i] * st.luminance[i]);
}

TEST(metastable, synthesis_is_the_winners_latest_ok_response) {
  // a fails in the last round but keeps the highest score (confidence 1
  // from round 1); its synthesis is its round-1 answer, not the failure.
  params ps;
  ps.k = 2;
  ps.rounds = 2;
  ps.beta_1 = 1.5;
  ps.timeout_ms = 1000;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.index == 0 && req.round == 2) {
      auto r = make_failure(req.participant, 2, "crash", 1000);
      r.output = "garbage";
      return r;
    }
    return make_ok(req.participant, "answer " + std::to_string(req.round),
                   1000);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{1.0, 0.75, 0.75}));
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.synthesis, "answer 1");
  EXPECT_TRUE(st.finalized);
}

TEST(metastable, finalized_iff_the_winning_score_reaches_beta_2) {
  // One dissenter, k = 2: a and b agree with each other only (a = 1/2), c
  // with nobody; equal luminance, so the winning score is exactly 1/2.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  strings out{"yes", "yes", "no"};
  for (double beta_2 : {0.4, 0.5, 0.6}) {
    ps.beta_2 = beta_2;
    auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
      return make_ok(req.participant, out[req.index], 0);
    });
    EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.0}));
    EXPECT_EQ(st.winner, "a");
    EXPECT_EQ(st.finalized, 0.5 >= beta_2) << beta_2;
  }
}

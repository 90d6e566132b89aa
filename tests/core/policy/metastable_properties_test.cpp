// Tests: the required properties of policy metastable: agreement finalizes,
// failures gain no influence (suite metastable).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- required properties ------------------------------------------------------

TEST(metastable, identical_answers_from_equally_fast_agents_finalize) {
  for (size_t n : {2u, 3u, 5u, 10u}) {
    for (int64_t seed : {0, 1, 42}) {
      params ps; // defaults: rounds 3, k 3, alpha .6, beta_1 .5, beta_2 .8
      ps.seed = seed;
      auto st = run_script(ids_of(n), ps, [](const request& req) {
        return make_ok(req.participant,
                       "Use a hash map, round " + std::to_string(req.round),
                       1200);
      });
      EXPECT_EQ(st.policy, "metastable");
      EXPECT_TRUE(st.finalized) << n;
      EXPECT_EQ(st.stop, stop_reason::beta_1) << n;
      EXPECT_EQ(st.rounds_executed, 1) << n;
      EXPECT_EQ(st.confidence, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.luminance, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.scores, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.winner, "p0");
      EXPECT_EQ(st.synthesis, "Use a hash map, round 1");
      EXPECT_EQ(st.calls, 2 * n);
    }
  }
}

TEST(metastable, real_multi_second_latencies_do_not_prevent_finalization) {
  // Relative luminance: equally slow agents (30 s each) still finalize.
  params ps;
  ps.timeout_ms = 120000;
  auto st = run_script(ids_of(4), ps, [](const request& req) {
    return make_ok(req.participant, "same", 30000);
  });
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.luminance, std::vector<double>(4, 1.0));
}

TEST(metastable, fully_disjoint_answers_never_stop_early_nor_finalize) {
  for (size_t n : {2u, 3u, 6u}) {
    for (int32_t rounds : {1, 4}) {
      params ps;
      ps.rounds = rounds;
      ps.beta_1 = 0.01;
      ps.beta_2 = 0.01;
      auto st = run_script(ids_of(n), ps, [](const request& req) {
        return make_ok(req.participant, disjoint(req), 10 * req.index);
      });
      EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
      EXPECT_EQ(st.rounds_executed, rounds);
      EXPECT_FALSE(st.finalized);
      EXPECT_EQ(st.confidence, std::vector<double>(n, 0.0));
      for (auto& tr : st.trace)
        for (auto& a : tr.agreements)
          EXPECT_EQ(a.agreement, 0.0);
    }
  }
}

TEST(metastable, a_failing_agent_never_gains_influence) {
  // "bad" is first in the list, fails fast every time (its output would
  // even agree with everyone), and the others disagree among themselves so
  // that every score is 0 and a list-order tie would favour "bad".
  for (int64_t seed : {0, 3, 11}) {
    params ps;
    ps.rounds = 4;
    ps.seed = seed;
    std::vector<request> log;
    auto st = run_script(
      {"bad", "a", "b", "c"}, ps,
      [](const request& req) {
        if (req.participant == "bad") {
          auto r = make_failure(req.participant, req.round, "down", 1);
          r.output = "shared words";
          return r;
        }
        return make_ok(req.participant, disjoint(req), 500);
      },
      &log);
    EXPECT_NE(st.winner, "bad");
    EXPECT_EQ(st.winner, "a");
    EXPECT_FALSE(st.finalized);
    EXPECT_EQ(st.confidence[0], 0.0);
    EXPECT_EQ(st.luminance[0], 0.0);
    EXPECT_EQ(st.scores[0], 0.0);
    for (auto& tr : st.trace) {
      EXPECT_TRUE(tr.weights.empty() || tr.weights[0] == 0.0);
      for (size_t i = 0; i < tr.samples.size(); ++i)
        for (auto j : tr.samples[i])
          EXPECT_NE(j, 0u) << "bad sampled in round " << tr.round;
      for (auto& a : tr.agreements)
        EXPECT_NE(a.participant, 0u);
    }
    for (auto& req : log)
      for (auto& p : req.peers)
        EXPECT_NE(p.id, "bad");
  }
}

TEST(metastable, a_failing_agent_cannot_block_the_others_from_finalizing) {
  params ps;
  auto st = run_script({"bad", "a", "b", "c"}, ps, [](const request& req) {
    if (req.participant == "bad") {
      auto r = make_failure(req.participant, req.round, "");
      r.timed_out = true;
      return r;
    }
    return make_ok(req.participant, "we all agree", 100);
  });
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.rounds_executed, 1);
  // Samples of the others exclude "bad": size min(k, m - 1) = 2.
  for (uint32_t i = 1; i < 4; ++i) {
    EXPECT_EQ(st.trace[1].samples[i].size(), 2u);
    check_sample(st.trace[1].samples[i], i);
  }
}

TEST(metastable, a_peer_that_fails_this_round_does_not_agree) {
  // k = 2 with 3 participants: every sample is both others.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 1 && req.index == 2) {
      auto r = make_failure(req.participant, 1, "lost");
      r.output = "same"; // even an identical failed output does not count
      return r;
    }
    return make_ok(req.participant, "same");
  });
  auto& tr = st.trace.at(1);
  ASSERT_EQ(tr.agreements.size(), 2u);
  EXPECT_EQ(tr.agreements[0].agreement, 0.5);
  EXPECT_EQ(tr.agreements[1].agreement, 0.5);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.0}));
}

TEST(metastable, a_failed_peer_does_not_agree_even_under_a_lenient_measure) {
  // The similarity says "identical" for everything, yet c's failed call
  // (with an output) must not count as agreement.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  engine_options opts;
  opts.similarity = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 1.0; });
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) {
      if (req.round == 1 && req.index == 2) {
        auto r = make_failure(req.participant, 1, "lost");
        r.output = "anything";
        return r;
      }
      return make_ok(req.participant, disjoint(req));
    },
    nullptr, opts);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.0}));
}

// Tests: the round flow of the engine: round zero, refinement rounds and the
// stop rules (suite engine_rounds).

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/engine/engine_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- round flow ---------------------------------------------------------------

TEST(engine_rounds, round_zero_sends_the_prompt_unchanged_to_everyone) {
  std::string prompt = "  What is 2+2?\nAnswer briefly. \xc3\xa9 ";
  auto eng = engine::make(prompt, {"a", "b", "c"}, params{});
  ASSERT_TRUE(eng);
  auto& reqs = eng->requests();
  ASSERT_EQ(reqs.size(), 3u);
  strings ids{"a", "b", "c"};
  for (size_t i = 0; i < reqs.size(); ++i) {
    EXPECT_EQ(reqs[i].participant, ids[i]);
    EXPECT_EQ(reqs[i].index, i);
    EXPECT_EQ(reqs[i].round, 0);
    EXPECT_EQ(reqs[i].prompt, prompt);
    EXPECT_EQ(reqs[i].query, prompt);
    EXPECT_TRUE(reqs[i].peers.empty());
    EXPECT_TRUE(reqs[i].own_text.empty());
  }
}

TEST(engine_rounds, round_zero_is_the_same_for_every_policy) {
  for (auto name : {"metastable", "hanzo", "snowball", "vote"}) {
    params ps;
    ps.policy = name;
    ps.k = 1;
    std::vector<request> round0;
    run_script({"a", "b"}, ps, [&](const request& req) {
      if (req.round == 0)
        round0.push_back(req);
      return make_ok(req.participant, disjoint(req));
    });
    ASSERT_EQ(round0.size(), 2u) << name;
    for (auto& req : round0) {
      EXPECT_EQ(req.prompt, "q") << name;
      EXPECT_TRUE(req.peers.empty()) << name;
    }
  }
}

TEST(engine_rounds, rounds_zero_stops_after_the_proposals) {
  params ps;
  ps.rounds = 0;
  int calls = 0;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    ++calls;
    return make_ok(req.participant, "same answer");
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(st.stop, stop_reason::no_rounds);
  EXPECT_EQ(st.rounds_executed, 0);
  EXPECT_EQ(st.trace.size(), 1u);
  EXPECT_EQ(st.calls, 3u);
  // No refinement round: nobody was polled.
  EXPECT_EQ(st.confidence, (std::vector<double>{0, 0, 0}));
  EXPECT_FALSE(st.finalized);
}

TEST(engine_rounds, disjoint_answers_run_every_round) {
  params ps;
  ps.rounds = 4;
  std::vector<int32_t> rounds_seen;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    rounds_seen.push_back(req.round);
    return make_ok(req.participant, disjoint(req));
  });
  EXPECT_EQ(rounds_seen, (std::vector<int32_t>{0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3,
                                               3, 4, 4, 4}));
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.rounds_executed, 4);
  EXPECT_EQ(st.rounds, 4);
  ASSERT_EQ(st.trace.size(), 5u);
  for (int32_t r = 0; r <= 4; ++r)
    EXPECT_EQ(st.trace[r].round, r);
  EXPECT_EQ(st.calls, 15u);
  for (auto& rs : st.responses)
    EXPECT_EQ(rs.size(), 5u);
}

TEST(engine_rounds, the_engine_is_a_step_by_step_state_machine) {
  params ps;
  ps.rounds = 2;
  auto log = std::make_shared<recording>();
  auto eng = engine::make("q", {"a", "b"}, ps, recording_options(log));
  ASSERT_TRUE(eng);
  for (int32_t r = 0; r <= 2; ++r) {
    ASSERT_FALSE(eng->done());
    EXPECT_EQ(eng->round(), r);
    std::vector<result> rs;
    for (auto& req : eng->requests()) {
      EXPECT_EQ(req.round, r);
      rs.push_back(make_ok(req.participant, disjoint(req)));
    }
    eng->complete(std::move(rs));
    EXPECT_EQ(eng->current().calls, 2u * static_cast<uint64_t>(r + 1));
  }
  EXPECT_TRUE(eng->done());
  EXPECT_TRUE(eng->requests().empty());
  EXPECT_EQ(log->planned, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(log->stops, 2); // after each refinement round only
  EXPECT_EQ(log->finishes, 1);
  // complete() after done is ignored.
  eng->complete({make_ok("a", "late"), make_ok("b", "late")});
  EXPECT_EQ(eng->current().calls, 6u);
  EXPECT_EQ(log->results.size(), 3u);
  auto st = eng->take();
  EXPECT_EQ(st.rounds_executed, 2);
}

TEST(engine_rounds, stops_on_beta_1) {
  params ps;
  ps.rounds = 5;
  int calls = 0;
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    ++calls;
    return make_ok(req.participant, "the same answer");
  });
  EXPECT_EQ(st.stop, stop_reason::beta_1);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(calls, 6);
  EXPECT_EQ(st.trace.size(), 2u);
}

TEST(engine_rounds, stops_on_unanimity_only_when_asked) {
  params ps;
  ps.rounds = 3;
  ps.beta_1 = 2; // no beta_1 stop
  auto answer = [](const request& req) {
    // Round 0 disagrees; from round 1 on everyone says "Paris" (modulo case
    // and spacing, which the default extractor normalizes).
    if (req.round == 0)
      return make_ok(req.participant, disjoint(req));
    return make_ok(req.participant, req.index == 0 ? "paris" : "  PARIS\n");
  };
  auto st = run_script({"a", "b", "c"}, ps, answer);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.rounds_executed, 3);
  EXPECT_EQ(st.unanimity_round, -1); // metastable reads no labels by default
  ps.stop_on_unanimity = true;
  st = run_script({"a", "b", "c"}, ps, answer);
  EXPECT_EQ(st.stop, stop_reason::unanimity);
  EXPECT_EQ(st.rounds_executed, 1);
  EXPECT_EQ(st.unanimity_round, 1);
  EXPECT_EQ(st.unanimity_label, "paris");
  // The winner is still chosen by the policy's Phase II.
  EXPECT_FALSE(st.winner.empty());
}

TEST(engine_rounds, unanimity_is_recorded_for_labelled_policies_without_stop) {
  params ps;
  ps.policy = "vote";
  ps.rounds = 3;
  ps.k = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    auto r = make_ok(req.participant, "text");
    r.label = req.round >= 2 ? "B" : (req.index == 0 ? "A" : "B");
    return r;
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.unanimity_round, 2);
  EXPECT_EQ(st.unanimity_label, "B");
}

TEST(engine_rounds, unanimity_ignores_failures_but_not_empty_labels) {
  params ps;
  ps.policy = "vote";
  ps.rounds = 2;
  ps.k = 1;
  ps.stop_on_unanimity = true;
  // Round 1: c fails, a and b agree -> unanimous among the live ones.
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 1 && req.index == 2)
      return make_failure(req.participant, req.round, "down");
    auto r = make_ok(req.participant, "t");
    r.label = req.round == 0 ? req.participant : "X";
    return r;
  });
  EXPECT_EQ(st.stop, stop_reason::unanimity);
  EXPECT_EQ(st.unanimity_round, 1);
  // An ok answer without a key (nothing to extract) breaks unanimity.
  ps.extractor = extractor_kind::last_number;
  st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.index == 2)
      return make_ok(req.participant, "no number here");
    return make_ok(req.participant, "it is 4");
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.unanimity_round, -1);
}

TEST(engine_rounds, all_failing_run_completes_without_winner) {
  params ps;
  ps.rounds = 2;
  auto st = run_script({"a", "b"}, ps, [](const request& req) {
    return make_failure(req.participant, req.round, "nope", 3);
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.calls, 6u);
  EXPECT_EQ(st.failures, 6u);
  EXPECT_EQ(st.winner, "");
  EXPECT_EQ(st.synthesis, "");
  EXPECT_FALSE(st.finalized);
}

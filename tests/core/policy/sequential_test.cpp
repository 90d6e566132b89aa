// caf-consensus: hand-computed cases of policy `sequential` (polling until
// the leading answer is certified).

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "caf/consensus/detail/mode_certificate.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;

namespace {

using strings = std::vector<std::string>;

params seq_params(int32_t rounds, int64_t max_calls = 0, double delta = 0.05) {
  params ps;
  ps.policy = "sequential";
  ps.rounds = rounds;
  ps.max_calls = max_calls;
  ps.delta = delta;
  return ps;
}

/// Runs with labels given per call: `pick(round, index)`; "!" fails.
template <class F>
state run_with(strings ids, params ps, F pick,
               std::vector<request>* log = nullptr) {
  auto eng = engine::make("which?", std::move(ids), std::move(ps));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    if (log != nullptr)
      log->push_back(req);
    std::string label = pick(req.round, req.index);
    if (label == "!")
      return make_failure(req.participant, req.round, "unavailable");
    auto r = make_ok(req.participant, req.participant + " says " + label);
    r.label = label;
    return r;
  });
}

} // namespace

TEST(sequential, unanimous_votes_certify_after_eight) {
  // 3 participants always say A: 3, 6, 9 votes; E(8, 0) = 56.8 >= 40 is the
  // first certificate, so the run stops after round 2 with 9 calls.
  std::vector<request> log;
  auto st = run_with(
    {"a", "b", "c"}, seq_params(100), [](int32_t, uint32_t) { return "A"; },
    &log);
  EXPECT_EQ(st.policy, "sequential");
  EXPECT_EQ(st.stop, stop_reason::certificate);
  EXPECT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.calls, 9u);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.winner_label, "A");
  EXPECT_EQ(st.synthesis, "a says A");
  EXPECT_EQ(st.confidence, (std::vector<double>{1, 1, 1}));
  // Every call is the prompt alone: no peers, no own answer.
  ASSERT_EQ(log.size(), 9u);
  for (auto& req : log) {
    EXPECT_EQ(req.prompt, "which?");
    EXPECT_TRUE(req.peers.empty());
    EXPECT_TRUE(req.own_label.empty());
    EXPECT_TRUE(req.own_text.empty());
  }
}

TEST(sequential, round_zero_alone_can_certify) {
  strings ids;
  for (int i = 0; i < 10; ++i)
    ids.push_back("p" + std::to_string(i));
  auto st = run_with(ids, seq_params(5), [](int32_t, uint32_t) { return "A"; });
  EXPECT_EQ(st.stop, stop_reason::certificate);
  EXPECT_EQ(st.rounds_executed, 0);
  EXPECT_EQ(st.calls, 10u);
  EXPECT_TRUE(st.finalized);
}

TEST(sequential, the_budget_stops_before_it_would_be_passed) {
  // A and B alternate: never certified. 3 calls per round, budget 10: after
  // round 2 (9 calls) one more round would make 12 > 10.
  auto st = run_with({"a", "b", "c"}, seq_params(100, 10),
                     [](int32_t round, uint32_t i) {
                       return (round + i) % 2 == 0 ? "A" : "B";
                     });
  EXPECT_EQ(st.stop, stop_reason::budget);
  EXPECT_EQ(st.calls, 9u);
  EXPECT_EQ(st.rounds_executed, 2);
  EXPECT_FALSE(st.finalized);
  // Votes: round 0 A B A, round 1 B A B, round 2 A B A: A 5, B 4.
  EXPECT_EQ(st.winner_label, "A");
  EXPECT_EQ(st.winner, "a");
  EXPECT_NEAR(st.confidence[0], 5.0 / 9.0, 1e-15);
  EXPECT_NEAR(st.confidence[1], 4.0 / 9.0, 1e-15);
}

TEST(sequential, rounds_exhausted_is_not_finalized) {
  auto st = run_with({"a", "b"}, seq_params(2),
                     [](int32_t, uint32_t i) { return i == 0 ? "A" : "B"; });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.calls, 6u);
  EXPECT_EQ(st.winner_label, "A"); // tie: the answer seen first
}

TEST(sequential, failed_calls_carry_no_vote) {
  // b always fails: A gains one vote per round (E(8, 0) after round 7).
  auto st = run_with({"a", "b"}, seq_params(50),
                     [](int32_t, uint32_t i) { return i == 0 ? "A" : "!"; });
  EXPECT_EQ(st.stop, stop_reason::certificate);
  EXPECT_EQ(st.rounds_executed, 7);
  EXPECT_EQ(st.calls, 16u);
  EXPECT_EQ(st.failures, 8u);
  EXPECT_EQ(st.confidence[1], 0.0);
}

TEST(sequential, a_leader_that_appeared_second_needs_more_evidence) {
  // Round 0: a says B, b says A (B is rank 1, A rank 2); then only A.
  // A certifies when E(votes_A, 1) >= 120 (rank 2) instead of 40.
  auto st = run_with({"a", "b"}, seq_params(50), [](int32_t round, uint32_t i) {
    return round == 0 && i == 0 ? "B" : "A";
  });
  ASSERT_EQ(st.stop, stop_reason::certificate);
  EXPECT_EQ(st.winner_label, "A");
  EXPECT_EQ(st.winner, "a");
  auto a = static_cast<uint64_t>(st.calls - 1);
  EXPECT_TRUE(detail::mode_certified(a, 1, 2, 0.05));
  EXPECT_FALSE(detail::mode_certified(a - 2, 1, 2, 0.05));
  EXPECT_TRUE(detail::mode_certified(a - 2, 1, 1, 0.05));
}

TEST(sequential, delta_and_the_budget_are_validated) {
  auto make = [](params ps) {
    return engine::make("q", {"a", "b", "c"}, std::move(ps));
  };
  for (double bad : {0.0, 1.0, -0.1, 2.0, std::nan("")}) {
    auto eng = make(seq_params(3, 0, bad));
    ASSERT_FALSE(eng) << bad;
    EXPECT_NE(render(eng.error()).find("delta must be in (0, 1)"),
              std::string::npos)
      << render(eng.error());
  }
  auto eng = make(seq_params(3, 2));
  ASSERT_FALSE(eng);
  EXPECT_NE(render(eng.error())
              .find("max_calls must be 0 (no budget) or at "
                    "least the number of participants (3)"),
            std::string::npos)
    << render(eng.error());
  EXPECT_TRUE(make(seq_params(3, 3)));
}

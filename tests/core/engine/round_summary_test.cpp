// Tests: a run's rounds in numbers (suite round_summary).

#include <gtest/gtest.h>

#include "caf/consensus/round_summary.hpp"
#include "caf/consensus/state.hpp"

using namespace caf::consensus;

namespace {

response answer(int32_t round, const char* label) {
  response r;
  r.round = round;
  r.ok = true;
  r.text = std::string{"answer "} + label;
  r.label = label;
  return r;
}

response failure(int32_t round) {
  response r;
  r.round = round;
  r.error = "down";
  return r;
}

round_trace trace_of(int32_t round, std::vector<double> confidence) {
  round_trace t;
  t.round = round;
  t.confidence = std::move(confidence);
  return t;
}

/// Three participants, two rounds: c is down in round 0 and answers "y" in
/// round 1; b moves from "y" to "x"; a decides in round 1.
state two_rounds() {
  state st;
  st.participants = {"a", "b", "c"};
  st.responses = {{answer(0, "x"), answer(1, "x")},
                  {answer(0, "y"), answer(1, "x")},
                  {failure(0), answer(1, "y")}};
  st.trace = {trace_of(0, {0, 0, 0}), trace_of(1, {1.0, 0.5, 0.25})};
  st.decided_round = {1, -1, -1};
  st.rounds_executed = 1;
  st.stop = stop_reason::beta_1;
  st.winner = "a";
  st.winner_label = "x";
  return st;
}

} // namespace

TEST(round_summary, counts_agreement_confidence_and_decisions_per_round) {
  auto st = two_rounds();
  auto rs = summarize_rounds(st, "y");
  ASSERT_EQ(rs.size(), 2u);
  auto& r0 = rs[0];
  EXPECT_EQ(r0.round, 0);
  EXPECT_EQ(r0.calls, 3u);
  EXPECT_EQ(r0.failures, 1u);
  EXPECT_EQ(r0.live, 2u);
  EXPECT_EQ(r0.with_reference, 1u); // a says x, the eventual winner's label
  EXPECT_EQ(r0.with_truth, 1u);     // b says y
  EXPECT_EQ(r0.with_plurality, 1u); // x and y once each
  EXPECT_EQ(r0.mean_confidence, 0.0);
  EXPECT_EQ(r0.max_confidence, 0.0);
  EXPECT_EQ(r0.decided, 0);
  EXPECT_FALSE(r0.stopped);
  auto& r1 = rs[1];
  EXPECT_EQ(r1.round, 1);
  EXPECT_EQ(r1.calls, 3u);
  EXPECT_EQ(r1.failures, 0u);
  EXPECT_EQ(r1.live, 3u);
  EXPECT_EQ(r1.with_reference, 2u);
  EXPECT_EQ(r1.with_truth, 1u);
  EXPECT_EQ(r1.with_plurality, 2u);
  EXPECT_DOUBLE_EQ(r1.mean_confidence, 1.75 / 3);
  EXPECT_EQ(r1.max_confidence, 1.0);
  EXPECT_EQ(r1.decided, 1);
  EXPECT_TRUE(r1.stopped); // beta_1 fired after the last round
}

TEST(round_summary, empty_keys_match_nothing_and_other_stops_are_not_rules) {
  auto st = two_rounds();
  st.decided_round.clear(); // a policy without per-participant decisions
  st.stop = stop_reason::rounds_exhausted;
  auto r = summarize_round(st, 1, "", "");
  EXPECT_EQ(r.with_reference, 0u);
  EXPECT_EQ(r.with_truth, 0u);
  EXPECT_EQ(r.with_plurality, 2u);
  EXPECT_EQ(r.decided, -1);
  EXPECT_FALSE(r.stopped);
  // Answers without a choice key hold no position.
  for (auto& rs : st.responses)
    for (auto& x : rs)
      x.label.clear();
  auto unlabelled = summarize_round(st, 1, "", "");
  EXPECT_EQ(unlabelled.live, 3u);
  EXPECT_EQ(unlabelled.with_plurality, 0u);
  // A round nobody was asked in is all zeros.
  auto none = summarize_round(st, 7, "x", "y");
  EXPECT_EQ(none.calls, 0u);
  EXPECT_EQ(none.live, 0u);
  EXPECT_EQ(none.max_confidence, 0.0);
}

TEST(round_summary, counts_the_plurality_among_many_keys) {
  // Rounds with 1 to 40 distinct keys; the most common key gets its extra
  // answers before, across and after the point where the counting switches
  // from a list of the first 16 keys to a hash map.
  for (size_t distinct : {1, 15, 16, 17, 40}) {
    for (size_t where : {size_t{0}, distinct / 2, distinct}) {
      state st;
      std::vector<std::string> labels;
      for (size_t i = 0; i < distinct; ++i)
        labels.push_back("k" + std::to_string(i));
      // Three more answers for one key, inserted at `where`.
      auto top = labels[std::min(where, distinct - 1)];
      labels.insert(labels.begin() + static_cast<ptrdiff_t>(where), 3, top);
      for (size_t i = 0; i < labels.size(); ++i) {
        st.participants.push_back("p" + std::to_string(i));
        st.responses.push_back({answer(0, labels[i].c_str())});
      }
      st.trace = {trace_of(0, std::vector<double>(labels.size(), 0))};
      auto rs = summarize_rounds(st, "");
      ASSERT_EQ(rs.size(), 1u);
      EXPECT_EQ(rs[0].live, labels.size());
      EXPECT_EQ(rs[0].with_plurality, 4u)
        << distinct << " keys, extra answers at " << where;
    }
  }
}

TEST(round_summary, keeps_counts_across_the_switch_to_a_hash_map) {
  // The top key gets answers before and after the 17th distinct key, and
  // the counter is reused for a second round with fewer keys.
  state st;
  std::vector<std::string> round0 = {"k0", "k0"};
  for (int i = 1; i <= 16; ++i)
    round0.push_back("k" + std::to_string(i));
  round0.push_back("k0");
  round0.push_back("k0");
  for (size_t i = 0; i < round0.size(); ++i) {
    st.participants.push_back("p" + std::to_string(i));
    // Round 1: "x" three times, "k0" for everyone else.
    st.responses.push_back(
      {answer(0, round0[i].c_str()), answer(1, i < 3 ? "x" : "k0")});
  }
  auto n = round0.size();
  st.trace = {trace_of(0, std::vector<double>(n, 0)),
              trace_of(1, std::vector<double>(n, 0))};
  st.rounds_executed = 1;
  auto rs = summarize_rounds(st, "");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].with_plurality, 4u);    // k0: 2 before, 2 after k16
  EXPECT_EQ(rs[1].with_plurality, n - 3); // k0, counted afresh
}

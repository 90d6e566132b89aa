// Tests: what rounds_to_decide, polls_to_decide, their live variants and
// stopped_early count, on hand-built final states (docs/scenarios.md).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/state.hpp"

using namespace caf::consensus;

namespace {

// Participant i answered (ok or not) in each round listed in `rounds[i]`.
state make_state(
  const std::vector<std::vector<std::pair<int32_t, bool>>>& calls,
  int32_t rounds_executed, stop_reason stop) {
  state st;
  st.policy = "test";
  for (size_t i = 0; i < calls.size(); ++i) {
    st.participants.push_back("p" + std::to_string(i));
    st.responses.emplace_back();
    for (auto [round, ok] : calls[i]) {
      response r;
      r.round = round;
      r.ok = ok;
      r.label = ok ? "x" : "";
      st.responses.back().push_back(r);
    }
  }
  auto n = calls.size();
  st.confidence.assign(n, 0);
  st.luminance.assign(n, 1);
  st.scores.assign(n, 0);
  st.rounds_executed = rounds_executed;
  st.stop = stop;
  return st;
}

sim::scenario cell(int32_t rounds) {
  sim::scenario s;
  s.ps.rounds = rounds;
  s.world.ground_truth = "x";
  return s;
}

} // namespace

TEST(decision_metrics, snowball_waits_for_every_participant_or_the_live_ones) {
  // Rounds 0..3 of 5. p0 decides in round 2, p1 in round 3; p2 answers rounds
  // 0 and 1, then fails: it never decides and is not live at the end.
  auto st = make_state({{{0, true}, {1, true}, {2, true}, {3, true}},
                        {{0, true}, {1, true}, {2, true}, {3, true}},
                        {{0, true}, {1, true}, {2, false}, {3, false}}},
                       3, stop_reason::all_decided);
  st.decided_round = {2, 3, -1};
  st.preference = {"x", "x", ""};
  auto m = sim::measure(cell(5), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, -1);
  EXPECT_EQ(m.polls_to_decide, -1);
  EXPECT_EQ(m.rounds_to_decide_live, 3);
  EXPECT_EQ(m.polls_to_decide_live, 6); // p0 and p1, rounds 1..3
  EXPECT_TRUE(m.stopped_early);
  // Once p2 has decided (in round 1), the whole population decided by round
  // 3 and every poll until then counts, failed ones included.
  st.decided_round = {2, 3, 1};
  m = sim::measure(cell(5), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, 3);
  EXPECT_EQ(m.polls_to_decide, 9);
  EXPECT_EQ(m.rounds_to_decide_live, 3);
  EXPECT_EQ(m.polls_to_decide_live, 6);
}

TEST(decision_metrics, thresholds_decide_in_the_round_they_stop) {
  // beta_1 reached in round 2 of 4; p1 stopped answering after round 1.
  auto st = make_state({{{0, true}, {1, true}, {2, true}},
                        {{0, true}, {1, true}, {2, false}}},
                       2, stop_reason::beta_1);
  auto m = sim::measure(cell(4), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, 2);
  EXPECT_EQ(m.polls_to_decide, 4);
  EXPECT_EQ(m.rounds_to_decide_live, 2);
  EXPECT_EQ(m.polls_to_decide_live, 2);
  EXPECT_TRUE(m.stopped_early);
}

TEST(decision_metrics, a_threshold_in_the_last_round_is_not_an_early_stop) {
  auto st = make_state({{{0, true}, {1, true}, {2, true}}}, 2,
                       stop_reason::beta_1);
  auto m = sim::measure(cell(2), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, 2);
  EXPECT_EQ(m.polls_to_decide, 2);
  EXPECT_FALSE(m.stopped_early);
}

TEST(decision_metrics, running_out_of_rounds_is_no_decision) {
  auto st = make_state({{{0, true}, {1, true}, {2, true}},
                        {{0, true}, {1, true}, {2, true}}},
                       2, stop_reason::rounds_exhausted);
  auto m = sim::measure(cell(2), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, -1);
  EXPECT_EQ(m.polls_to_decide, -1);
  EXPECT_EQ(m.rounds_to_decide_live, -1);
  EXPECT_EQ(m.polls_to_decide_live, -1);
  EXPECT_FALSE(m.stopped_early);
}

TEST(decision_metrics, nobody_live_means_no_live_decision) {
  auto st = make_state({{{0, true}, {1, false}}, {{0, true}, {1, false}}}, 1,
                       stop_reason::unanimity);
  auto m = sim::measure(cell(3), 0, 0, 0, st);
  EXPECT_EQ(m.rounds_to_decide, 1);
  EXPECT_EQ(m.polls_to_decide, 2);
  EXPECT_EQ(m.rounds_to_decide_live, -1);
  EXPECT_EQ(m.polls_to_decide_live, -1);
  EXPECT_TRUE(m.stopped_early);
}

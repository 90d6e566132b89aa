// Tests: arrival order and repetition do not change the coordinator's state
// (suite actors_fixture).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"

#include "core/actors/actors_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

// -- ordering and determinism -------------------------------------------------

namespace {

/// Overlapping answers so that samples and agreements matter; latency as
/// reported is independent of the actual (virtual) delay.
step overlapping(const request& req, caf::timespan delay) {
  static const strings words{"alpha", "beta", "gamma", "delta", "epsilon"};
  step s;
  s.delay = delay;
  s.text = words[req.index % words.size()] + " "
           + words[(req.index + static_cast<uint32_t>(req.round)) % 5]
           + " common";
  s.ms = 100 + 7 * req.index;
  return s;
}

params overlapping_params() {
  params ps;
  ps.rounds = 3;
  ps.k = 2;
  ps.alpha = 0.5;
  ps.beta_1 = 1.5;
  ps.seed = 77;
  ps.timeout_ms = 1000;
  return ps;
}

} // namespace

TEST_F(actors_fixture, arrival_order_does_not_change_the_state) {
  strings ids{"p0", "p1", "p2", "p3", "p4"};
  auto run_with = [&](bool reverse) {
    std::vector<actors::participant_actor> hs;
    for (size_t i = 0; i < ids.size(); ++i) {
      auto rank = reverse ? ids.size() - i : i + 1;
      auto delay = caf::timespan{std::chrono::milliseconds{10 * rank}};
      hs.push_back(participant(ids[i], [delay](const request& req) {
        return overlapping(req, delay);
      }));
    }
    deliveries->clear();
    auto out = run(coordinator(ids, hs, overlapping_params()));
    EXPECT_TRUE(out.st);
    return out;
  };
  auto in_order = run_with(false);
  auto first_round_order = strings(deliveries->begin(),
                                   deliveries->begin() + 5);
  EXPECT_EQ(first_round_order,
            (strings{"p0/0", "p1/0", "p2/0", "p3/0", "p4/0"}));
  auto reversed = run_with(true);
  first_round_order = strings(deliveries->begin(), deliveries->begin() + 5);
  EXPECT_EQ(first_round_order,
            (strings{"p4/0", "p3/0", "p2/0", "p1/0", "p0/0"}));
  EXPECT_EQ(caf::deep_to_string(*in_order.st),
            caf::deep_to_string(*reversed.st));
  // And both equal the inline engine on the same script.
  auto eng = engine::make("the question", ids, overlapping_params());
  ASSERT_TRUE(eng);
  auto inline_st = run_inline(*eng, [](const request& req) {
    auto s = overlapping(req, 0ms);
    return make_ok(req.participant, s.text, s.ms, req.round);
  });
  EXPECT_EQ(caf::deep_to_string(inline_st), caf::deep_to_string(*in_order.st));
}

TEST_F(actors_fixture, repeated_runs_give_identical_states) {
  strings ids{"a", "b", "c", "d"};
  std::vector<actors::participant_actor> hs;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto delay = caf::timespan{std::chrono::milliseconds{13 * (i + 1)}};
    hs.push_back(participant(ids[i], [delay, i](const request& req) {
      if (i == 3 && req.round == 1) {
        step s;
        s.kind = step::silent;
        return s;
      }
      return overlapping(req, delay);
    }));
  }
  auto coord = coordinator(ids, hs, overlapping_params());
  // The same coordinator twice, then a fresh one.
  auto t0 = now();
  auto first = run(coord);
  auto d1 = first.at - t0;
  t0 = now();
  auto second = run(coord);
  auto d2 = second.at - t0;
  ASSERT_TRUE(first.st && second.st);
  EXPECT_EQ(caf::deep_to_string(*first.st), caf::deep_to_string(*second.st));
  EXPECT_EQ(d1, d2);
  auto third = run(coordinator(ids, hs, overlapping_params()));
  ASSERT_TRUE(third.st);
  EXPECT_EQ(caf::deep_to_string(*first.st), caf::deep_to_string(*third.st));
  EXPECT_EQ(first.st->timeouts, 1u);
}

// Tests: luminance and sampling weights of policy hanzo (suite hanzo).

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/rng/python_random.hpp"

#include "core/policy/hanzo_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- luminance ----------------------------------------------------------------

TEST(hanzo, luminance_comes_from_round_zero_only) {
  auto ps = hanzo_params();
  ps.beta_1 = 2; // run every round
  ps.rounds = 2;
  std::vector<int64_t> round0_ms{250, 0, 1000};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto ms = req.round == 0 ? round0_ms[req.index] : int64_t{5000};
    return make_ok(req.participant, "answer " + req.participant, ms);
  });
  ASSERT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.luminance, (std::vector<double>{lum_of(250), 1.0, 0.5}));
  // Round 0 is not scored.
  EXPECT_TRUE(st.trace.at(0).agreements.empty());
  EXPECT_EQ(st.trace.at(0).confidence, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(st.trace.at(1).agreements.size(), 3u);
}

TEST(hanzo, luminance_is_one_for_everyone_before_the_first_sample) {
  auto eng = engine::make("q", {"a", "b"}, hanzo_params());
  ASSERT_TRUE(eng);
  EXPECT_EQ(eng->current().luminance, (std::vector<double>{1.0, 1.0}));
}

TEST(hanzo, a_failed_first_call_keeps_luminance_one) {
  auto ps = hanzo_params();
  ps.beta_1 = 2;
  ps.rounds = 1;
  ps.timeout_ms = 800;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 0 && req.index == 0)
      return make_failure(req.participant, 0, "boom", 300);
    if (req.round == 0 && req.index == 1) {
      auto r = make_failure(req.participant, 0, "");
      r.timed_out = true; // ms becomes 800, still a failure
      return r;
    }
    return make_ok(req.participant, "x", 400);
  });
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 1.0, lum_of(400)}));
  // The failure of round 0 still left an (empty) response.
  EXPECT_EQ(st.responses[0].size(), 2u);
  EXPECT_FALSE(st.responses[0][0].ok);
}

TEST(hanzo, weights_are_luminance_divided_by_its_sum) {
  auto ps = hanzo_params();
  ps.rounds = 1;
  ps.beta_1 = 2;
  std::vector<int64_t> ms{100, 300, 0};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, "x", ms[req.index]);
  });
  ASSERT_EQ(st.trace.size(), 2u);
  std::vector<double> lum{lum_of(100), lum_of(300), 1.0};
  auto total = rng::python_fsum(lum);
  std::vector<double> expected;
  for (auto l : lum)
    expected.push_back(l / total);
  EXPECT_EQ(st.trace[1].weights, expected);
}

// Tests: luminance and sampling weights of policy hanzo (suite hanzo).

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/policy/hanzo.hpp"
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

// -- hooks for callers that own the random state
// --------------------------------

namespace {

/// Runs {a, b, c} (round-0 latencies 100, 200, 300 ms) for one refinement
/// round with a hanzo instance prepared by `prep`; returns the state.
template <class Prepare>
state run_prepared(Prepare prep) {
  auto ps = hanzo_params();
  ps.beta_1 = 2;
  ps.rounds = 1;
  engine_options opts;
  opts.factory = [&] {
    auto pol = std::make_unique<policy::hanzo>();
    prep(*pol);
    return std::unique_ptr<policy::policy_base>{std::move(pol)};
  };
  auto eng = engine::make("q", {"a", "b", "c"}, ps, opts);
  EXPECT_TRUE(eng);
  return run_inline(*eng, [](const request& req) {
    return make_ok(req.participant, "x " + req.participant,
                   100 * (int64_t{req.index} + 1));
  });
}

} // namespace

TEST(hanzo, uncompensated_sum_adds_the_weights_left_to_right) {
  auto plain
    = run_prepared([](policy::hanzo& p) { p.uncompensated_sum(true); });
  auto fsum = run_prepared([](policy::hanzo&) {});
  auto lum = plain.luminance;
  auto naive = 0.0;
  for (auto x : lum)
    naive += x;
  ASSERT_EQ(plain.trace.at(1).weights.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(plain.trace.at(1).weights[i], lum[i] / naive);
    EXPECT_EQ(fsum.trace.at(1).weights[i], lum[i] / rng::python_fsum(lum));
  }
}

TEST(hanzo, a_generator_replaced_after_start_decides_the_samples) {
  policy::hanzo fresh;
  EXPECT_EQ(fresh.generator(), nullptr);
  auto ps = hanzo_params();
  ps.beta_1 = 2;
  ps.rounds = 3;
  ps.seed = 1;
  policy::hanzo* hz = nullptr;
  engine_options opts;
  opts.factory = [&hz] {
    auto pol = std::make_unique<policy::hanzo>();
    hz = pol.get();
    return std::unique_ptr<policy::policy_base>{std::move(pol)};
  };
  auto eng = engine::make("q", {"a", "b", "c", "d"}, ps, opts);
  ASSERT_TRUE(eng);
  ASSERT_NE(hz, nullptr);
  ASSERT_NE(hz->generator(), nullptr);
  *hz->generator() = rng::python_random{int64_t{99}};
  auto call = [](const request& req) {
    return make_ok(req.participant, "x " + req.participant, 100);
  };
  auto replaced = run_inline(*eng, call);
  // Three samples of k = 3, two 32-bit draws each: 18 words used.
  EXPECT_EQ(hz->generator()->state_position(), 18u);
  ps.seed = 99;
  auto seeded = run_script({"a", "b", "c", "d"}, ps, call);
  ASSERT_EQ(replaced.trace.size(), seeded.trace.size());
  for (size_t r = 0; r < seeded.trace.size(); ++r)
    EXPECT_EQ(replaced.trace[r].samples, seeded.trace[r].samples) << r;
}

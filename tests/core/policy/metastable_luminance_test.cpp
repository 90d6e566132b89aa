// Tests: luminance of policy metastable, relative to the fastest live agent
// (suite metastable).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- luminance ----------------------------------------------------------------

TEST(metastable, luminance_is_relative_to_the_fastest_live_agent) {
  params ps;
  ps.rounds = 1;
  ps.k = 1;
  std::vector<int64_t> ms{200, 100, 400, 7};
  auto st = run_script({"a", "b", "c", "d"}, ps, [&](const request& req) {
    if (req.index == 3) // fastest, but never ok
      return make_failure(req.participant, req.round, "x", ms[3]);
    return make_ok(req.participant, disjoint(req), ms[req.index]);
  });
  auto best = lum_of(100);
  std::vector<double> expected{lum_of(200) / best, 1.0, lum_of(400) / best,
                               0.0};
  // trace[1].weights = luminance after round 0 = sampling weights.
  EXPECT_EQ(st.trace.at(1).weights, expected);
  EXPECT_EQ(st.luminance, expected);
  EXPECT_EQ(*std::max_element(st.luminance.begin(), st.luminance.end()), 1.0);
}

TEST(metastable, luminance_is_an_ewma_with_failures_counted_as_timeout) {
  params ps;
  ps.rounds = 2;
  ps.k = 1;
  ps.timeout_ms = 1000;
  // ms[round][i]; negative = failure, -2 = timed out.
  std::vector<std::vector<int64_t>> ms{
    {200, 200, 300}, {600, -1, 300}, {-2, 0, 300}};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto x = ms[req.round][req.index];
    if (x == -1)
      return make_failure(req.participant, req.round, "err", 5);
    if (x == -2) {
      auto r = make_failure(req.participant, req.round, "");
      r.timed_out = true;
      return r;
    }
    return make_ok(req.participant, disjoint(req), x);
  });
  // Means: a 200 -> 400 -> 700; b 200 -> 600 -> 300; c 300 throughout.
  auto check = [](const std::vector<double>& got, std::vector<double> means) {
    std::vector<double> l;
    for (auto m : means)
      l.push_back(lum_of(m));
    auto best = *std::max_element(l.begin(), l.end());
    for (auto& x : l)
      x /= best;
    EXPECT_EQ(got, l);
  };
  check(st.trace.at(1).weights, {200, 200, 300});
  check(st.trace.at(2).weights, {400, 600, 300});
  check(st.luminance, {700, 300, 300});
}

TEST(metastable, an_agent_without_ok_call_has_zero_luminance_until_it_answers) {
  params ps;
  ps.rounds = 2;
  ps.k = 1;
  ps.timeout_ms = 1000;
  auto st = run_script({"a", "b"}, ps, [](const request& req) {
    if (req.index == 1 && req.round == 0)
      return make_failure(req.participant, 0, "cold start", 50);
    return make_ok(req.participant, disjoint(req), 0);
  });
  EXPECT_EQ(st.trace.at(1).weights, (std::vector<double>{1.0, 0.0}));
  // b: mean = 1000/2 + 0/2 = 500 after round 1.
  EXPECT_EQ(st.trace.at(2).weights, (std::vector<double>{1.0, lum_of(500)}));
  // In round 1, a's sample was empty (b not live), b sampled a.
  EXPECT_TRUE(st.trace[1].samples[0].empty());
  EXPECT_EQ(st.trace[1].samples[1], (std::vector<uint32_t>{0}));
  EXPECT_EQ(st.trace[2].samples[0], (std::vector<uint32_t>{1}));
}

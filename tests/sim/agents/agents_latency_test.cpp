// Tests: synthetic agents: latency models, and latencies above the timeout
// (suite agents_latency).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "sim/agents/agents_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::sim::test;

namespace {

// -- latency ------------------------------------------------------------------

TEST(agents_latency, constant) {
  latency_model m;
  m.type = latency_model::kind::constant;
  m.a = 250;
  for (auto x : latencies(m))
    ASSERT_EQ(x, 250);
}

TEST(agents_latency, uniform) {
  latency_model m;
  m.type = latency_model::kind::uniform;
  m.a = 100;
  m.b = 300;
  auto xs = latencies(m);
  auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
  EXPECT_GE(*lo, 100);
  EXPECT_LE(*hi, 300);
  EXPECT_LT(*lo, 105); // The range is covered.
  EXPECT_GT(*hi, 295);
  EXPECT_NEAR(mean(xs), 200.0, 3.0); // Standard error: 0.41.
}

TEST(agents_latency, normal) {
  latency_model m;
  m.type = latency_model::kind::normal;
  m.a = 200;
  m.b = 50;
  auto xs = latencies(m);
  EXPECT_NEAR(mean(xs), 200.0, 2.0); // Standard error: 0.35.
  double var = 0;
  auto mu = mean(xs);
  for (auto x : xs)
    var += (x - mu) * (x - mu);
  EXPECT_NEAR(std::sqrt(var / xs.size()), 50.0, 2.0);
}

TEST(agents_latency, normal_is_truncated_at_zero) {
  // N(10, 20) truncated at 0 (by redrawing): mean 10 + 20 * phi(0.5) /
  // Phi(0.5) = 20.18; a clamp to 0 would give 13.9 and many zeros.
  latency_model m;
  m.type = latency_model::kind::normal;
  m.a = 10;
  m.b = 20;
  auto xs = latencies(m);
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 0);
  EXPECT_NEAR(mean(xs), 20.2, 1.0);
  auto zeros = std::count(xs.begin(), xs.end(), 0);
  EXPECT_LT(zeros, draws / 50); // Only draws in [0, 0.5) round to 0.
}

TEST(agents_latency, lognormal) {
  latency_model m;
  m.type = latency_model::kind::lognormal;
  m.a = 100;
  m.b = 0.5;
  auto xs = latencies(m);
  // Mean: 100 * exp(0.5^2 / 2) = 113.3; median: 100.
  EXPECT_NEAR(mean(xs), 113.3, 2.5);
  std::sort(xs.begin(), xs.end());
  EXPECT_NEAR(static_cast<double>(xs[xs.size() / 2]), 100.0, 3.0);
  EXPECT_GT(xs.front(), 0);
}

TEST(agents_latency, exponential) {
  latency_model m;
  m.type = latency_model::kind::exponential;
  m.a = 150;
  auto xs = latencies(m);
  EXPECT_NEAR(mean(xs), 150.0, 4.0); // Standard error: 1.06.
  auto above = std::count_if(xs.begin(), xs.end(),
                             [](int64_t x) { return x > 150; });
  EXPECT_NEAR(static_cast<double>(above) / draws, std::exp(-1.0), 0.015);
}

TEST(agents_latency, empirical) {
  latency_model m;
  m.type = latency_model::kind::empirical;
  m.values = {10, 20, 70.4};
  std::map<int64_t, double> freq;
  for (auto x : latencies(m))
    freq[x] += 1.0 / draws;
  ASSERT_EQ(freq.size(), 3u);
  for (auto x : {10, 20, 70})
    EXPECT_NEAR(freq[x], 1.0 / 3, 0.015) << x;
}

TEST(agents_latency, latency_above_timeout_is_a_timeout) {
  auto w = make_world();
  w.timeout_ms = 50;
  auto g = make_group();
  g.latency.a = 100;
  auto res = answer(w, make_agent(g), 1, make_request(0));
  EXPECT_FALSE(res.ok);
  EXPECT_TRUE(res.timed_out);
  EXPECT_EQ(res.ms, 50);
  EXPECT_EQ(res.error, "timeout");
  EXPECT_EQ(res.id, "g");
  EXPECT_TRUE(res.label.empty());
  // A latency equal to the timeout is still in time.
  g.latency.a = 50;
  res = answer(w, make_agent(g), 1, make_request(0));
  EXPECT_TRUE(res.ok);
  EXPECT_EQ(res.ms, 50);
}

TEST(agents_latency, timeout_rate_follows_the_tail) {
  auto w = make_world();
  w.timeout_ms = 200;
  auto g = make_group();
  g.latency.type = latency_model::kind::exponential;
  g.latency.a = 100;
  auto a = make_agent(g);
  int timeouts = 0;
  for (uint64_t seed = 0; seed < draws; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    if (res.timed_out) {
      ++timeouts;
      EXPECT_EQ(res.ms, 200);
    } else {
      EXPECT_LE(res.ms, 200);
    }
  }
  // P(X > 200.5) = exp(-2.005) = 0.135.
  EXPECT_NEAR(static_cast<double>(timeouts) / draws, 0.135, 0.012);
}

} // namespace

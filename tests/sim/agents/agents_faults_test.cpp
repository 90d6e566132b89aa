// Tests: synthetic agents: failures, no answers, crashes and their independent
// draws (suite agents_faults).

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

// -- faults -------------------------------------------------------------------

TEST(agents_faults, failure_and_no_answer_rates) {
  auto w = make_world();
  auto g = make_group();
  g.latency.a = 120;
  g.fail = 0.2;
  g.no_answer = 0.1;
  auto a = make_agent(g);
  int failures = 0;
  int timeouts = 0;
  int oks = 0;
  for (uint64_t seed = 0; seed < draws; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    EXPECT_EQ(res.id, "g");
    if (res.ok) {
      ++oks;
      EXPECT_EQ(res.ms, 120);
      EXPECT_FALSE(res.timed_out);
    } else if (res.timed_out) {
      ++timeouts;
      EXPECT_EQ(res.ms, w.timeout_ms);
      EXPECT_EQ(res.error, "timeout");
    } else {
      ++failures;
      EXPECT_EQ(res.error, "simulated failure");
      EXPECT_EQ(res.ms, 120);
      EXPECT_TRUE(res.label.empty());
    }
  }
  EXPECT_NEAR(static_cast<double>(failures) / draws, 0.2, 0.015);
  EXPECT_NEAR(static_cast<double>(timeouts) / draws, 0.1, 0.012);
  EXPECT_NEAR(static_cast<double>(oks) / draws, 0.7, 0.015);
}

TEST(agents_faults, extreme_rates) {
  auto w = make_world();
  auto g = make_group();
  auto a = make_agent(g);
  g.fail = 1;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    auto res = answer(w, a, seed, make_request(0));
    EXPECT_FALSE(res.ok);
    EXPECT_FALSE(res.timed_out);
  }
  g.fail = 0;
  g.no_answer = 1;
  for (uint64_t seed = 0; seed < 200; ++seed)
    EXPECT_TRUE(answer(w, a, seed, make_request(0)).timed_out);
}

TEST(agents_faults, a_failure_after_the_deadline_is_a_timeout) {
  auto w = make_world();
  w.timeout_ms = 100;
  auto g = make_group();
  g.fail = 1;
  g.latency.a = 150;
  auto res = answer(w, make_agent(g), 3, make_request(0));
  EXPECT_TRUE(res.timed_out);
  EXPECT_EQ(res.ms, 100);
  g.latency.a = 80;
  res = answer(w, make_agent(g), 3, make_request(0));
  EXPECT_FALSE(res.timed_out);
  EXPECT_EQ(res.error, "simulated failure");
  EXPECT_EQ(res.ms, 80);
}

TEST(agents_faults, crash_after) {
  auto w = make_world();
  auto g = make_group();
  g.crash_after = 2;
  auto a = make_agent(g);
  for (int32_t r = 0; r <= 2; ++r)
    EXPECT_TRUE(answer(w, a, 7, make_request(r, "A")).ok) << r;
  for (int32_t r = 3; r < 10; ++r) {
    auto res = answer(w, a, 7, make_request(r, "A"));
    EXPECT_FALSE(res.ok) << r;
    EXPECT_TRUE(res.timed_out) << r;
    EXPECT_EQ(res.round, r);
  }
  g.crash_after = 0;
  EXPECT_TRUE(answer(w, a, 7, make_request(0)).ok);
  EXPECT_TRUE(answer(w, a, 7, make_request(1, "A")).timed_out);
  g.crash_after = -1;
  EXPECT_TRUE(answer(w, a, 7, make_request(1000, "A")).ok);
}

TEST(agents_faults, fault_draws_leave_latency_and_labels_alone) {
  // Streams are per purpose: raising the failure rate only turns some ok
  // results into failures, the others keep their latency and label.
  auto w = make_world();
  auto g = make_group(behaviour::resample);
  g.weights = {0.5, 0.3, 0.2};
  g.latency.type = latency_model::kind::uniform;
  g.latency.b = 500;
  auto flaky = g;
  flaky.fail = 0.3;
  int both = 0;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    auto x = answer(w, make_agent(g), seed, make_request(1, "A"));
    auto y = answer(w, make_agent(flaky), seed, make_request(1, "A"));
    ASSERT_TRUE(x.ok);
    if (y.ok) {
      ++both;
      EXPECT_EQ(x, y);
    } else {
      EXPECT_EQ(x.ms, y.ms);
    }
  }
  EXPECT_GT(both, 1200);
}

} // namespace

// Snow-family networks: schedules, adversaries, validation, determinism.

#include "caf/consensus/sim/snow/network.hpp"

#include <gtest/gtest.h>

#include "caf/consensus/rng/rng64.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim::snow;

namespace {

config network_config(semantics sem = semantics::snowball) {
  config x;
  x.nodes = 30;
  x.colours = 2;
  x.q = quorum{10, 6, 8, 8};
  x.sem = sem;
  x.checkpoints = 50;
  return x;
}

} // namespace

TEST(snow_network, honest_async_runs_decide_one_colour) {
  for (auto sem :
       {semantics::snowflake, semantics::snowball, semantics::luxfi}) {
    auto x = network_config(sem);
    for (uint64_t s = 0; s < 50; ++s) {
      auto r = run_network(x, s);
      ASSERT_TRUE(r.finished) << to_string(sem) << " seed " << s;
      EXPECT_FALSE(r.disagreement);
      EXPECT_FALSE(r.capped);
      EXPECT_GE(r.decided_colour, 0);
      // Every step is one poll of one honest node.
      EXPECT_EQ(r.steps, r.polls);
      // At least beta polls per node before all decide.
      EXPECT_GE(r.polls, int64_t{30} * 8);
    }
  }
}

TEST(snow_network, sync_rounds_poll_every_undecided_node) {
  auto x = network_config();
  x.sched = schedule::sync;
  for (uint64_t s = 0; s < 30; ++s) {
    auto r = run_network(x, s);
    ASSERT_TRUE(r.finished);
    EXPECT_GE(r.steps, 8); // beta rounds at least
    EXPECT_LE(r.polls, r.steps * 30);
    EXPECT_GT(r.polls, (r.steps - 1) * 1);
    EXPECT_EQ(r.decided.back(), 30u);
  }
}

TEST(snow_network, same_seed_same_run_other_seed_other_run) {
  auto x = network_config();
  auto a = run_network(x, 7);
  auto b = run_network(x, 7);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.decided, b.decided);
  EXPECT_EQ(a.decided_colour, b.decided_colour);
  bool differs = false;
  for (uint64_t s = 8; s < 20 && !differs; ++s)
    differs = run_network(x, s).steps != a.steps;
  EXPECT_TRUE(differs);
}

TEST(snow_network, decided_share_grows_to_everyone) {
  auto x = network_config();
  auto r = run_network(x, 3);
  ASSERT_EQ(r.decided.size(), 50u);
  for (size_t t = 1; t < r.decided.size(); ++t)
    EXPECT_GE(r.decided[t], r.decided[t - 1]);
  EXPECT_EQ(r.decided.front(), 0u); // nobody decides in one poll (beta 8)
  EXPECT_EQ(r.decided.back(), 30u);
}

TEST(snow_network, fixed_adversaries_pull_decisions_to_their_colour) {
  auto x = network_config();
  x.nodes = 40;
  x.adversaries = 10; // a quarter always answers colour 1
  int wrong = 0;
  int honest_only = 0;
  for (uint64_t s = 0; s < 100; ++s) {
    auto r = run_network(x, s);
    wrong += r.decided_colour == 1 ? 1 : 0;
    auto y = x;
    y.adversaries = 0;
    honest_only += run_network(y, s).decided_colour == 1 ? 1 : 0;
  }
  EXPECT_GT(wrong, 90);
  EXPECT_GT(honest_only, 20);
  EXPECT_LT(honest_only, 80);
}

TEST(snow_network, balancing_adversaries_stall_the_network) {
  auto x = network_config(semantics::snowflake);
  x.nodes = 40;
  x.q = quorum{10, 6, 9, 10};
  x.max_polls_per_node = 200;
  auto y = x;
  y.adversaries = 16; // 40%
  y.attack = adversary::balancing;
  int capped_honest = 0;
  int capped_attacked = 0;
  for (uint64_t s = 0; s < 40; ++s) {
    capped_honest += run_network(x, s).capped ? 1 : 0;
    capped_attacked += run_network(y, s).capped ? 1 : 0;
  }
  EXPECT_EQ(capped_honest, 0);
  EXPECT_GT(capped_attacked, 30);
}

TEST(snow_network, cap_stops_a_run_unfinished) {
  auto x = network_config();
  x.max_polls_per_node = 2; // fewer than beta
  auto r = run_network(x, 1);
  EXPECT_TRUE(r.capped);
  EXPECT_FALSE(r.finished);
  EXPECT_EQ(r.steps, 2 * 30);
}

TEST(snow_network, validation_names_field_and_value) {
  struct bad_case {
    void (*edit)(config&);
    const char* text;
  };
  bad_case cases[] = {
    {[](config& x) { x.nodes = 0; }, "nodes = 0"},
    {[](config& x) { x.colours = 0; }, "colours = 0"},
    {[](config& x) { x.q.k = 31; }, "k = 31: must be in [1, nodes]"},
    {[](config& x) { x.q.alpha_preference = 0; }, "alpha_preference = 0"},
    {[](config& x) { x.q.alpha_confidence = 5; },
     "alpha_confidence = 5: must be in [alpha_preference, k]"},
    {[](config& x) { x.q.beta = 0; }, "beta = 0"},
    {[](config& x) { x.adversaries = 30; }, "adversaries = 30"},
    {[](config& x) { x.wrong = 2; }, "wrong = 2"},
    {[](config& x) { x.max_polls_per_node = 0; }, "max_polls_per_node = 0"},
  };
  EXPECT_FALSE(validate(network_config()));
  for (auto& c : cases) {
    auto x = network_config();
    c.edit(x);
    auto err = validate(x);
    ASSERT_TRUE(err) << c.text;
    EXPECT_NE(render(err).find(c.text), std::string::npos) << render(err);
  }
}

TEST(snow_network, equivocating_adversaries_break_safety) {
  auto x = network_config(semantics::snowflake);
  x.nodes = 40;
  x.q = quorum{10, 6, 7, 3};
  int split_honest = 0;
  int split_attacked = 0;
  for (uint64_t s = 0; s < 100; ++s) {
    split_honest += run_network(x, s).disagreement ? 1 : 0;
    auto y = x;
    y.adversaries = 12; // 30%
    y.attack = adversary::equivocating;
    split_attacked += run_network(y, s).disagreement ? 1 : 0;
  }
  EXPECT_LT(split_honest, split_attacked);
  EXPECT_GT(split_attacked, 10);
}

// Tests: synthetic agents: names of latency models and behaviours as written in
// scenario files (suite agents).

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

// -- names --------------------------------------------------------------------

TEST(agents, names_match_scenario_files) {
  using kind = latency_model::kind;
  EXPECT_EQ(to_string(kind::constant), "constant");
  EXPECT_EQ(to_string(kind::uniform), "uniform");
  EXPECT_EQ(to_string(kind::normal), "normal");
  EXPECT_EQ(to_string(kind::lognormal), "lognormal");
  EXPECT_EQ(to_string(kind::exponential), "exponential");
  EXPECT_EQ(to_string(kind::empirical), "empirical");
  EXPECT_EQ(to_string(behaviour::stubborn), "stubborn");
  EXPECT_EQ(to_string(behaviour::resample), "resample");
  EXPECT_EQ(to_string(behaviour::copy_peer), "copy-peer");
  EXPECT_EQ(to_string(behaviour::majority), "majority");
  EXPECT_EQ(to_string(behaviour::conform), "conform");
  EXPECT_EQ(to_string(behaviour::fixed_wrong), "fixed-wrong");
  EXPECT_EQ(to_string(behaviour::flip_flop), "flip-flop");
  EXPECT_EQ(to_string(behaviour::balancing), "balancing");
  EXPECT_EQ(to_string(behaviour::follow_policy), "follow-policy");
}

} // namespace

// Tests: synthetic agents: the same inputs give the same result, rounds use
// fresh streams (suite agents_determinism).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/agents/internal/streams.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"
#include "sim/agents/agents_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;
using namespace caf::consensus::sim::test;

namespace {

// -- determinism --------------------------------------------------------------

TEST(agents_determinism, same_inputs_same_result) {
  auto w = make_world();
  auto g = make_group(behaviour::copy_peer);
  g.weights = {0.4, 0.3, 0.3};
  g.latency.type = latency_model::kind::lognormal;
  g.latency.b = 1;
  g.noise = 0.2;
  g.fail = 0.1;
  auto req = make_request(2, "B", {"A", "C", "B"});
  std::vector<result> first;
  for (uint32_t i = 0; i < 20; ++i)
    first.push_back(answer(w, agent{"x", &g, i}, 99, req));
  // Any call order gives the same results.
  for (uint32_t i = 20; i-- > 0;)
    EXPECT_EQ(answer(w, agent{"x", &g, i}, 99, req), first[i]) << i;
  // Another seed, another run.
  int same = 0;
  for (uint32_t i = 0; i < 20; ++i)
    if (answer(w, agent{"x", &g, i}, 100, req) == first[i])
      ++same;
  EXPECT_LT(same, 3);
  // Agents of one run differ from each other (streams keyed by index).
  std::set<std::string> outputs;
  for (auto& x : first)
    outputs.insert(x.output + std::to_string(x.ms));
  EXPECT_GT(outputs.size(), 15u);
}

TEST(agents_determinism, streams_are_the_documented_derivation_in_any_order) {
  // `stream` keeps the last call's key per thread: whatever the order of the
  // draws (same call, another agent, round, run or purpose), every stream is
  // rng64{derive(run_seed, {index, round, purpose})}.
  auto check = [](uint64_t salt) {
    rng::rng64 pick{salt};
    int mismatches = 0;
    for (int i = 0; i < 2000; ++i) {
      uint64_t run_seed = 1000 + pick.below(3);
      agent a{"x", nullptr, static_cast<uint32_t>(pick.below(4))};
      auto round = static_cast<int32_t>(pick.below(3)) - 1; // -1 .. 1
      auto purpose = pick.next();
      auto r = static_cast<uint64_t>(static_cast<int64_t>(round));
      rng::rng64 want{rng::derive(run_seed, {uint64_t{a.index}, r, purpose})};
      auto got = agents_internal::stream(run_seed, a, round, purpose);
      if (got.next() != want.next())
        ++mismatches;
    }
    return mismatches;
  };
  EXPECT_EQ(check(1), 0);
  int other = -1;
  std::thread t{[&] { other = check(2); }};
  auto here = check(3);
  t.join();
  EXPECT_EQ(here, 0);
  EXPECT_EQ(other, 0);
}

TEST(agents_determinism, rounds_use_fresh_streams) {
  auto w = make_world();
  auto g = make_group();
  g.latency.type = latency_model::kind::uniform;
  g.latency.b = 1000000;
  w.timeout_ms = 2000000;
  auto a = make_agent(g);
  std::set<int64_t> ms;
  for (int32_t r = 0; r < 20; ++r)
    ms.insert(answer(w, a, 5, make_request(r, "A")).ms);
  EXPECT_EQ(ms.size(), 20u);
}

} // namespace

// Tests: the policies' samples of many participants (suite sampling_policies).

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

#include "core/detail/sampling_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

namespace {

std::vector<std::string> names(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back("p" + std::to_string(i));
  return out;
}

state run_policy(const std::string& policy, size_t n, int64_t seed,
                 bool weighted = false) {
  params ps;
  ps.policy = policy;
  ps.rounds = 3;
  ps.k = 4;
  ps.beta_1 = 2.0;
  ps.seed = seed;
  ps.luminance_weighted = weighted;
  auto eng = engine::make("q", names(n), ps);
  if (!eng) {
    ADD_FAILURE() << render(eng.error());
    return {};
  }
  return run_inline(*eng, [](const request& req) {
    // Every fifth participant fails in round 0 (not live in round 1).
    if (req.index % 5 == 4 && req.round == 0)
      return make_failure(req.participant, 0, "down");
    auto r = make_ok(req.participant,
                     "answer " + std::to_string(req.index % 3) + " round "
                       + std::to_string(req.round),
                     static_cast<int64_t>(10 + (req.index * 37) % 900));
    r.label = std::to_string(req.index % 3);
    return r;
  });
}

} // namespace

TEST(sampling_policies, metastable_samples_of_many_participants_are_valid) {
  for (size_t n : {40u, 200u}) {
    auto st = run_policy("metastable", n, 11);
    auto& tr = st.trace.at(1);
    ASSERT_EQ(tr.samples.size(), n);
    ids live;
    for (uint32_t j = 0; j < n; ++j)
      if (j % 5 != 4)
        live.push_back(j);
    for (uint32_t i = 0; i < n; ++i) {
      check_valid(tr.samples[i], i, live);
      EXPECT_EQ(tr.samples[i].size(), 4u);
    }
    // Round 2: everyone is live.
    for (uint32_t i = 0; i < n; ++i)
      check_valid(st.trace.at(2).samples[i], i, iota(static_cast<uint32_t>(n)));
  }
}

TEST(sampling_policies, vote_and_snowball_samples_of_many_are_valid) {
  constexpr size_t n = 120;
  ids live;
  for (uint32_t j = 0; j < n; ++j)
    if (j % 5 != 4)
      live.push_back(j);
  auto vt = run_policy("vote", n, 3);
  for (uint32_t i = 0; i < n; ++i) {
    check_valid(vt.trace.at(1).samples[i], i, live);
    EXPECT_EQ(vt.trace.at(1).samples[i].size(), 4u);
  }
  for (bool weighted : {false, true}) {
    auto sb = run_policy("snowball", n, 4, weighted);
    auto& s1 = sb.trace.at(1).samples;
    for (uint32_t i = 0; i < n; ++i) {
      // Snowball polls everyone, live or not, unless weighted by luminance
      // (then participants without an ok call have weight 0).
      check_valid(s1[i], i, weighted ? live : iota(n));
      EXPECT_EQ(s1[i].size(), 4u);
    }
  }
}

TEST(sampling_policies, vote_confidence_is_the_share_of_equal_votes) {
  constexpr size_t n = 90;
  auto st = run_policy("vote", n, 5);
  // Final votes: label index % 3 for everyone (the failures of round 0 are
  // followed by ok answers).
  std::map<std::string, size_t> votes;
  for (size_t i = 0; i < n; ++i)
    ++votes[std::to_string(i % 3)];
  for (size_t i = 0; i < n; ++i)
    EXPECT_EQ(st.confidence[i],
              static_cast<double>(votes[std::to_string(i % 3)]) / n);
}

TEST(sampling_policies, large_runs_are_deterministic_per_seed) {
  auto samples = [](const state& st) {
    std::vector<ids> out;
    for (auto& tr : st.trace)
      for (auto& s : tr.samples)
        out.push_back(s.to_vector());
    return out;
  };
  for (auto policy : {"metastable", "vote", "snowball"}) {
    auto a = run_policy(policy, 150, 21);
    auto b = run_policy(policy, 150, 21);
    auto c = run_policy(policy, 150, 22);
    EXPECT_EQ(samples(a), samples(b)) << policy;
    EXPECT_NE(samples(a), samples(c)) << policy;
  }
}

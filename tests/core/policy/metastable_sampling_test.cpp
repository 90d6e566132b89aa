// Tests: the peer samples of policy metastable (suite metastable).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"

#include "core/policy/metastable_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- sampling -----------------------------------------------------------------

TEST(metastable, samples_are_distinct_never_self_of_size_min_k_m_minus_1) {
  for (int32_t k : {1, 3, 5, 10}) {
    for (int64_t seed : {0, 1, 2, 3}) {
      params ps;
      ps.k = k;
      ps.rounds = 3;
      ps.seed = seed;
      auto st = run_script(ids_of(6), ps, [](const request& req) {
        return make_ok(req.participant, disjoint(req), 50 * req.index);
      });
      for (int32_t r = 1; r <= 3; ++r) {
        auto& tr = st.trace.at(r);
        ASSERT_EQ(tr.samples.size(), 6u);
        for (uint32_t i = 0; i < 6; ++i) {
          EXPECT_EQ(tr.samples[i].size(), static_cast<size_t>(std::min(k, 5)));
          check_sample(tr.samples[i], i);
        }
      }
    }
  }
}

TEST(metastable, samples_only_hold_agents_with_an_ok_response) {
  // p4 and p5 fail in every round: m = 4 live participants.
  for (int32_t k : {2, 3, 5}) {
    params ps;
    ps.k = k;
    ps.rounds = 2;
    auto st = run_script(ids_of(6), ps, [](const request& req) {
      if (req.index >= 4)
        return make_failure(req.participant, req.round, "x");
      return make_ok(req.participant, disjoint(req), 10);
    });
    for (int32_t r = 1; r <= 2; ++r) {
      auto& tr = st.trace.at(r);
      for (uint32_t i = 0; i < 6; ++i) {
        auto& s = tr.samples[i];
        check_sample(s, i);
        for (auto j : s)
          EXPECT_LT(j, 4u);
        if (i < 4) {
          EXPECT_EQ(s.size(), static_cast<size_t>(std::min(k, 3)));
        } else {
          // Not live itself: at least min(k, m-1), at most min(k, m).
          EXPECT_GE(s.size(), static_cast<size_t>(std::min(k, 3)));
          EXPECT_LE(s.size(), static_cast<size_t>(std::min(k, 4)));
        }
      }
    }
  }
}

TEST(metastable, each_prompt_lists_its_own_sample) {
  params ps;
  ps.k = 2;
  ps.rounds = 2;
  ps.seed = 9;
  std::vector<request> log;
  auto st = run_script(
    ids_of(5), ps,
    [](const request& req) {
      // p2 fails in round 1: in round 2 its latest ok response (round 0)
      // is shown.
      if (req.index == 2 && req.round == 1)
        return make_failure(req.participant, 1, "x");
      return make_ok(req.participant, disjoint(req), 10);
    },
    &log);
  ASSERT_EQ(log.size(), 15u);
  std::set<std::string> prompts;
  for (int32_t r = 1; r <= 2; ++r) {
    for (uint32_t i = 0; i < 5; ++i) {
      auto& req = log[5 * r + i];
      ASSERT_EQ(req.round, r);
      ASSERT_EQ(req.index, i);
      auto& sample = st.trace.at(r).samples.at(i);
      ASSERT_EQ(req.peers.size(), sample.size());
      for (size_t s = 0; s < sample.size(); ++s) {
        auto j = sample[s];
        EXPECT_EQ(req.peers[s].id, st.participants[j]);
        auto latest_ok_round = (j == 2 && r == 2) ? 0 : r - 1;
        request fake;
        fake.participant = st.participants[j];
        fake.round = latest_ok_round;
        EXPECT_EQ(req.peers[s].text, disjoint(fake));
      }
      EXPECT_EQ(req.prompt, render_prompt("the query", req.peers));
      EXPECT_EQ(req.query, "the query");
      prompts.insert(req.prompt);
    }
  }
  EXPECT_GT(prompts.size(), 2u); // individual prompts, not one shared
}

TEST(metastable, faster_agents_are_sampled_more_often) {
  // p3 answers in 59 s, the others instantly: L = 1, 1, 1, 1/60. With k = 1,
  // p3 is drawn by each of p0..p2 with probability (1/60)/(2 + 1/60) < 1%.
  size_t slow = 0;
  size_t draws = 0;
  for (int64_t seed = 0; seed < 60; ++seed) {
    params ps;
    ps.k = 1;
    ps.rounds = 1;
    ps.seed = seed;
    auto st = run_script(ids_of(4), ps, [](const request& req) {
      return make_ok(req.participant, disjoint(req),
                     req.index == 3 ? 59000 : 0);
    });
    for (uint32_t i = 0; i < 3; ++i) {
      ++draws;
      if (st.trace.at(1).samples[i].to_vector().at(0) == 3)
        ++slow;
    }
  }
  EXPECT_EQ(draws, 180u);
  EXPECT_LT(slow, 15u); // uniform sampling would give ~60
}

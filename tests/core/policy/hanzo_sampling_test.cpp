// Tests: the shared per-round sample of policy hanzo (suite hanzo).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/rng/python_random.hpp"

#include "core/policy/hanzo_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

// -- sampling -----------------------------------------------------------------

TEST(hanzo, one_shared_sample_per_round_with_replacement_of_size_min_k_n) {
  for (int32_t k : {1, 2, 3, 7}) {
    auto ps = hanzo_params();
    ps.k = k;
    ps.rounds = 3;
    ps.beta_1 = 2;
    ps.seed = 99;
    std::vector<request> log;
    auto st = run_script(
      {"a", "b", "c"}, ps,
      [](const request& req) {
        return make_ok(req.participant,
                       req.participant + " says " + std::to_string(req.round));
      },
      &log);
    auto kk = std::min(k, 3);
    EXPECT_EQ(st.k, kk);
    ASSERT_EQ(st.trace.size(), 4u);
    ASSERT_EQ(log.size(), 12u);
    for (int32_t r = 1; r <= 3; ++r) {
      auto& tr = st.trace[r];
      ASSERT_EQ(tr.samples.size(), 1u) << "one shared sample";
      auto& sample = tr.samples[0];
      EXPECT_EQ(sample.size(), static_cast<size_t>(kk));
      for (auto j : sample)
        EXPECT_LT(j, 3u);
      // Every participant got the same prompt and the same peers.
      auto& first = log[3 * r];
      EXPECT_EQ(first.peers.size(), sample.size());
      for (size_t i = 0; i < 3; ++i) {
        auto& req = log[3 * r + i];
        EXPECT_EQ(req.prompt, first.prompt);
        ASSERT_EQ(req.peers.size(), sample.size());
        for (size_t s = 0; s < sample.size(); ++s) {
          EXPECT_EQ(req.peers[s].id, st.participants[sample[s]]);
          // Built from the latest responses before the round.
          EXPECT_EQ(req.peers[s].text, st.participants[sample[s]] + " says "
                                         + std::to_string(r - 1));
        }
      }
      // Every ok participant was scored against that same sample.
      ASSERT_EQ(tr.agreements.size(), 3u);
      for (auto& a : tr.agreements)
        EXPECT_EQ(a.sampled, sample);
    }
  }
}

TEST(hanzo, samples_repeat_and_include_self) {
  // k' = n = 2 with replacement: over a few seeds some sample holds the same
  // participant twice (probability 1/2 per draw pair).
  bool repeat_seen = false;
  for (int64_t seed = 0; seed < 20 && !repeat_seen; ++seed) {
    auto ps = hanzo_params();
    ps.k = 2;
    ps.rounds = 1;
    ps.seed = seed;
    auto st = run_script({"a", "b"}, ps, [](const request& req) {
      return make_ok(req.participant, "x");
    });
    auto& s = st.trace.at(1).samples.at(0);
    ASSERT_EQ(s.size(), 2u);
    repeat_seen = s[0] == s[1];
  }
  EXPECT_TRUE(repeat_seen);
}

TEST(hanzo, the_sample_follows_python_random_choices_with_the_seed) {
  auto ps = hanzo_params();
  ps.k = 3;
  ps.rounds = 2;
  ps.beta_1 = 2;
  ps.seed = 1234;
  std::vector<int64_t> ms{100, 2000, 0, 500};
  auto st = run_script({"a", "b", "c", "d"}, ps, [&](const request& req) {
    return make_ok(req.participant, "x " + req.participant, ms[req.index]);
  });
  rng::python_random gen{1234};
  for (int32_t r = 1; r <= 2; ++r) {
    auto xs = gen.choices(st.trace[r].weights, 3);
    ASSERT_TRUE(xs);
    std::vector<uint32_t> expected(xs->begin(), xs->end());
    EXPECT_EQ(st.trace[r].samples.at(0), expected) << "round " << r;
  }
}

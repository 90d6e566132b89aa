// Tests: agreement and confidence scoring of policy hanzo (suite hanzo).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

#include "core/policy/hanzo_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::test;

namespace {

double jaccard(const std::string& a, const std::string& b) {
  return text::jaccard(text::tokenize(a), text::tokenize(b));
}

/// The agreement the reference gives participant `i` in round `r` of a run
/// whose outputs are `outputs[round][participant]`: the mean Jaccard over
/// the round's shared `sample`, where a peer j > i still shows its answer of
/// the round before (the reference scores one result at a time).
double mean_jaccard(const std::vector<strings>& outputs, int32_t r, uint32_t i,
                    const sample_list& sample) {
  double total = 0;
  for (auto j : sample)
    total += jaccard(outputs[r][i], outputs[j <= i ? r : r - 1][j]);
  return total / static_cast<double>(sample.size());
}

} // namespace

// -- scoring ------------------------------------------------------------------

TEST(hanzo, scoring_is_order_dependent) {
  // Round 0 everyone says "x y", round 1 everyone says "p q". Participant i
  // sees the new output of peers j <= i (agreement 1) and the old output of
  // peers j > i (agreement 0).
  bool first_saw_old = false;
  for (int64_t seed = 0; seed < 10; ++seed) {
    auto ps = hanzo_params();
    ps.k = 3;
    ps.rounds = 1;
    ps.seed = seed;
    auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
      return make_ok(req.participant, req.round == 0 ? "x y" : "p q");
    });
    auto& tr = st.trace.at(1);
    auto& sample = tr.samples.at(0);
    ASSERT_EQ(tr.agreements.size(), 3u);
    for (uint32_t i = 0; i < 3; ++i) {
      auto& rec = tr.agreements[i];
      EXPECT_EQ(rec.participant, i);
      double hits = 0;
      for (auto j : sample)
        hits += j <= i ? 1.0 : 0.0;
      auto expected = hits / static_cast<double>(sample.size());
      EXPECT_EQ(rec.agreement, expected) << "seed " << seed << " i " << i;
      EXPECT_EQ(st.confidence[i], expected * 0.5);
    }
    // The last participant sees everyone's new output.
    EXPECT_EQ(tr.agreements[2].agreement, 1.0);
    if (tr.agreements[0].agreement < 1.0)
      first_saw_old = true;
  }
  EXPECT_TRUE(first_saw_old);
}

TEST(hanzo, agreement_is_the_mean_jaccard_over_the_sample_with_repeats) {
  auto ps = hanzo_params();
  ps.k = 4;
  ps.rounds = 2;
  ps.beta_1 = 2;
  ps.seed = 7;
  // outputs[round][i]
  std::vector<strings> outputs{
    {"alpha beta gamma", "alpha beta", "delta"},
    {"alpha beta", "beta gamma delta", "alpha"},
    {"gamma", "alpha beta gamma delta", "beta gamma"},
  };
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, outputs[req.round][req.index]);
  });
  ASSERT_EQ(st.rounds_executed, 2);
  std::vector<double> c(3, 0.0);
  for (int32_t r = 1; r <= 2; ++r) {
    auto& tr = st.trace[r];
    auto& sample = tr.samples.at(0);
    ASSERT_EQ(sample.size(), 3u); // min(4, 3)
    for (uint32_t i = 0; i < 3; ++i) {
      auto a = mean_jaccard(outputs, r, i, sample);
      EXPECT_EQ(tr.agreements.at(i).agreement, a) << "r " << r << " i " << i;
      c[i] = c[i] * 0.5 + a * 0.5;
      EXPECT_EQ(tr.confidence.at(i), c[i]);
    }
  }
  EXPECT_EQ(st.confidence, c);
}

TEST(hanzo, agreement_is_the_same_when_the_vocabulary_outgrows_64_tokens) {
  // Sets are compared as 64-bit words while every token id is below 64 and
  // as id lists after: rounds 1 and 2 use a few tokens, round 3 brings
  // dozens of new ones (the id lists and mixed pairs). Every agreement still
  // equals the mean Jaccard of the token sets.
  auto ps = hanzo_params();
  ps.k = 3;
  ps.rounds = 3;
  ps.beta_1 = 2;
  ps.seed = 11;
  auto many = [](int from) {
    std::string out;
    for (int w = from; w < from + 60; ++w)
      out += "word" + std::to_string(w) + " ";
    return out + "alpha";
  };
  std::vector<strings> outputs{
    {"alpha beta gamma", "alpha beta", "delta"},
    {"alpha beta", "beta gamma delta", "alpha"},
    {"gamma", "alpha beta gamma delta", "beta gamma"},
    {many(0), "alpha beta", many(50)},
  };
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, outputs[req.round][req.index]);
  });
  ASSERT_EQ(st.rounds_executed, 3);
  for (int32_t r = 1; r <= 3; ++r) {
    auto& tr = st.trace[r];
    auto& sample = tr.samples.at(0);
    for (uint32_t i = 0; i < 3; ++i)
      EXPECT_EQ(tr.agreements.at(i).agreement,
                mean_jaccard(outputs, r, i, sample))
        << "r " << r << " i " << i;
  }
}

TEST(hanzo, failures_keep_confidence_but_their_output_is_used_by_peers) {
  auto ps = hanzo_params();
  ps.k = 2;
  ps.rounds = 2;
  ps.beta_1 = 2;
  std::vector<request> log;
  auto st = run_script(
    {"a", "b"}, ps,
    [](const request& req) {
      if (req.index == 1 && req.round == 1) {
        auto r = make_failure(req.participant, 1, "partial answer", 10);
        r.output = "zzz partial";
        return r;
      }
      return make_ok(req.participant, "zzz", 10);
    },
    &log);
  auto& tr1 = st.trace.at(1);
  // b failed in round 1: only a was scored, b's confidence unchanged.
  ASSERT_EQ(tr1.agreements.size(), 1u);
  EXPECT_EQ(tr1.agreements[0].participant, 0u);
  EXPECT_EQ(tr1.confidence.at(1), 0.0);
  // b's failed output is its latest response and shows up in round 2.
  EXPECT_EQ(st.responses[1][1].text, "zzz partial");
  EXPECT_FALSE(st.responses[1][1].ok);
  auto& s2 = st.trace.at(2).samples.at(0);
  auto& req_a2 = log.at(4);
  ASSERT_EQ(req_a2.round, 2);
  for (size_t s = 0; s < s2.size(); ++s) {
    if (s2[s] == 1) {
      EXPECT_EQ(req_a2.peers.at(s).text, "zzz partial");
    }
  }
  // In round 2, a compares to b's round-1 (failed) output "zzz partial":
  // Jaccard({zzz}, {zzz, partial}) = 0.5.
  double total = 0;
  for (auto j : s2)
    total += j == 0 ? 1.0 : 0.5;
  EXPECT_EQ(st.trace[2].agreements.at(0).agreement, total / 2.0);
}

TEST(hanzo, alpha_is_ignored) {
  auto run_with = [](double alpha) {
    auto ps = hanzo_params();
    ps.alpha = alpha;
    ps.rounds = 2;
    ps.beta_1 = 2;
    ps.seed = 5;
    auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
      return make_ok(req.participant,
                     req.index == 0 ? "one two" : "two three four",
                     10 * req.index);
    });
    st.alpha = 0; // the only field that may differ
    return caf::deep_to_string(st);
  };
  EXPECT_EQ(run_with(0.0), run_with(1.0));
  EXPECT_EQ(run_with(0.6), run_with(-5.0));
}

TEST(hanzo, same_seed_same_state_and_seeds_matter) {
  auto run_with = [](int64_t seed) {
    auto ps = hanzo_params();
    ps.k = 2;
    ps.rounds = 3;
    ps.beta_1 = 2;
    ps.seed = seed;
    return run_script({"a", "b", "c", "d", "e"}, ps, [](const request& req) {
      return make_ok(req.participant, "w" + std::to_string(req.index),
                     100 * req.index);
    });
  };
  auto samples = [](const state& st) {
    std::vector<std::vector<uint32_t>> out;
    for (auto& tr : st.trace)
      for (auto& s : tr.samples)
        out.push_back(s.to_vector());
    return out;
  };
  // Seed 3 draws what CPython draws (3.11 and 3.12, computed there):
  //   lum = [1 / (1 + 100 * i / 1000) for i in range(5)]
  //   w = [x / sum(lum) for x in lum]; random.seed(3)
  //   [random.choices(range(5), weights=w, k=2) for r in (1, 2, 3)]
  const std::vector<std::vector<uint32_t>> cpython{{1, 2}, {1, 2}, {2, 0}};
  auto st = run_with(3);
  EXPECT_EQ(samples(st), cpython);
  EXPECT_EQ(st.rounds_executed, 3);
  auto base = samples(run_with(0));
  bool differs = false;
  for (int64_t seed = 1; seed < 10 && !differs; ++seed)
    differs = samples(run_with(seed)) != base;
  EXPECT_TRUE(differs);
}

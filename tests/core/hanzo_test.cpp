// caf-consensus: unit tests of policy `hanzo` (the reference behaviour of
// hanzo-consensus 0.1.0) beyond the recorded conformance cases.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

using namespace caf::consensus;

namespace {

using strings = std::vector<std::string>;

params hanzo_params() {
  params ps;
  ps.policy = "hanzo";
  return ps;
}

state run_script(strings ids, params ps,
                 const std::function<result(const request&)>& fn,
                 std::vector<request>* log = nullptr) {
  auto eng = engine::make("q", std::move(ids), std::move(ps));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    if (log != nullptr)
      log->push_back(req);
    return fn(req);
  });
}

double lum_of(double ms) {
  return 1.0 / (1.0 + ms / 1000.0);
}

double jaccard(const std::string& a, const std::string& b) {
  return text::jaccard(text::tokenize(a), text::tokenize(b));
}

/// Runs identical instant answers and returns the final state.
state identical_instant(double beta_1, double beta_2, int32_t rounds,
                        size_t n = 3) {
  auto ps = hanzo_params();
  ps.beta_1 = beta_1;
  ps.beta_2 = beta_2;
  ps.rounds = rounds;
  strings ids;
  for (size_t i = 0; i < n; ++i)
    ids.push_back("agent" + std::to_string(i));
  return run_script(ids, ps, [](const request& req) {
    return make_ok(req.participant, "the very same answer", 0);
  });
}

} // namespace

// -- luminance ----------------------------------------------------------------

TEST(hanzo, luminance_comes_from_round_zero_only) {
  auto ps = hanzo_params();
  ps.beta_1 = 2; // run every round
  ps.rounds = 2;
  std::vector<int64_t> round0_ms{250, 0, 1000};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto ms = req.round == 0 ? round0_ms[req.index] : int64_t{5000};
    return make_ok(req.participant, "answer " + req.participant, ms);
  });
  ASSERT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.luminance, (std::vector<double>{lum_of(250), 1.0, 0.5}));
  // Round 0 is not scored.
  EXPECT_TRUE(st.trace.at(0).agreements.empty());
  EXPECT_EQ(st.trace.at(0).confidence, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(st.trace.at(1).agreements.size(), 3u);
}

TEST(hanzo, luminance_is_one_for_everyone_before_the_first_sample) {
  auto eng = engine::make("q", {"a", "b"}, hanzo_params());
  ASSERT_TRUE(eng);
  EXPECT_EQ(eng->current().luminance, (std::vector<double>{1.0, 1.0}));
}

TEST(hanzo, a_failed_first_call_keeps_luminance_one) {
  auto ps = hanzo_params();
  ps.beta_1 = 2;
  ps.rounds = 1;
  ps.timeout_ms = 800;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 0 && req.index == 0)
      return make_failure(req.participant, 0, "boom", 300);
    if (req.round == 0 && req.index == 1) {
      auto r = make_failure(req.participant, 0, "");
      r.timed_out = true; // ms becomes 800, still a failure
      return r;
    }
    return make_ok(req.participant, "x", 400);
  });
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 1.0, lum_of(400)}));
  // The failure of round 0 still left an (empty) response.
  EXPECT_EQ(st.responses[0].size(), 2u);
  EXPECT_FALSE(st.responses[0][0].ok);
}

TEST(hanzo, weights_are_luminance_divided_by_its_sum) {
  auto ps = hanzo_params();
  ps.rounds = 1;
  ps.beta_1 = 2;
  std::vector<int64_t> ms{100, 300, 0};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, "x", ms[req.index]);
  });
  ASSERT_EQ(st.trace.size(), 2u);
  std::vector<double> lum{lum_of(100), lum_of(300), 1.0};
  auto total = rng::python_fsum(lum);
  std::vector<double> expected;
  for (auto l : lum)
    expected.push_back(l / total);
  EXPECT_EQ(st.trace[1].weights, expected);
}

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
      double total = 0;
      for (auto j : sample)
        total += jaccard(outputs[r][i], outputs[j <= i ? r : r - 1][j]);
      auto a = total / 3.0;
      EXPECT_EQ(tr.agreements.at(i).agreement, a) << "r " << r << " i " << i;
      c[i] = c[i] * 0.5 + a * 0.5;
      EXPECT_EQ(tr.confidence.at(i), c[i]);
    }
  }
  EXPECT_EQ(st.confidence, c);
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
  EXPECT_EQ(caf::deep_to_string(run_with(3)), caf::deep_to_string(run_with(3)));
  auto samples = [](const state& st) {
    std::vector<std::vector<uint32_t>> out;
    for (auto& tr : st.trace)
      for (auto& s : tr.samples)
        out.push_back(s);
    return out;
  };
  auto base = samples(run_with(0));
  bool differs = false;
  for (int64_t seed = 1; seed < 10 && !differs; ++seed)
    differs = samples(run_with(seed)) != base;
  EXPECT_TRUE(differs);
}

// -- Phase II -----------------------------------------------------------------

TEST(hanzo, winner_is_the_first_highest_score_and_synthesis_is_verbatim) {
  auto ps = hanzo_params();
  ps.k = 3;
  ps.rounds = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    return make_ok(req.participant,
                   req.round == 0
                     ? "Same Answer"
                     : "  Same   ANSWER\n(" + req.participant + ")",
                   0);
  });
  // Scores: confidence * 1.0; the round-1 outputs differ only in the
  // "(x)" token, so the scores are equal unless the sample makes them
  // differ; the winner is the first maximum in any case.
  size_t best = 0;
  for (size_t i = 1; i < 3; ++i)
    if (st.scores[i] > st.scores[best])
      best = i;
  EXPECT_EQ(st.winner, st.participants[best]);
  EXPECT_EQ(st.synthesis, "  Same   ANSWER\n(" + st.winner + ")");
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(st.scores[i], st.confidence[i] * st.luminance[i]);
}

TEST(hanzo, ties_go_to_the_first_participant) {
  auto st = identical_instant(0.5, 0.8, 3);
  EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "agent0");
}

TEST(hanzo, faster_round_zero_wins_a_confidence_tie) {
  auto ps = hanzo_params();
  ps.rounds = 1;
  std::vector<int64_t> ms{900, 100, 500};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, "same", req.round == 0 ? ms[req.index] : 0);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.scores[1], 0.5 * lum_of(100));
}

TEST(hanzo, synthesis_is_the_latest_response_even_a_failed_one) {
  auto ps = hanzo_params();
  ps.rounds = 2;
  ps.beta_1 = 2;
  auto st = run_script({"solo"}, ps, [](const request& req) {
    if (req.round == 2) {
      auto r = make_failure(req.participant, 2, "crash");
      r.output = "half an answer";
      return r;
    }
    return make_ok(req.participant, "full answer");
  });
  EXPECT_EQ(st.winner, "solo");
  EXPECT_EQ(st.confidence[0], 0.5); // round 2 changed nothing
  EXPECT_EQ(st.synthesis, "half an answer");
}

// -- the documented impossibility --------------------------------------------

TEST(hanzo, defaults_never_finalize_even_with_identical_instant_answers) {
  for (int32_t rounds : {1, 3, 10, 50}) {
    auto st = identical_instant(0.5, 0.8, rounds);
    EXPECT_FALSE(st.finalized) << rounds;
    // Confidence 0.5 after round 1 reaches beta_1 and stops sampling.
    EXPECT_EQ(st.stop, stop_reason::beta_1);
    EXPECT_EQ(st.rounds_executed, 1);
    EXPECT_EQ(st.scores[0], 0.5);
  }
  // A single agent with the defaults does not finalize either.
  EXPECT_FALSE(identical_instant(0.5, 0.8, 3, 1).finalized);
}

TEST(hanzo, beta_2_above_half_beta_1_plus_half_never_finalizes) {
  // Identical instant answers: c_r = 1 - 2^-r, sampling stops at the first
  // r with c_r >= beta_1, so the final confidence is below beta_1/2 + 1/2.
  for (double beta_1 : {0.1, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}) {
    int32_t stop_round = 1;
    double c = 0.5;
    while (c < beta_1) {
      c = c * 0.5 + 0.5;
      ++stop_round;
    }
    for (int step = 0; step <= 20; ++step) {
      double beta_2 = step / 20.0;
      auto st = identical_instant(beta_1, beta_2, 20);
      EXPECT_EQ(st.rounds_executed, stop_round) << beta_1;
      EXPECT_EQ(st.confidence[0], c);
      EXPECT_EQ(st.finalized, c >= beta_2)
        << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      if (st.finalized) {
        EXPECT_LT(beta_2, beta_1 / 2 + 0.5)
          << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      }
      if (beta_2 >= beta_1 / 2 + 0.5) {
        EXPECT_FALSE(st.finalized)
          << "beta_1 " << beta_1 << " beta_2 " << beta_2;
      }
    }
  }
}

TEST(hanzo, beta_2_of_0_7_finalizes_with_beta_1_of_0_7) {
  // beta_2 = 0.7 < 0.7/2 + 1/2 = 0.85: two rounds give c = 0.75 >= 0.7.
  auto st = identical_instant(0.7, 0.7, 3);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 2);
  EXPECT_EQ(st.scores[0], 0.75);
  EXPECT_EQ(st.winner, "agent0");
  EXPECT_EQ(st.synthesis, "the very same answer");
  // With the default beta_1 = 0.5 sampling stops at c = 0.5 < 0.7 (the bound
  // 0.75 is necessary, not sufficient).
  EXPECT_FALSE(identical_instant(0.5, 0.7, 3).finalized);
  // And not above the bound: 0.76 > 0.75 reached at the stop.
  EXPECT_FALSE(identical_instant(0.7, 0.76, 3).finalized);
}

TEST(hanzo, without_an_early_stop_confidence_keeps_growing) {
  // beta_1 > 1 disables the stop; then beta_2 up to 1 - 2^-rounds works.
  auto st = identical_instant(1.5, 0.875, 3);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.confidence[0], 0.875);
  EXPECT_TRUE(st.finalized);
}

TEST(hanzo, the_bound_is_exact_arithmetic_doubles_reach_one_after_54_rounds) {
  // c_r = 1 - 2^-r rounds to exactly 1.0 at r = 54 in IEEE doubles (as in
  // CPython), so beta_1 = beta_2 = 1 finalizes given enough rounds even
  // though 1 < 1/2 + 1/2 is false. Reference behaviour, kept as is.
  auto st = identical_instant(1.0, 1.0, 60);
  EXPECT_EQ(st.rounds_executed, 54);
  EXPECT_EQ(st.confidence[0], 1.0);
  EXPECT_TRUE(st.finalized);
  EXPECT_FALSE(identical_instant(1.0, 1.0, 53).finalized);
}

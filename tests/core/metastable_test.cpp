// caf-consensus: tests of policy `metastable` (the default): the properties
// PROTOCOL.md requires, plus hand-computed luminance, sampling, confidence,
// Phase II and determinism cases.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/text/similarity.hpp"

using namespace caf::consensus;

namespace {

using strings = std::vector<std::string>;
using script_fn = std::function<result(const request&)>;

state run_script(strings ids, params ps, const script_fn& fn,
                 std::vector<request>* log = nullptr,
                 engine_options opts = {}) {
  auto eng = engine::make("the query", std::move(ids), std::move(ps),
                          std::move(opts));
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

strings ids_of(size_t n) {
  strings out;
  for (size_t i = 0; i < n; ++i)
    out.push_back("p" + std::to_string(i));
  return out;
}

/// Output sharing no token with any other participant or round.
std::string disjoint(const request& req) {
  return req.participant + "/" + std::to_string(req.round) + " unique-"
         + req.participant + "-" + std::to_string(req.round);
}

double lum_of(double ms) {
  return 1.0 / (1.0 + ms / 1000.0);
}

/// Checks that `sample` is duplicate-free and does not contain `self`.
void check_sample(const std::vector<uint32_t>& sample, uint32_t self) {
  std::set<uint32_t> distinct(sample.begin(), sample.end());
  EXPECT_EQ(distinct.size(), sample.size()) << "duplicates in sample";
  EXPECT_EQ(distinct.count(self), 0u) << "sample contains self " << self;
}

/// A similarity over raw strings from a callback.
class fn_similarity : public text::similarity {
public:
  explicit fn_similarity(
    std::function<double(std::string_view, std::string_view)> f)
    : f_(std::move(f)) {
    // nop
  }

  double operator()(std::string_view a, std::string_view b) const override {
    ++calls;
    return f_(a, b);
  }

  mutable std::atomic<int> calls{0};

private:
  std::function<double(std::string_view, std::string_view)> f_;
};

/// Overlap coefficient |A ∩ B| / min(|A|, |B|) on token sets.
class overlap_similarity : public text::token_similarity {
public:
  double on_tokens(const text::token_set& a,
                   const text::token_set& b) const override {
    if (a.empty() || b.empty())
      return 0;
    size_t common = 0;
    for (auto& x : a)
      if (std::find(b.begin(), b.end(), x) != b.end())
        ++common;
    return static_cast<double>(common)
           / static_cast<double>(std::min(a.size(), b.size()));
  }
};

} // namespace

// -- required properties ------------------------------------------------------

TEST(metastable, identical_answers_from_equally_fast_agents_finalize) {
  for (size_t n : {2u, 3u, 5u, 10u}) {
    for (int64_t seed : {0, 1, 42}) {
      params ps; // defaults: rounds 3, k 3, alpha .6, beta_1 .5, beta_2 .8
      ps.seed = seed;
      auto st = run_script(ids_of(n), ps, [](const request& req) {
        return make_ok(req.participant,
                       "Use a hash map, round " + std::to_string(req.round),
                       1200);
      });
      EXPECT_EQ(st.policy, "metastable");
      EXPECT_TRUE(st.finalized) << n;
      EXPECT_EQ(st.stop, stop_reason::beta_1) << n;
      EXPECT_EQ(st.rounds_executed, 1) << n;
      EXPECT_EQ(st.confidence, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.luminance, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.scores, std::vector<double>(n, 1.0));
      EXPECT_EQ(st.winner, "p0");
      EXPECT_EQ(st.synthesis, "Use a hash map, round 1");
      EXPECT_EQ(st.calls, 2 * n);
    }
  }
}

TEST(metastable, real_multi_second_latencies_do_not_prevent_finalization) {
  // Relative luminance: equally slow agents (30 s each) still finalize.
  params ps;
  ps.timeout_ms = 120000;
  auto st = run_script(ids_of(4), ps, [](const request& req) {
    return make_ok(req.participant, "same", 30000);
  });
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.luminance, std::vector<double>(4, 1.0));
}

TEST(metastable, fully_disjoint_answers_never_stop_early_nor_finalize) {
  for (size_t n : {2u, 3u, 6u}) {
    for (int32_t rounds : {1, 4}) {
      params ps;
      ps.rounds = rounds;
      ps.beta_1 = 0.01;
      ps.beta_2 = 0.01;
      auto st = run_script(ids_of(n), ps, [](const request& req) {
        return make_ok(req.participant, disjoint(req), 10 * req.index);
      });
      EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
      EXPECT_EQ(st.rounds_executed, rounds);
      EXPECT_FALSE(st.finalized);
      EXPECT_EQ(st.confidence, std::vector<double>(n, 0.0));
      for (auto& tr : st.trace)
        for (auto& a : tr.agreements)
          EXPECT_EQ(a.agreement, 0.0);
    }
  }
}

TEST(metastable, a_failing_agent_never_gains_influence) {
  // "bad" is first in the list, fails fast every time (its output would
  // even agree with everyone), and the others disagree among themselves so
  // that every score is 0 and a list-order tie would favour "bad".
  for (int64_t seed : {0, 3, 11}) {
    params ps;
    ps.rounds = 4;
    ps.seed = seed;
    std::vector<request> log;
    auto st = run_script(
      {"bad", "a", "b", "c"}, ps,
      [](const request& req) {
        if (req.participant == "bad") {
          auto r = make_failure(req.participant, req.round, "down", 1);
          r.output = "shared words";
          return r;
        }
        return make_ok(req.participant, disjoint(req), 500);
      },
      &log);
    EXPECT_NE(st.winner, "bad");
    EXPECT_EQ(st.winner, "a");
    EXPECT_FALSE(st.finalized);
    EXPECT_EQ(st.confidence[0], 0.0);
    EXPECT_EQ(st.luminance[0], 0.0);
    EXPECT_EQ(st.scores[0], 0.0);
    for (auto& tr : st.trace) {
      EXPECT_TRUE(tr.weights.empty() || tr.weights[0] == 0.0);
      for (size_t i = 0; i < tr.samples.size(); ++i)
        for (auto j : tr.samples[i])
          EXPECT_NE(j, 0u) << "bad sampled in round " << tr.round;
      for (auto& a : tr.agreements)
        EXPECT_NE(a.participant, 0u);
    }
    for (auto& req : log)
      for (auto& p : req.peers)
        EXPECT_NE(p.id, "bad");
  }
}

TEST(metastable, a_failing_agent_cannot_block_the_others_from_finalizing) {
  params ps;
  auto st = run_script({"bad", "a", "b", "c"}, ps, [](const request& req) {
    if (req.participant == "bad") {
      auto r = make_failure(req.participant, req.round, "");
      r.timed_out = true;
      return r;
    }
    return make_ok(req.participant, "we all agree", 100);
  });
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.rounds_executed, 1);
  // Samples of the others exclude "bad": size min(k, m - 1) = 2.
  for (uint32_t i = 1; i < 4; ++i) {
    EXPECT_EQ(st.trace[1].samples[i].size(), 2u);
    check_sample(st.trace[1].samples[i], i);
  }
}

TEST(metastable, a_peer_that_fails_this_round_does_not_agree) {
  // k = 2 with 3 participants: every sample is both others.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.round == 1 && req.index == 2) {
      auto r = make_failure(req.participant, 1, "lost");
      r.output = "same"; // even an identical failed output does not count
      return r;
    }
    return make_ok(req.participant, "same");
  });
  auto& tr = st.trace.at(1);
  ASSERT_EQ(tr.agreements.size(), 2u);
  EXPECT_EQ(tr.agreements[0].agreement, 0.5);
  EXPECT_EQ(tr.agreements[1].agreement, 0.5);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.0}));
}

TEST(metastable, a_failed_peer_does_not_agree_even_under_a_lenient_measure) {
  // The similarity says "identical" for everything, yet c's failed call
  // (with an output) must not count as agreement.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  engine_options opts;
  opts.similarity = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 1.0; });
  auto st = run_script(
    {"a", "b", "c"}, ps,
    [](const request& req) {
      if (req.round == 1 && req.index == 2) {
        auto r = make_failure(req.participant, 1, "lost");
        r.output = "anything";
        return r;
      }
      return make_ok(req.participant, disjoint(req));
    },
    nullptr, opts);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 0.5, 0.0}));
}

// -- luminance ----------------------------------------------------------------

TEST(metastable, luminance_is_relative_to_the_fastest_live_agent) {
  params ps;
  ps.rounds = 1;
  ps.k = 1;
  std::vector<int64_t> ms{200, 100, 400, 7};
  auto st = run_script({"a", "b", "c", "d"}, ps, [&](const request& req) {
    if (req.index == 3) // fastest, but never ok
      return make_failure(req.participant, req.round, "x", ms[3]);
    return make_ok(req.participant, disjoint(req), ms[req.index]);
  });
  auto best = lum_of(100);
  std::vector<double> expected{lum_of(200) / best, 1.0, lum_of(400) / best,
                               0.0};
  // trace[1].weights = luminance after round 0 = sampling weights.
  EXPECT_EQ(st.trace.at(1).weights, expected);
  EXPECT_EQ(st.luminance, expected);
  EXPECT_EQ(*std::max_element(st.luminance.begin(), st.luminance.end()), 1.0);
}

TEST(metastable, luminance_is_an_ewma_with_failures_counted_as_timeout) {
  params ps;
  ps.rounds = 2;
  ps.k = 1;
  ps.timeout_ms = 1000;
  // ms[round][i]; negative = failure, -2 = timed out.
  std::vector<std::vector<int64_t>> ms{
    {200, 200, 300}, {600, -1, 300}, {-2, 0, 300}};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto x = ms[req.round][req.index];
    if (x == -1)
      return make_failure(req.participant, req.round, "err", 5);
    if (x == -2) {
      auto r = make_failure(req.participant, req.round, "");
      r.timed_out = true;
      return r;
    }
    return make_ok(req.participant, disjoint(req), x);
  });
  // Means: a 200 -> 400 -> 700; b 200 -> 600 -> 300; c 300 throughout.
  auto check = [](const std::vector<double>& got, std::vector<double> means) {
    std::vector<double> l;
    for (auto m : means)
      l.push_back(lum_of(m));
    auto best = *std::max_element(l.begin(), l.end());
    for (auto& x : l)
      x /= best;
    EXPECT_EQ(got, l);
  };
  check(st.trace.at(1).weights, {200, 200, 300});
  check(st.trace.at(2).weights, {400, 600, 300});
  check(st.luminance, {700, 300, 300});
}

TEST(metastable, an_agent_without_ok_call_has_zero_luminance_until_it_answers) {
  params ps;
  ps.rounds = 2;
  ps.k = 1;
  ps.timeout_ms = 1000;
  auto st = run_script({"a", "b"}, ps, [](const request& req) {
    if (req.index == 1 && req.round == 0)
      return make_failure(req.participant, 0, "cold start", 50);
    return make_ok(req.participant, disjoint(req), 0);
  });
  EXPECT_EQ(st.trace.at(1).weights, (std::vector<double>{1.0, 0.0}));
  // b: mean = 1000/2 + 0/2 = 500 after round 1.
  EXPECT_EQ(st.trace.at(2).weights, (std::vector<double>{1.0, lum_of(500)}));
  // In round 1, a's sample was empty (b not live), b sampled a.
  EXPECT_TRUE(st.trace[1].samples[0].empty());
  EXPECT_EQ(st.trace[1].samples[1], (std::vector<uint32_t>{0}));
  EXPECT_EQ(st.trace[2].samples[0], (std::vector<uint32_t>{1}));
}

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
      if (st.trace.at(1).samples[i].at(0) == 3)
        ++slow;
    }
  }
  EXPECT_EQ(draws, 180u);
  EXPECT_LT(slow, 15u); // uniform sampling would give ~60
}

// -- confidence ---------------------------------------------------------------

TEST(metastable, confidence_first_poll_is_a_then_halves_towards_a) {
  // k = 2, three participants: each sample is the two others.
  params ps;
  ps.k = 2;
  ps.rounds = 3;
  ps.beta_1 = 1.5; // never stop early
  // outputs[round][i]; "" = failure.
  std::vector<strings> outputs{
    {"x", "x", "x"}, {"x", "x", ""}, {"x", "x", "x"}, {"x", "x", "y"}};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    auto& out = outputs[req.round][req.index];
    if (out.empty())
      return make_failure(req.participant, req.round, "x");
    return make_ok(req.participant, out, 0);
  });
  ASSERT_EQ(st.trace.size(), 4u);
  // Round 1: a, b see b/a agree and c failed: a = 1/2, first poll.
  EXPECT_EQ(st.trace[1].confidence, (std::vector<double>{0.5, 0.5, 0.0}));
  // Round 2: a = 1 -> 0.5/2 + 1/2; c polled for the first time: c = a = 1.
  EXPECT_EQ(st.trace[2].confidence, (std::vector<double>{0.75, 0.75, 1.0}));
  // Round 3: a = 1/2 -> 0.625; c = 0 -> 0.5.
  EXPECT_EQ(st.trace[3].confidence, (std::vector<double>{0.625, 0.625, 0.5}));
  EXPECT_EQ(st.confidence, st.trace[3].confidence);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  // Agreements recorded for ok participants only.
  EXPECT_EQ(st.trace[1].agreements.size(), 2u);
  EXPECT_EQ(st.trace[2].agreements.size(), 3u);
  EXPECT_EQ(st.trace[3].agreements.at(2).agreement, 0.0);
}

TEST(metastable, agreement_uses_alpha_as_an_inclusive_threshold) {
  // Jaccard("a b", "a b c d") = 0.5.
  auto run_with = [](double alpha) {
    params ps;
    ps.k = 1;
    ps.rounds = 1;
    ps.alpha = alpha;
    return run_script({"p", "q"}, ps, [](const request& req) {
      return make_ok(req.participant, req.index == 0 ? "a b" : "a b c d");
    });
  };
  EXPECT_EQ(run_with(0.5).confidence, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(run_with(0.51).confidence, (std::vector<double>{0.0, 0.0}));
}

TEST(metastable, a_lone_agent_is_never_polled) {
  params ps;
  auto st = run_script({"solo"}, ps, [](const request& req) {
    return make_ok(req.participant, "answer");
  });
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0}));
  EXPECT_TRUE(st.trace.at(1).samples.at(0).empty());
  EXPECT_TRUE(st.trace.at(1).agreements.empty());
  EXPECT_EQ(st.winner, "solo");
  EXPECT_EQ(st.synthesis, "answer");
  EXPECT_FALSE(st.finalized);
}

// -- Phase II -----------------------------------------------------------------

TEST(metastable, score_ties_go_to_higher_confidence) {
  // alpha = 0.5: a ~ b and b ~ c (Jaccard 1/2) but not a ~ c, so with k = 2
  // confidences are a = 1/2, b = 1, c = 1/2. b is twice as slow (L = 1/2):
  // all scores are 1/2, and b wins on confidence although a comes first.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  ps.alpha = 0.5;
  strings out{"x1 x2", "x1 x2 y1 y2", "y1 y2"};
  std::vector<int64_t> ms{0, 1000, 0};
  auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
    return make_ok(req.participant, out[req.index], ms[req.index]);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{0.5, 1.0, 0.5}));
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 0.5, 1.0}));
  EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.5}));
  EXPECT_EQ(st.winner, "b");
  EXPECT_EQ(st.synthesis, "x1 x2 y1 y2");
  EXPECT_FALSE(st.finalized);
}

TEST(metastable, full_ties_go_to_list_order) {
  for (auto ids : {strings{"a", "b", "c"}, strings{"c", "a", "b"},
                   strings{"b", "c", "a"}}) {
    auto st = run_script(ids, params{}, [](const request& req) {
      return make_ok(req.participant, "same", 5);
    });
    EXPECT_EQ(st.winner, ids[0]);
  }
}

TEST(metastable, the_highest_score_wins_over_list_order) {
  // Same answers, p0 is slower: lower L, lower score.
  auto st = run_script(ids_of(3), params{}, [](const request& req) {
    return make_ok(req.participant, "same", req.index == 0 ? 900 : 100);
  });
  EXPECT_EQ(st.winner, "p1");
  EXPECT_LT(st.scores[0], st.scores[1]);
  EXPECT_EQ(st.scores[1], 1.0);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_EQ(st.scores[i], st.confidence[i] * st.luminance[i]);
}

TEST(metastable, synthesis_is_the_winners_latest_ok_response) {
  // a fails in the last round but keeps the highest score (confidence 1
  // from round 1); its synthesis is its round-1 answer, not the failure.
  params ps;
  ps.k = 2;
  ps.rounds = 2;
  ps.beta_1 = 1.5;
  ps.timeout_ms = 1000;
  auto st = run_script({"a", "b", "c"}, ps, [](const request& req) {
    if (req.index == 0 && req.round == 2) {
      auto r = make_failure(req.participant, 2, "crash", 1000);
      r.output = "garbage";
      return r;
    }
    return make_ok(req.participant, "answer " + std::to_string(req.round),
                   1000);
  });
  EXPECT_EQ(st.confidence, (std::vector<double>{1.0, 0.75, 0.75}));
  EXPECT_EQ(st.luminance, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_EQ(st.winner, "a");
  EXPECT_EQ(st.synthesis, "answer 1");
  EXPECT_TRUE(st.finalized);
}

TEST(metastable, finalized_iff_the_winning_score_reaches_beta_2) {
  // One dissenter, k = 2: a and b agree with each other only (a = 1/2), c
  // with nobody; equal luminance, so the winning score is exactly 1/2.
  params ps;
  ps.k = 2;
  ps.rounds = 1;
  strings out{"yes", "yes", "no"};
  for (double beta_2 : {0.4, 0.5, 0.6}) {
    ps.beta_2 = beta_2;
    auto st = run_script({"a", "b", "c"}, ps, [&](const request& req) {
      return make_ok(req.participant, out[req.index], 0);
    });
    EXPECT_EQ(st.scores, (std::vector<double>{0.5, 0.5, 0.0}));
    EXPECT_EQ(st.winner, "a");
    EXPECT_EQ(st.finalized, 0.5 >= beta_2) << beta_2;
  }
}

// -- pluggable similarity -----------------------------------------------------

TEST(metastable, a_custom_similarity_changes_agreement) {
  auto run_with = [](std::shared_ptr<const text::similarity> sim) {
    params ps;
    ps.rounds = 2;
    engine_options opts;
    opts.similarity = std::move(sim);
    return run_script(
      ids_of(3), ps,
      [](const request& req) {
        return make_ok(req.participant, disjoint(req));
      },
      nullptr, opts);
  };
  // Default Jaccard: disjoint answers never agree.
  auto st = run_with(nullptr);
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 2);
  // "Everything is similar": the same answers finalize after one round.
  auto always = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 1.0; });
  st = run_with(always);
  EXPECT_TRUE(st.finalized);
  EXPECT_EQ(st.rounds_executed, 1);
  // 3 participants, samples of 2: 6 comparisons in round 1.
  EXPECT_EQ(always->calls.load(), 6);
}

TEST(metastable, a_custom_similarity_sees_this_rounds_outputs) {
  std::vector<std::pair<std::string, std::string>> seen;
  auto sim = std::make_shared<fn_similarity>(
    [&](std::string_view a, std::string_view b) {
      seen.emplace_back(std::string{a}, std::string{b});
      return 0.0;
    });
  params ps;
  ps.k = 1;
  ps.rounds = 1;
  engine_options opts;
  opts.similarity = sim;
  auto st = run_script(
    {"a", "b"}, ps,
    [](const request& req) {
      return make_ok(req.participant,
                     req.participant + std::to_string(req.round));
    },
    nullptr, opts);
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{
                    {"a1", "b1"}, {"b1", "a1"}}));
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 0.0}));
}

TEST(metastable, a_never_similar_measure_blocks_identical_answers) {
  params ps;
  engine_options opts;
  opts.similarity = std::make_shared<fn_similarity>(
    [](std::string_view, std::string_view) { return 0.0; });
  auto st = run_script(
    ids_of(3), ps,
    [](const request& req) { return make_ok(req.participant, "same"); },
    nullptr, opts);
  EXPECT_FALSE(st.finalized);
  EXPECT_EQ(st.stop, stop_reason::rounds_exhausted);
}

TEST(metastable, a_custom_token_similarity_is_used_on_token_sets) {
  // Jaccard("x", "x y") = 0.5 < alpha, overlap coefficient = 1.
  params ps;
  ps.k = 1;
  ps.rounds = 1;
  auto script = [](const request& req) {
    return make_ok(req.participant, req.index == 0 ? "X" : "x   y");
  };
  auto st = run_script({"a", "b"}, ps, script);
  EXPECT_EQ(st.confidence, (std::vector<double>{0.0, 0.0}));
  engine_options opts;
  opts.similarity = std::make_shared<overlap_similarity>();
  st = run_script({"a", "b"}, ps, script, nullptr, opts);
  EXPECT_EQ(st.confidence, (std::vector<double>{1.0, 1.0}));
  EXPECT_TRUE(st.finalized);
}

// -- determinism --------------------------------------------------------------

namespace {

state varied_run(int64_t seed) {
  params ps;
  ps.k = 3;
  ps.rounds = 3;
  ps.seed = seed;
  ps.beta_1 = 1.5;
  return run_script(ids_of(8), ps, [](const request& req) {
    // Half the agents answer alike, latencies vary, p7 fails in round 2.
    if (req.index == 7 && req.round == 2)
      return make_failure(req.participant, 2, "x");
    auto text = req.index % 2 == 0 ? std::string{"common answer here"}
                                   : disjoint(req);
    return make_ok(req.participant, text,
                   100 * (req.index + 1) + 10 * req.round);
  });
}

std::vector<std::vector<uint32_t>> all_samples(const state& st) {
  std::vector<std::vector<uint32_t>> out;
  for (auto& tr : st.trace)
    for (auto& s : tr.samples)
      out.push_back(s);
  return out;
}

} // namespace

TEST(metastable, the_same_seed_gives_the_same_state) {
  auto a = caf::deep_to_string(varied_run(17));
  auto b = caf::deep_to_string(varied_run(17));
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("common answer here"), std::string::npos);
}

TEST(metastable, different_seeds_give_different_samples) {
  auto base = all_samples(varied_run(0));
  size_t different = 0;
  for (int64_t seed = 1; seed <= 10; ++seed)
    if (all_samples(varied_run(seed)) != base)
      ++different;
  EXPECT_GT(different, 0u);
}

// The sequential policy's guarantee, measured: wrong certificates at most
// delta, its calls against fixed-size majority vote, the equal-compute
// baseline and the calibration table against closed forms.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;

namespace {

/// One group of `agents` agents drawing a fresh answer per call: `right`
/// with probability p, else one of `wrong` wrong answers (equal shares).
sim::scenario population(const std::string& policy, double p, int wrong,
                         int agents, uint64_t runs, const std::string& extra) {
  std::string text = "name: t\npolicy: " + policy + "\nparams:\n" + extra
                     + "labels:\n  right: the right answer\n";
  std::string answers = "{right: " + std::to_string(p);
  for (int i = 0; i < wrong; ++i) {
    text += "  wrong" + std::to_string(i) + ": wrong answer "
            + std::to_string(i) + "\n";
    answers += ", wrong" + std::to_string(i) + ": "
               + std::to_string((1 - p) / wrong);
  }
  answers += "}";
  text += "ground_truth: right\nagents:\n  - name: a\n    count: "
          + std::to_string(agents)
          + "\n    latency: 100\n    behaviour: resample\n    answers: "
          + answers + "\nreplicates: " + std::to_string(runs) + "\nseed: 77\n";
  auto sc = sim::parse_scenario(text, "population");
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  return *sc;
}

sim::cell_summary
sweep(const sim::scenario& sc,
      const std::function<void(const sim::run_metrics&)>& each = nullptr) {
  sim::cell_summary out;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.on_run = [&](const sim::run_metrics& m) {
    out.add(m);
    if (each)
      each(m);
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  return out;
}

/// Exact accuracy of plurality vote over N independent calls (ties split
/// evenly), by enumerating the vote counts of `right` and the wrong
/// answers (at most 3 wrong answers).
double plurality_accuracy(double p, int wrong, int n) {
  // Multinomial over right + wrong answers, by recursion on counts.
  double q = (1 - p) / wrong;
  double total = 0;
  std::vector<int> c(static_cast<size_t>(wrong), 0);
  auto lfact = [](int k) { return std::lgamma(k + 1.0); };
  std::function<void(int, int)> rec = [&](int j, int left) {
    if (j == wrong) {
      int r = left;
      double lp = lfact(n) - lfact(r) + r * std::log(p);
      int top = r;
      for (auto x : c) {
        lp += -lfact(x) + x * std::log(q);
        top = std::max(top, x);
      }
      if (r < top)
        return;
      int ties = 1;
      for (auto x : c)
        if (x == r)
          ++ties;
      total += std::exp(lp) / ties;
      return;
    }
    for (int x = 0; x <= left; ++x) {
      c[static_cast<size_t>(j)] = x;
      rec(j + 1, left - x);
    }
  };
  rec(0, n);
  return total;
}

} // namespace

TEST(stopping, wrong_certificates_stay_below_delta) {
  // 5 agents, 3 wrong answers; 20,000 runs per population, delta 0.05.
  for (double p : {0.55, 0.6, 0.7, 0.9}) {
    auto sc = population("sequential", p, 3, 5, 20000,
                         "  rounds: 400\n  max_calls: 2000\n  delta: 0.05\n");
    uint64_t wrong_final = 0;
    auto x = sweep(sc, [&](const sim::run_metrics& m) {
      if (m.finalized && !m.winner_correct)
        ++wrong_final;
    });
    auto r = sim::wilson(wrong_final, x.runs());
    EXPECT_EQ(x.runs(), 20000u);
    EXPECT_LE(r.lo, 0.05) << p;
    EXPECT_LE(r.value, 0.05) << p;
    EXPECT_GT(x.finalize_rate().value, 0.99) << p;
  }
}

TEST(stopping, a_tie_is_certified_at_most_delta_of_the_time) {
  // The boundary of the guarantee: two answers equally likely, so any
  // certificate is wrong. 20,000 runs with a budget of 200 calls each.
  auto sc = population("sequential", 0.5, 1, 5, 20000,
                       "  rounds: 400\n  max_calls: 200\n  delta: 0.05\n");
  auto x = sweep(sc);
  auto r = x.finalize_rate();
  EXPECT_LE(r.lo, 0.05);
  EXPECT_LT(r.value, 0.05);
  EXPECT_GT(r.hits, 0u); // the test is not vacuous: some runs do certify
}

TEST(stopping, fewer_calls_than_one_vote_size_for_every_population) {
  // A fixed-size majority vote must pick its size N before knowing p. Over
  // the populations p in {0.55, 0.6, 0.7, 0.9} (5 agents, 3 wrong answers),
  // the smallest N that reaches, on every population, the accuracy that
  // `sequential` reached there (lower end of its 95% interval) costs N calls
  // per question; `sequential` spends fewer on average.
  double mean_calls = 0;
  int n_for_all = 0;
  for (double p : {0.55, 0.6, 0.7, 0.9}) {
    auto sc = population("sequential", p, 3, 5, 20000,
                         "  rounds: 400\n  max_calls: 2000\n");
    auto x = sweep(sc);
    auto acc = x.accuracy();
    mean_calls += x.calls().value / 4;
    int n = 1;
    while (plurality_accuracy(p, 3, n) < acc.lo)
      ++n;
    n_for_all = std::max(n_for_all, n);
  }
  EXPECT_GT(n_for_all, 40);
  EXPECT_LT(mean_calls, n_for_all);
}

TEST(stopping, the_equal_compute_baseline_is_exact_for_vote_and_sequential) {
  for (auto* policy : {"vote", "sequential"}) {
    auto sc = population(policy, 0.6, 2, 5, 2000,
                         std::string{"  rounds: "}
                           + (policy == std::string{"vote"} ? "0" : "40")
                           + "\n");
    auto x = sweep(sc, [&](const sim::run_metrics& m) {
      EXPECT_EQ(m.equal_calls_label, m.winner_label) << policy;
    });
    auto g = x.gain_over_equal_calls();
    EXPECT_EQ(g.value, 0.0) << policy;
    EXPECT_EQ(g.lo, 0.0) << policy;
    EXPECT_EQ(g.hi, 0.0) << policy;
  }
}

TEST(stopping, the_equal_compute_baseline_is_paired_for_the_others) {
  // Debate-then-vote with majority agents against asking as often: the
  // baseline's round 0 is the run's own round 0, so both agree on most runs
  // and the difference's interval is narrower than that of two unpaired
  // accuracies.
  auto sc = population("vote", 0.6, 2, 5, 4000, "  rounds: 2\n  k: 2\n");
  sc.groups[0].refine = sim::behaviour::majority;
  uint64_t same = 0;
  auto x = sweep(sc, [&](const sim::run_metrics& m) {
    if (m.winner_correct == m.equal_calls_correct)
      ++same;
  });
  EXPECT_GT(same, x.runs() / 2);
  auto g = x.gain_over_equal_calls();
  auto a = x.accuracy();
  auto b = x.equal_calls_accuracy();
  EXPECT_NEAR(g.value, a.value - b.value, 1e-12);
  auto unpaired = std::sqrt(std::pow((a.hi - a.lo) / 2, 2)
                            + std::pow((b.hi - b.lo) / 2, 2));
  EXPECT_LT((g.hi - g.lo) / 2, unpaired);
}

TEST(stopping, vote_shares_are_calibrated_as_the_posterior_says) {
  // Majority of n = 5 independent agents with accuracy p = 0.7 over two
  // answers: with j votes for the winner (j = 3, 4, 5; confidence j/5), the
  // chance that the winner is right is p^j q^(n-j) / (p^j q^(n-j) +
  // q^j p^(n-j)). The reliability table's bins must match it.
  auto sc = population("vote", 0.7, 1, 5, 20000, "  rounds: 0\n");
  auto x = sweep(sc);
  auto cal = x.reliability();
  EXPECT_EQ(cal.n, 20000u);
  double p = 0.7;
  double q = 0.3;
  for (int j = 3; j <= 5; ++j) {
    auto share = j / 5.0;
    auto bin = std::min(static_cast<size_t>(share * 10), size_t{9});
    auto& b = cal.bins[bin];
    auto right = std::pow(p, j) * std::pow(q, 5 - j);
    auto wrong = std::pow(q, j) * std::pow(p, 5 - j);
    auto posterior = right / (right + wrong);
    EXPECT_NEAR(b.mean_confidence, share, 1e-12) << j;
    // Three bins checked at once: each within 3.29 standard errors (a 99.9%
    // interval, so that the three hold jointly at better than 99.7%).
    auto se = std::sqrt(posterior * (1 - posterior)
                        / static_cast<double>(b.accuracy.n));
    EXPECT_NEAR(b.accuracy.value, posterior, 3.29 * se) << j;
    EXPECT_GT(b.accuracy.n, 1000u) << j;
  }
  // The confidence is not the probability: vote share 0.6 means right
  // 0.845 of the time, so the table shows underconfidence.
  EXPECT_GT(cal.ece, 0.1);
}

TEST(stopping, the_cost_ledger_counts_tokens_of_ok_calls) {
  // 4 agents of 300 tokens per ok call, one of which always fails: a
  // sequential run's tokens are 300 times its ok calls.
  auto sc = sim::parse_scenario(
    "policy: sequential\nparams:\n  rounds: 50\nlabels: [yes, no]\n"
    "ground_truth: yes\nagents:\n"
    "  - {name: a, count: 3, tokens: 300, answers: {yes: 0.8, no: 0.2}, "
    "behaviour: resample}\n"
    "  - {name: b, tokens: 300, faults: {fail: 1}}\n"
    "replicates: 200\nseed: 5\n",
    "ledger.yaml");
  ASSERT_TRUE(sc) << render(sc.error());
  uint64_t total = 0;
  auto x = sweep(*sc, [&](const sim::run_metrics& m) {
    EXPECT_EQ(m.tokens, 300 * (m.calls - m.failures));
    EXPECT_EQ(m.failures * 4, m.calls);
    total += m.tokens;
  });
  EXPECT_NEAR(x.tokens().value, static_cast<double>(total) / 200, 1e-9);
  EXPECT_NEAR(
    x.tokens_per_right_answer(),
    static_cast<double>(total) / static_cast<double>(x.accuracy().hits), 1e-9);
}

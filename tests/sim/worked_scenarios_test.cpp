// The worked scenarios in scenarios/ meet the expectations documented in
// docs/worked-scenarios.md. Every check uses a 99.9% interval (z = 3.29 for
// rates, Student t for means) around the observation, as documented.

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;

namespace {

const std::string dir = CAF_CONSENSUS_SCENARIOS;

struct outcome {
  sim::scenario sc;
  std::vector<sim::cell_summary> cells;
  std::vector<sim::run_metrics> runs; // without agent rows
  std::map<std::string, std::vector<double>> decided_polls; // per agent id
};

outcome run(const std::string& name) {
  auto sc = sim::load_scenario(dir + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  outcome out;
  out.sc = *sc;
  out.cells.resize(sim::cell_count(*sc));
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.agent_rows = true;
  opts.on_run = [&](const sim::run_metrics& m) {
    out.cells[m.cell].add(m);
    for (auto& a : m.agents)
      out.decided_polls[a.agent].push_back(a.decided_polls);
    auto copy = m;
    copy.agents.clear();
    out.runs.push_back(std::move(copy));
  };
  if (auto err = sim::run_sweep(*sc, opts))
    throw std::runtime_error(render(err));
  return out;
}

// Wilson interval at z = 3.29 (99.9%).
std::pair<double, double> wilson999(uint64_t hits, uint64_t n) {
  const double z = 3.2905267314919;
  auto nn = static_cast<double>(n);
  auto p = static_cast<double>(hits) / nn;
  auto denom = 1 + z * z / nn;
  auto center = (p + z * z / (2 * nn)) / denom;
  auto half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {center - half, center + half};
}

double binom_majority(int n, double p) {
  double total = 0;
  for (int i = n / 2 + 1; i <= n; ++i)
    total += std::exp(std::lgamma(n + 1) - std::lgamma(i + 1)
                      - std::lgamma(n - i + 1))
             * std::pow(p, i) * std::pow(1 - p, n - i);
  return total;
}

} // namespace

TEST(worked_scenarios, condorcet_majority_vote_accuracy) {
  auto out = run("condorcet.yaml");
  const int counts[] = {1, 3, 5, 7, 9};
  ASSERT_EQ(out.cells.size(), 5u);
  for (size_t c = 0; c < 5; ++c) {
    auto expected = binom_majority(counts[c], 0.6);
    auto acc = out.cells[c].accuracy();
    auto [lo, hi] = wilson999(acc.hits, acc.n);
    EXPECT_LE(lo, expected)
      << "n = " << counts[c] << ", observed " << acc.value;
    EXPECT_GE(hi, expected)
      << "n = " << counts[c] << ", observed " << acc.value;
  }
  // More voters, more accuracy (the jury theorem's monotonicity).
  EXPECT_LT(out.cells[0].accuracy().value, out.cells[4].accuracy().value);
}

TEST(worked_scenarios, voter_model_fixation_equals_starting_share) {
  auto out = run("voter-model.yaml");
  ASSERT_EQ(out.cells.size(), 1u);
  for (auto& m : out.runs)
    ASSERT_EQ(m.stop_reason, "unanimity") << "replicate " << m.replicate;
  auto acc = out.cells[0].accuracy();
  auto [lo, hi] = wilson999(acc.hits, acc.n);
  EXPECT_LE(lo, 0.3) << "observed " << acc.value;
  EXPECT_GE(hi, 0.3) << "observed " << acc.value;
}

TEST(worked_scenarios, snowball_expected_polls_to_decide) {
  auto out = run("snowball-polls.yaml");
  auto& xs = out.decided_polls["observer"];
  ASSERT_EQ(xs.size(), out.sc.replicates);
  sim::mean_acc acc;
  for (auto x : xs) {
    ASSERT_GE(x, 5) << "every observer decides (needs >= beta polls)";
    acc.add(x);
  }
  const double q = 0.8192;
  const double expected = (1 - std::pow(q, 5)) / ((1 - q) * std::pow(q, 5));
  auto m = acc.get();
  // 99.9% t-interval half-width = 95% half-width * 3.29 / 1.96 (n large).
  auto half = (m.hi - m.value) * 3.2905 / 1.96;
  EXPECT_NEAR(m.value, expected, half) << "observed mean " << m.value;
}

TEST(worked_scenarios, hanzo_cannot_finalize_with_its_defaults) {
  auto out = run("hanzo-never-finalizes.yaml");
  // Cells: policy x beta_2 = (hanzo, metastable) x (0.5, 0.74, 0.8).
  ASSERT_EQ(out.cells.size(), 6u);
  const double expected[] = {1, 0, 0, 1, 1, 1};
  for (size_t c = 0; c < 6; ++c)
    EXPECT_EQ(out.cells[c].finalize_rate().value, expected[c]) << "cell " << c;
}

TEST(worked_scenarios, quickstart_trades_finality_for_safety) {
  auto out = run("quickstart.yaml");
  ASSERT_EQ(out.cells.size(), 4u); // beta_2 = 0.6, 0.7, 0.8, 0.9
  // Stricter finality finalizes less often ...
  EXPECT_GT(out.cells[0].finalize_rate().value,
            out.cells[3].finalize_rate().value);
  // ... and finalized runs are at least as accurate as runs overall.
  for (auto& c : out.cells) {
    if (c.finalize_rate().hits > 0) {
      EXPECT_GE(c.safety().value, c.accuracy().value);
    }
  }
}

TEST(worked_scenarios, convergence_k_locks_in_the_initial_majority) {
  auto out = run("convergence-k.yaml");
  // Cells: policy (metastable, snowball) x k (1, 2, 3, 5, 8).
  ASSERT_EQ(out.cells.size(), 10u);
  // With large samples the population ends on its initial majority: the
  // accuracy is P[Bin(9, 0.6) >= 5] = 0.7334 (a 99.9% interval contains it).
  auto initial_majority = binom_majority(9, 0.6);
  for (size_t c : {4u, 9u}) {
    auto acc = out.cells[c].accuracy();
    auto [lo, hi] = wilson999(acc.hits, acc.n);
    EXPECT_LE(lo, initial_majority) << "cell " << c << ": " << acc.value;
    EXPECT_GE(hi, initial_majority) << "cell " << c << ": " << acc.value;
  }
  // Snowball decides sooner with larger samples (k = 1 vs 8: no overlap of
  // the intervals of the mean rounds to decide).
  auto slow = out.cells[5].rounds_to_decide();
  auto fast = out.cells[9].rounds_to_decide();
  EXPECT_GT(slow.lo, fast.hi) << slow.value << " vs " << fast.value;
  // The per-round data agrees with the run: one entry per executed round,
  // and where the winner's label holds a majority of the live agents in the
  // last round but the truth does not, the winner is wrong.
  for (auto& m : out.runs) {
    ASSERT_EQ(m.trajectory.size(), static_cast<size_t>(m.rounds_executed) + 1);
    auto& last = m.trajectory.back();
    if (last.live > 0 && 2 * last.with_reference > last.live
        && last.with_truth * 2 <= last.live) {
      EXPECT_FALSE(m.winner_correct) << m.cell << "/" << m.replicate;
    }
  }
}

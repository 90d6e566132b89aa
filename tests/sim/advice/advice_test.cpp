// consensus-sim advice: effect sizes and their intervals, the verdict rules,
// the derived populations, and end-to-end verdicts that follow from the
// protocol's formulas.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/advice.hpp"
#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace {

const std::string scenarios = CAF_CONSENSUS_SCENARIOS;

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

const sim::claim_outcome& claim(const sim::advice_report& rep,
                                const std::string& policy,
                                const std::string& id) {
  for (auto& c : rep.claims)
    if (c.policy == policy && c.id == id)
      return c;
  throw std::runtime_error("no claim " + id + " for " + policy);
}

sim::effect make_effect(double value, double lo, double hi) {
  sim::effect e;
  e.valid = true;
  e.value = value;
  e.lo = lo;
  e.hi = hi;
  e.n = 100;
  return e;
}

} // namespace

// -- effects ------------------------------------------------------------------

TEST(advice_effect, paired_difference_is_a_t_interval_on_the_differences) {
  // Differences 1, 1, 0, 0: mean 0.5, sd 0.57735, t(3, 0.975) = 3.182446.
  auto e = sim::paired_difference({0, 0, 1, 1}, {1, 1, 1, 1});
  ASSERT_TRUE(e.valid);
  EXPECT_DOUBLE_EQ(e.value, 0.5);
  auto half = 3.182446305284263 * std::sqrt(1.0 / 3.0) / 2.0;
  EXPECT_NEAR(e.lo, 0.5 - half, 1e-9);
  EXPECT_NEAR(e.hi, 0.5 + half, 1e-9);
  EXPECT_EQ(e.n, 4u);
  EXPECT_EQ(e.method, "paired t");
  // Identical pairs: no uncertainty at all.
  auto zero = sim::paired_difference({3, 5, 8}, {3, 5, 8});
  ASSERT_TRUE(zero.valid);
  EXPECT_EQ(zero.value, 0.0);
  EXPECT_EQ(zero.lo, 0.0);
  EXPECT_EQ(zero.hi, 0.0);
  // A constant shift: exact.
  auto shift = sim::paired_difference({1, 2, 3}, {3, 4, 5});
  EXPECT_DOUBLE_EQ(shift.lo, 2.0);
  EXPECT_DOUBLE_EQ(shift.hi, 2.0);
  EXPECT_FALSE(sim::paired_difference({1, 2}, {1}).valid);
  EXPECT_FALSE(sim::paired_difference({1}, {2}).valid);
}

TEST(advice_effect, paired_ratio_difference_bootstraps_pairs) {
  // "Accuracy among finalized": cell a finalizes runs 0..199 and is right in
  // 150 of them (0.75); cell b finalizes runs 0..99 and is right in 90
  // (0.9).
  std::vector<double> na(400, 0);
  std::vector<double> da(400, 0);
  std::vector<double> nb(400, 0);
  std::vector<double> db(400, 0);
  for (int i = 0; i < 200; ++i) {
    da[i] = 1;
    na[i] = i < 150 ? 1 : 0;
  }
  for (int i = 0; i < 100; ++i) {
    db[i] = 1;
    nb[i] = i < 90 ? 1 : 0;
  }
  auto e = sim::paired_ratio_difference(na, da, nb, db, 42);
  ASSERT_TRUE(e.valid);
  EXPECT_NEAR(e.value, 0.15, 1e-12);
  EXPECT_LT(e.lo, 0.15);
  EXPECT_GT(e.hi, 0.15);
  EXPECT_GT(e.lo, 0.0); // a clear difference
  EXPECT_LT(e.hi - e.lo, 0.2);
  EXPECT_EQ(e.method, "paired bootstrap");
  // Reproducible for a seed.
  auto again = sim::paired_ratio_difference(na, da, nb, db, 42);
  EXPECT_EQ(again.lo, e.lo);
  EXPECT_EQ(again.hi, e.hi);
  // Identical cells: exactly zero, whatever the resamples.
  auto same = sim::paired_ratio_difference(na, da, na, da, 7);
  ASSERT_TRUE(same.valid);
  EXPECT_EQ(same.lo, 0.0);
  EXPECT_EQ(same.hi, 0.0);
  // No finalized run in one cell: not computable.
  std::vector<double> none(400, 0);
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, none, none, 1).valid);
  // One finalized run in 400: most resamples miss it.
  std::vector<double> one(400, 0);
  one[3] = 1;
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, one, one, 1).valid);
  EXPECT_FALSE(sim::paired_ratio_difference(na, da, nb, {1}, 1).valid);
}

TEST(advice_effect, classification_follows_the_interval) {
  using sim::direction;
  using sim::verdict;
  auto up = direction::up;
  auto down = direction::down;
  EXPECT_EQ(sim::classify(make_effect(0.1, 0.05, 0.15), up, 0.02),
            verdict::holds);
  EXPECT_EQ(sim::classify(make_effect(0.1, 0.05, 0.15), down, 0.02),
            verdict::does_not_hold); // the other way
  EXPECT_EQ(sim::classify(make_effect(-0.1, -0.15, -0.05), down, 0.02),
            verdict::holds);
  // Real but negligible: the interval lies in (0, delta).
  EXPECT_EQ(sim::classify(make_effect(0.01, 0.005, 0.015), up, 0.02),
            verdict::does_not_hold);
  // Zero with a tight interval: does not hold.
  EXPECT_EQ(sim::classify(make_effect(0, -0.01, 0.01), up, 0.02),
            verdict::does_not_hold);
  EXPECT_EQ(sim::classify(make_effect(0, 0, 0), down, 0.02),
            verdict::does_not_hold);
  // Wide around zero: inconclusive.
  EXPECT_EQ(sim::classify(make_effect(0.01, -0.03, 0.05), up, 0.02),
            verdict::inconclusive);
  EXPECT_EQ(sim::classify(make_effect(-0.01, -0.05, 0.03), down, 0.02),
            verdict::inconclusive);
  // Reaching delta with a lower bound above zero: holds.
  EXPECT_EQ(sim::classify(make_effect(0.02, 0.001, 0.04), up, 0.02),
            verdict::holds);
  sim::effect invalid;
  EXPECT_EQ(sim::classify(invalid, up, 0.02), verdict::not_testable);
}

TEST(advice_effect, combining_conditions) {
  using sim::verdict;
  EXPECT_EQ(sim::combine({verdict::holds, verdict::holds}), verdict::holds);
  EXPECT_EQ(sim::combine({verdict::holds, verdict::does_not_hold}),
            verdict::holds_only_when);
  EXPECT_EQ(sim::combine({verdict::inconclusive, verdict::holds}),
            verdict::holds_only_when);
  EXPECT_EQ(sim::combine({verdict::does_not_hold, verdict::does_not_hold}),
            verdict::does_not_hold);
  EXPECT_EQ(sim::combine({verdict::does_not_hold, verdict::inconclusive}),
            verdict::inconclusive);
  EXPECT_EQ(sim::combine({verdict::not_testable, verdict::holds}),
            verdict::holds);
  EXPECT_EQ(sim::combine({verdict::not_testable}), verdict::not_testable);
  EXPECT_EQ(sim::combine({}), verdict::not_testable);
  EXPECT_EQ(sim::to_string(verdict::holds_only_when), "holds only when");
}

// -- populations --------------------------------------------------------------

TEST(advice_population, the_default_is_the_documented_file) {
  EXPECT_EQ(sim::default_population_text(),
            slurp(scenarios + "/advice/population.yaml"));
  auto pop = sim::default_population();
  ASSERT_TRUE(pop) << render(pop.error());
  EXPECT_EQ(sim::participant_ids(*pop).size(), 7u);
  EXPECT_NEAR(sim::mean_accuracy(*pop), 0.6, 1e-12);
  EXPECT_EQ(pop->world.labels.size(), 4u);
}

TEST(advice_population, derived_populations_keep_the_mean_accuracy) {
  auto pop = sim::default_population();
  ASSERT_TRUE(pop);
  auto ids = sim::participant_ids(*pop);
  auto truth = pop->world.ground_truth;
  auto prob = [&](const sim::agent_group& g, const std::string& label) {
    double total = 0;
    double hit = 0;
    for (size_t i = 0; i < g.labels.size(); ++i) {
      total += g.weights[i];
      if (g.labels[i] == label)
        hit += g.weights[i];
    }
    return hit / total;
  };
  using kind = sim::population_kind;
  for (auto k : {kind::homogeneous, kind::diverse_competence,
                 kind::shared_errors, kind::diverse_errors}) {
    auto d = sim::derive_population(*pop, k);
    EXPECT_EQ(sim::participant_ids(d), ids);
    EXPECT_NEAR(sim::mean_accuracy(d), 0.6, 1e-12);
    ASSERT_EQ(d.groups.size(), 7u);
    // Latency, faults and behaviour stay with the agent.
    EXPECT_DOUBLE_EQ(d.groups[5].latency.a, 6000); // slow
    EXPECT_DOUBLE_EQ(d.groups[6].fail, 0.15);      // flaky
    EXPECT_EQ(d.groups[0].refine, sim::behaviour::conform);
    // Every derived scenario is valid.
    auto cell = sim::resolve_cell(d, 0);
    EXPECT_TRUE(cell) << render(cell.error());
  }
  auto homo = sim::derive_population(*pop, kind::homogeneous);
  for (auto& g : homo.groups)
    EXPECT_NEAR(prob(g, "cache"), 0.2, 1e-12);
  auto comp = sim::derive_population(*pop, kind::diverse_competence);
  std::vector<double> acc;
  for (auto& g : comp.groups)
    acc.push_back(prob(g, truth));
  // Low, high, low, ...: 0.35, 0.85, 0.433, 0.767, 0.517, 0.683, 0.6.
  EXPECT_NEAR(acc[0], 0.35, 1e-12);
  EXPECT_NEAR(acc[1], 0.85, 1e-12);
  EXPECT_NEAR(acc[6], 0.6, 1e-12);
  EXPECT_NEAR(*std::max_element(acc.begin(), acc.end())
                - *std::min_element(acc.begin(), acc.end()),
              0.5, 1e-12);
  auto shared = sim::derive_population(*pop, kind::shared_errors);
  for (auto& g : shared.groups)
    EXPECT_NEAR(prob(g, "cache"), 0.4, 1e-12);
  auto diverse = sim::derive_population(*pop, kind::diverse_errors);
  const char* wrong[] = {"cache", "fulltext", "partition"};
  for (size_t i = 0; i < diverse.groups.size(); ++i)
    EXPECT_NEAR(prob(diverse.groups[i], wrong[i % 3]), 0.4, 1e-12) << i;
}

TEST(advice_population, user_populations_are_checked) {
  auto q = sim::load_population(scenarios + "/quickstart.yaml");
  ASSERT_TRUE(q) << render(q.error());
  EXPECT_EQ(sim::participant_ids(*q).size(), 5u);
  auto single = sim::load_population(scenarios + "/snowball-polls.yaml");
  EXPECT_TRUE(single); // 5 agents
  auto lone = sim::load_population(scenarios + "/condorcet.yaml");
  ASSERT_FALSE(lone); // one voter
  EXPECT_NE(render(lone.error()).find("the population has 1 agents"),
            std::string::npos)
    << render(lone.error());
  auto missing = sim::load_population("/nonexistent/pop.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(render(missing.error()).find("/nonexistent/pop.yaml"),
            std::string::npos);
}

// -- run_advice ---------------------------------------------------------------

TEST(advice_run, bad_options_are_rejected) {
  auto pop = sim::default_population();
  ASSERT_TRUE(pop);
  sim::advice_options o;
  o.replicates = 1;
  auto r = sim::run_advice(*pop, o);
  ASSERT_FALSE(r);
  EXPECT_NE(render(r.error()).find("replicates must be in"), std::string::npos);
  o = {};
  o.policies = {"metastable", "raft"};
  r = sim::run_advice(*pop, o);
  ASSERT_FALSE(r);
  EXPECT_NE(render(r.error()).find("unknown policy 'raft'"), std::string::npos);
  o = {};
  o.threads = 0;
  EXPECT_FALSE(sim::run_advice(*pop, o));
  o = {};
  o.policies.clear();
  EXPECT_FALSE(sim::run_advice(*pop, o));
}

TEST(advice_run, verdicts_follow_the_formulas_and_are_reproducible) {
  auto pop = sim::default_population();
  ASSERT_TRUE(pop);
  sim::advice_options o;
  o.replicates = 300;
  o.threads = 2;
  o.policies = {"metastable", "vote"};
  auto rep = sim::run_advice(*pop, o);
  ASSERT_TRUE(rep) << render(rep.error());
  // 4 round claims, k, 3 beta_2 claims, diversity: 9 per policy.
  EXPECT_EQ(rep->claims.size(), 18u);
  // Every run is accounted for: the kept sweeps plus at most three
  // baseline cells (vote after round 0, and at two call budgets).
  uint64_t kept = 0;
  for (auto& s : rep->sweeps)
    for (auto& c : s.cells)
      kept += c.summary.runs;
  EXPECT_GE(rep->runs, kept + 300);
  EXPECT_LE(rep->runs, kept + 3 * 300);
  // vote ignores beta_2: the runs are identical, the effect exactly 0.
  auto& fewer = claim(*rep, "vote", "beta_2.fewer");
  EXPECT_EQ(fewer.v, sim::verdict::does_not_hold);
  auto& e = fewer.conditions.at(0).effects.at(0).second;
  EXPECT_EQ(e.value, 0.0);
  EXPECT_EQ(e.lo, 0.0);
  EXPECT_EQ(e.hi, 0.0);
  auto& safer = claim(*rep, "vote", "beta_2.safer");
  EXPECT_EQ(safer.v, sim::verdict::does_not_hold);
  EXPECT_EQ(safer.conditions.at(0).effects.at(0).second.hi, 0.0);
  // beta_2 acts after the rounds: it never changes a run's latency.
  for (auto* p : {"metastable", "vote"}) {
    auto& faster = claim(*rep, p, "beta_2.faster");
    EXPECT_EQ(faster.v, sim::verdict::does_not_hold) << p;
    EXPECT_EQ(faster.conditions.at(0).effects.at(0).second.hi, 0.0) << p;
  }
  // Metastable: a stricter beta_2 finalizes less often.
  EXPECT_EQ(claim(*rep, "metastable", "beta_2.fewer").v, sim::verdict::holds);
  // Without the early stop, rounds 1 -> 5 add exactly 4 rounds.
  auto& refine = claim(*rep, "metastable", "rounds.refinement");
  ASSERT_EQ(refine.conditions.size(), 2u);
  auto& no_stop = refine.conditions[1].effects.at(0).second;
  EXPECT_EQ(no_stop.value, 4.0);
  EXPECT_EQ(no_stop.lo, 4.0);
  EXPECT_EQ(refine.conditions[1].v, sim::verdict::holds);
  // vote never stops early: 5 rounds are slower than 1.
  EXPECT_EQ(claim(*rep, "vote", "rounds.slower").v, sim::verdict::holds);
  // Baselines: majority after round 0 makes one call per agent.
  ASSERT_EQ(rep->baselines.size(), 2u);
  EXPECT_DOUBLE_EQ(rep->baselines[0].vote0_calls.value, 7.0);
  EXPECT_EQ(rep->baselines[1].policy, "vote");
  EXPECT_EQ(rep->baselines[1].budget_rounds, 3); // vote at 3 rounds: 28 calls
  EXPECT_EQ(rep->baselines[1].vs_budget.value, 0.0);
  // Reproducible, whatever the number of threads.
  o.threads = 1;
  auto again = sim::run_advice(*pop, o);
  ASSERT_TRUE(again);
  EXPECT_EQ(sim::advice_json(*rep, "x").dump(),
            sim::advice_json(*again, "x").dump());
  // A different seed gives different numbers.
  o.seed = 99;
  auto other = sim::run_advice(*pop, o);
  ASSERT_TRUE(other);
  EXPECT_NE(sim::advice_json(*rep, "x").dump(),
            sim::advice_json(*other, "x").dump());
  // Text and Markdown name every policy and the command.
  auto text = sim::advice_text(*rep);
  EXPECT_NE(text.find("== metastable =="), std::string::npos);
  EXPECT_NE(text.find("== vote =="), std::string::npos);
  auto md = sim::advice_markdown(*rep, "consensus-sim advice --test");
  EXPECT_NE(md.find("consensus-sim advice --test"), std::string::npos);
  EXPECT_NE(md.find("| policy | claim | verdict |"), std::string::npos);
}

TEST(advice_run, parameter_rules_hold_where_the_formulas_say) {
  auto pop = sim::default_population();
  ASSERT_TRUE(pop);
  sim::advice_options o;
  o.replicates = 100;
  o.threads = 2;
  o.policies = {"hanzo", "snowball"};
  auto rep = sim::run_advice(*pop, o);
  ASSERT_TRUE(rep) << render(rep.error());
  // hanzo: never at or above beta_1/2 + 1/2, in the best case and here.
  auto& bound = claim(*rep, "hanzo", "rule.hanzo-bound");
  ASSERT_EQ(bound.conditions.size(), 2u);
  for (auto& c : bound.conditions) {
    EXPECT_EQ(c.v, sim::verdict::holds) << c.condition << ": " << c.note;
    EXPECT_EQ(c.effects.at(0).second.value, 0.0);
  }
  // Best case, identical instant answers: confidence 1 - 2^-r after r
  // rounds, stopping at beta_1. beta_1 0.3 and 0.5 stop at score 0.5, below
  // bound - 0.1 (0.55, 0.65); 0.7 and 0.9 reach 0.75 and 0.9375, at or above
  // bound - 0.1 (0.75, 0.85): half the cells finalize, every run alike.
  EXPECT_DOUBLE_EQ(bound.conditions[0].effects.at(1).second.value, 0.5);
  // snowball: exact when every peer is polled, not with random polls.
  auto& live = claim(*rep, "snowball", "rule.snowball-liveness");
  ASSERT_EQ(live.conditions.size(), 2u);
  EXPECT_EQ(live.conditions[0].v, sim::verdict::holds)
    << live.conditions[0].note;
  EXPECT_EQ(live.conditions[0].effects.at(0).second.value, 0.0);
  EXPECT_EQ(live.conditions[0].effects.at(1).second.value, 1.0);
  EXPECT_EQ(live.conditions[1].v, sim::verdict::does_not_hold);
  EXPECT_GT(live.conditions[1].effects.at(0).second.value, 0.0);
  EXPECT_EQ(live.v, sim::verdict::holds_only_when);
  EXPECT_NE(live.summary.find("every peer polled"), std::string::npos);
}

TEST(advice_run, a_user_population_and_written_files) {
  auto q = sim::load_population(scenarios + "/quickstart.yaml");
  ASSERT_TRUE(q);
  sim::advice_options o;
  o.replicates = 60;
  o.threads = 2;
  o.policies = {"vote"};
  o.rules = false;
  auto rep = sim::run_advice(*q, o);
  ASSERT_TRUE(rep) << render(rep.error());
  EXPECT_EQ(rep->population_name, "quickstart");
  EXPECT_EQ(rep->agents, 5u);
  EXPECT_NEAR(rep->mean_accuracy, 0.7, 1e-12);
  // 2 wrong answers: both diversity conditions are testable.
  auto& div = claim(*rep, "vote", "diversity.better");
  ASSERT_EQ(div.conditions.size(), 2u);
  EXPECT_NE(div.conditions[1].v, sim::verdict::not_testable);
  auto tmp = fs::temp_directory_path()
             / ("caf-advice-test-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  auto err = sim::write_advice(*rep, tmp.string(), "consensus-sim advice",
                               false, {});
  ASSERT_FALSE(err) << render(err);
  EXPECT_TRUE(fs::exists(tmp / "advice.md"));
  EXPECT_TRUE(fs::exists(tmp / "advice.json"));
  EXPECT_TRUE(fs::exists(tmp / "charts" / "advice-rounds.svg"));
  auto html = slurp(tmp / "index.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(std::count(html.begin(), html.end(), '\0'), 0);
  size_t figures = 0;
  for (auto i = html.find("<figure"); i != std::string::npos;
       i = html.find("<figure", i + 1))
    ++figures;
  EXPECT_EQ(figures, 4u); // rounds, k, beta_2, population
  auto json = nlohmann::json::parse(slurp(tmp / "advice.json"));
  EXPECT_EQ(json["claims"].size(), rep->claims.size());
  fs::remove_all(tmp);
}

// consensus-sim advice: run_advice end to end: bad options, verdicts that
// follow from the protocol's formulas, a user population and the written
// files.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/advice.hpp"
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

} // namespace

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

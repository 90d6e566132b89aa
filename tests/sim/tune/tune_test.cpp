// consensus-sim tune: the race against the exhaustive grid, planted answers
// (a clear winner, a true tie), constraints, determinism and bad options.

#include <gtest/gtest.h>

#include <algorithm>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/report/intervals.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/tune/output.hpp"
#include "caf/consensus/sim/tune/tune.hpp"

using namespace caf::consensus;

namespace {

/// Five agents, one right answer of three; `policy` and `sweep` vary.
std::string tune_yaml(const std::string& policy, const std::string& sweep,
                      int replicates = 400) {
  return "name: tune-test\n"
         "policy: "
         + policy
         + "\n"
           "labels:\n"
           "  right: add a composite index on customer id and created at\n"
           "  cache: put a read through cache in front of the table\n"
           "  notes: create a full text index over the notes column\n"
           "ground_truth: right\n"
           "agents:\n"
           "  - name: a\n"
           "    count: 5\n"
           "    latency: {dist: lognormal, median_ms: 1000, sigma: 0.5}\n"
           "    answers: {right: 0.55, cache: 0.3, notes: 0.15}\n"
           "    behaviour: conform:0.7\n"
           "    noise: 0.1\n"
           "replicates: "
         + std::to_string(replicates)
         + "\n"
           "seed: 7\n"
           "sweep:\n"
         + sweep;
}

sim::scenario tune_scenario(const std::string& yaml) {
  auto s = sim::parse_scenario(yaml, "tune-test.yaml");
  if (!s)
    throw std::runtime_error(render(s.error()));
  return std::move(*s);
}

sim::tune_objective objective(const std::string& text) {
  auto o = sim::parse_objective(text);
  if (!o)
    throw std::runtime_error(render(o.error()));
  return std::move(*o);
}

/// Accuracy of every cell of the whole grid on the seeds tune uses
/// (derive(seed, {i}), i < replicates).
std::vector<sim::rate> grid_accuracy(const sim::scenario& s, uint64_t seed) {
  auto x = s;
  x.seeds.clear();
  for (uint64_t i = 0; i < s.replicates; ++i)
    x.seeds.emplace_back(rng::derive(seed, {i}));
  std::vector<uint64_t> hits(sim::cell_count(s));
  sim::sweep_options so;
  so.engine = sim::engine_kind::inline_calls;
  so.threads = 2;
  so.on_run = [&](const sim::run_metrics& m) {
    hits[m.cell] += m.winner_correct ? 1 : 0;
  };
  if (auto err = sim::run_sweep(x, so))
    throw std::runtime_error(render(err));
  std::vector<sim::rate> out;
  for (auto h : hits)
    out.push_back(sim::wilson(h, s.replicates));
  return out;
}

} // namespace

TEST(tune_race, finds_the_grid_best_with_a_fifth_of_its_runs) {
  // The worked scenario: the default advice population over policy x
  // rounds x k, 27 cells x 1000 replicates (the grid is affordable here).
  auto s = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                              + "/advice/population.yaml");
  ASSERT_TRUE(s) << render(s.error());
  s->sweep = {{"policy", {"metastable", "hanzo", "vote"}, 0, {}},
              {"rounds", {"1", "3", "5"}, 0, {}},
              {"k", {"1", "3", "6"}, 0, {}}};
  ASSERT_EQ(s->replicates, 1000u);
  sim::tune_options o;
  o.threads = 2;
  auto res = sim::run_tune(*s, objective("accuracy"), o);
  ASSERT_TRUE(res) << render(res.error());
  auto grid = grid_accuracy(*s, s->seed.low64());
  ASSERT_EQ(grid.size(), 27u);
  auto best = static_cast<size_t>(
    std::max_element(grid.begin(), grid.end(),
                     [](auto& x, auto& y) { return x.value < y.value; })
    - grid.begin());
  ASSERT_TRUE(res->has_choice);
  auto won = res->best.front();
  // The grid's best cell, or one whose interval overlaps it.
  EXPECT_TRUE(won == best || grid[won].hi >= grid[best].lo)
    << "tune: " << won << " " << grid[won].value << ", grid: " << best << " "
    << grid[best].value;
  auto total = res->runs_search + res->runs_confirm;
  EXPECT_LE(total, 27u * 1000u / 5u);
  EXPECT_EQ(res->grid_runs, 27000u);
  // The race dropped cells, and only cells the whole grid shows worse than
  // its best.
  size_t dropped = 0;
  for (auto& c : res->cells) {
    if (c.status == sim::tune_status::alive)
      continue;
    ++dropped;
    EXPECT_LT(grid[c.cell].value, grid[best].value) << c.cell;
    EXPECT_LT(c.runs, 1000u);
  }
  EXPECT_GE(dropped, 9u);
}

TEST(tune_race, a_planted_winner_is_found_and_separated) {
  // Cell 2 makes every agent right with 0.9 at first; the others at most 0.6.
  auto s = tune_scenario(tune_yaml("metastable",
                                   "  agents.a.answers.right: [0.4, 0.5, 0.9, "
                                   "0.6]\n"));
  sim::tune_options o;
  o.budget = 1000;
  auto res = sim::run_tune(s, objective("accuracy"), o);
  ASSERT_TRUE(res) << render(res.error());
  EXPECT_EQ(res->verdict, sim::tune_verdict::separated);
  ASSERT_EQ(res->best.size(), 1u);
  EXPECT_EQ(res->best.front(), 2u);
  EXPECT_EQ(res->chosen, 2u);
  for (auto c : {0u, 1u, 3u}) {
    EXPECT_EQ(res->cells[c].status, sim::tune_status::worse) << c;
    EXPECT_NE(res->cells[c].why.find("worse than cell 2"), std::string::npos);
  }
  // The confirmation on fresh seeds agrees with the race's estimate.
  auto& conf = res->confirmation.est.accuracy;
  auto& race = res->cells[2].est.accuracy;
  EXPECT_TRUE(conf.lo <= race.hi && race.lo <= conf.hi);
  EXPECT_GT(conf.lo, 0.6);
  EXPECT_EQ(conf.n, res->runs_confirm);
  EXPECT_LE(res->runs_search + res->runs_confirm, 1000u);
}

TEST(tune_race, truly_equal_cells_are_tied_not_split) {
  // hanzo does not read alpha: the two alpha values of each answer weight
  // are the same settings reached two ways (identical runs).
  auto s
    = tune_scenario(tune_yaml("hanzo", "  agents.a.answers.right: [0.4, 0.8]\n"
                                       "  alpha: [0.5, 0.7]\n"));
  sim::tune_options o;
  o.budget = 1000;
  auto res = sim::run_tune(s, objective("accuracy"), o);
  ASSERT_TRUE(res) << render(res.error());
  EXPECT_EQ(res->verdict, sim::tune_verdict::tied);
  auto best = res->best;
  std::sort(best.begin(), best.end());
  EXPECT_EQ(best, (std::vector<uint64_t>{2, 3}));
  auto other = res->best.front() == 2 ? 3u : 2u;
  EXPECT_TRUE(res->cells[other].tied);
  EXPECT_EQ(res->cells[other].vs_winner.value, 0);
  EXPECT_EQ(res->cells[0].status, sim::tune_status::worse);
  EXPECT_EQ(res->cells[1].status, sim::tune_status::worse);
  // In a tie the cheaper cell is written out; here both cost the same, so
  // the lower index.
  EXPECT_EQ(res->chosen, 2u);
  EXPECT_NE(sim::tune_text(*res).find("tied"), std::string::npos);
}

TEST(tune_race, constraints_drop_cells_that_miss_them) {
  // More rounds cost more calls: with calls<=12, only rounds 1 (5 + 5
  // calls) can stay; accuracy is the goal among what is left.
  auto s = tune_scenario(tune_yaml("metastable", "  rounds: [1, 3, 5]\n"
                                                 "  beta_1: [1.01]\n"));
  sim::tune_options o;
  o.budget = 1200;
  auto res = sim::run_tune(s, objective("accuracy, calls<=12"), o);
  ASSERT_TRUE(res) << render(res.error());
  EXPECT_EQ(res->cells[1].status, sim::tune_status::infeasible);
  EXPECT_EQ(res->cells[2].status, sim::tune_status::infeasible);
  EXPECT_NE(res->cells[2].why.find("misses calls<=12"), std::string::npos);
  ASSERT_TRUE(res->has_choice);
  EXPECT_EQ(res->chosen, 0u);
  EXPECT_EQ(res->confirmation.constraints, (std::vector<std::string>{"met"}));
  // Nothing meets an impossible bound.
  res = sim::run_tune(s, objective("accuracy, calls<=2"), o);
  ASSERT_TRUE(res) << render(res.error());
  EXPECT_EQ(res->verdict, sim::tune_verdict::infeasible);
  EXPECT_FALSE(res->has_choice);
  EXPECT_TRUE(res->best.empty());
}

TEST(tune_race, same_seed_same_path_for_any_thread_count) {
  auto s = tune_scenario(tune_yaml("metastable", "  rounds: [1, 2, 3]\n"
                                                 "  k: [1, 2, 4]\n"));
  sim::tune_options o;
  o.budget = 2000;
  o.threads = 1;
  auto one = sim::run_tune(s, objective("accuracy, calls<=30"), o);
  o.threads = 3;
  auto three = sim::run_tune(s, objective("accuracy, calls<=30"), o);
  ASSERT_TRUE(one && three);
  auto a = sim::tune_json(*one, "x");
  auto b = sim::tune_json(*three, "x");
  a.erase("seconds");
  b.erase("seconds");
  EXPECT_EQ(a.dump(), b.dump());
  // Another seed takes another path (the seeds matter).
  o.seed = 8;
  auto other = sim::run_tune(s, objective("accuracy, calls<=30"), o);
  ASSERT_TRUE(other);
  auto c = sim::tune_json(*other, "x");
  EXPECT_NE(a["cells"].dump(), c["cells"].dump());
}

TEST(tune_race, pareto_keeps_the_trade_off) {
  auto s = tune_scenario(tune_yaml("metastable", "  rounds: [1, 3]\n"
                                                 "  beta_1: [1.01]\n"
                                                 "  k: [1, 4]\n"));
  sim::tune_options o;
  o.budget = 1500;
  auto res = sim::run_tune(s, objective("pareto"), o);
  ASSERT_TRUE(res) << render(res.error());
  ASSERT_FALSE(res->best.empty());
  // Every cell left is on the front of the cells left: none dominates
  // another on the estimates.
  for (auto x : res->best)
    for (auto y : res->best) {
      auto& ex = res->cells[x].est;
      auto& ey = res->cells[y].est;
      auto dominates = ex.accuracy.value >= ey.accuracy.value
                       && ex.calls.value <= ey.calls.value
                       && ex.latency.value <= ey.latency.value
                       && (ex.accuracy.value > ey.accuracy.value
                           || ex.calls.value < ey.calls.value
                           || ex.latency.value < ey.latency.value);
      EXPECT_FALSE(dominates) << x << " over " << y;
    }
  EXPECT_TRUE(res->has_choice);
}

TEST(tune_race, bad_options_are_rejected) {
  auto s = tune_scenario(tune_yaml("metastable", "  rounds: [1, 2, 3]\n"));
  sim::tune_options o;
  o.budget = 50;
  auto res = sim::run_tune(s, objective("accuracy"), o);
  ASSERT_FALSE(res);
  EXPECT_NE(render(res.error()).find("budget of 50 runs is too small"),
            std::string::npos);
  o = {};
  o.threads = 0;
  EXPECT_FALSE(sim::run_tune(s, objective("accuracy"), o));
  o = {};
  o.confidence = 1;
  EXPECT_FALSE(sim::run_tune(s, objective("accuracy"), o));
  o = {};
  o.first_replicates = 1;
  EXPECT_FALSE(sim::run_tune(s, objective("accuracy"), o));
  o = {};
  o.max_replicates = 1;
  EXPECT_FALSE(sim::run_tune(s, objective("accuracy"), o));
  // Sizes that would overflow or never end are refused before any run.
  o = {};
  o.confirm = 20'000'000;
  res = sim::run_tune(s, objective("accuracy"), o);
  ASSERT_FALSE(res);
  EXPECT_NE(render(res.error()).find("at most 10^7"), std::string::npos);
  o = {};
  o.budget = 2'000'000'000'000;
  EXPECT_FALSE(sim::run_tune(s, objective("accuracy"), o));
}

// The simulator's guarantees: both engines give byte-identical per-run
// results, for any number of threads, from run to run; per-run seeds follow
// the documented derivation; summaries compute what they claim.

#include <gtest/gtest.h>

#include <cmath>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

using namespace caf::consensus;

namespace {

const std::string dir = CAF_CONSENSUS_SCENARIOS;

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(dir + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  if (replicates > 0)
    sc->replicates = replicates;
  return *sc;
}

std::string csv_of(const sim::scenario& sc, sim::engine_kind engine,
                   size_t threads) {
  std::string out = sim::runs_csv_header() + "\n";
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.agent_rows = true;
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n" + sim::agents_csv(m) + sim::rounds_csv(m)
           + sim::rounds_jsonl(m);
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  return out;
}

} // namespace

TEST(sim_run, engines_and_thread_counts_give_identical_bytes) {
  for (auto name :
       {"quickstart.yaml", "snowball-polls.yaml", "voter-model.yaml",
        "hanzo-never-finalizes.yaml", "studies/stopping.yaml", "avalanche.yaml",
        "avalanche-adversaries.yaml"}) {
    auto sc = load(name, 25);
    auto ref = csv_of(sc, sim::engine_kind::inline_calls, 1);
    EXPECT_GT(ref.size(), 1000u) << name;
    EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::inline_calls, 2)) << name;
    EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::actors, 1)) << name;
    EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::actors, 2)) << name;
    EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::inline_calls, 1)) << name;
  }
}

TEST(sim_run, run_seeds_follow_the_documented_derivation) {
  auto sc = load("quickstart.yaml", 10);
  EXPECT_EQ(sim::run_seed(sc, 2, 7), rng::derive(sc.seed.low64(), {2, 7}));
  EXPECT_NE(sim::run_seed(sc, 2, 7), sim::run_seed(sc, 7, 2));
  sc.seeds = {11, 12, 13};
  EXPECT_EQ(sim::run_seed(sc, 0, 1), 12u);
  EXPECT_EQ(sim::run_seed(sc, 3, 1), 12u); // explicit seeds: same in every cell
}

TEST(sim_run, a_different_seed_changes_the_results) {
  auto sc = load("quickstart.yaml", 25);
  auto a = csv_of(sc, sim::engine_kind::inline_calls, 1);
  sc.seed = sc.seed.low64() + 1;
  EXPECT_NE(a, csv_of(sc, sim::engine_kind::inline_calls, 1));
}

TEST(sim_run, results_arrive_in_canonical_order_and_skips_are_honoured) {
  auto sc = load("quickstart.yaml", 20);
  std::vector<std::pair<uint64_t, uint64_t>> seen;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.skip = [](uint64_t, uint64_t rep) { return rep % 3 == 0; };
  opts.on_run = [&](const sim::run_metrics& m) {
    seen.emplace_back(m.cell, m.replicate);
  };
  ASSERT_FALSE(sim::run_sweep(sc, opts));
  std::vector<std::pair<uint64_t, uint64_t>> want;
  for (uint64_t c = 0; c < sim::cell_count(sc); ++c)
    for (uint64_t r = 0; r < 20; ++r)
      if (r % 3 != 0)
        want.emplace_back(c, r);
  EXPECT_EQ(seen, want);
}

// follow-policy feeds the Snowball preference back into the answers: the
// network tips, every run finalizes and every agent ends on the winner's
// answer within a few rounds; the same agents kept stubborn never change
// their answers (the policy's preferences move, slowly: many more rounds).
TEST(sim_run, follow_policy_agents_run_the_avalanche_protocol) {
  auto sc = load("avalanche.yaml", 40);
  uint64_t finalized[2] = {0, 0};
  uint64_t unanimous[2] = {0, 0};
  int64_t rounds[2] = {0, 0};
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.on_run = [&](const sim::run_metrics& m) {
    finalized[m.cell] += m.finalized ? 1 : 0;
    unanimous[m.cell] += m.agreement == 1.0 ? 1 : 0;
    rounds[m.cell] += m.rounds_executed;
  };
  ASSERT_FALSE(sim::run_sweep(sc, opts));
  EXPECT_EQ(finalized[0], 40u); // follow-policy
  EXPECT_EQ(unanimous[0], 40u);
  EXPECT_LT(unanimous[1], 2u); // stubborn: answers never converge
  EXPECT_LT(5 * rounds[0], rounds[1]);
  EXPECT_LT(finalized[1], 40u);
}

TEST(sim_run, metrics_reflect_the_state) {
  auto sc = load("hanzo-never-finalizes.yaml", 1);
  auto cell = sim::resolve_cell(sc, 3); // metastable, beta_2 = 0.5
  ASSERT_TRUE(cell);
  auto st = sim::run_state(*cell, 3, 0, sim::engine_kind::inline_calls,
                           nullptr);
  ASSERT_TRUE(st);
  auto m = sim::measure(*cell, 3, 0, sim::run_seed(sc, 3, 0), *st);
  EXPECT_EQ(m.policy, "metastable");
  EXPECT_TRUE(m.finalized);
  EXPECT_TRUE(m.winner_correct);
  EXPECT_EQ(m.winner_label, "same");
  EXPECT_EQ(m.agreement, 1.0);
  EXPECT_EQ(m.rounds_executed, 1);
  EXPECT_EQ(m.stop_reason, "beta_1");
  EXPECT_EQ(m.calls, 10u); // 5 agents x (round 0 + round 1)
  EXPECT_EQ(m.latency_ms, 0);
}

TEST(sim_run, the_actor_engine_reuses_its_actors_within_a_cell) {
  auto sc = load("quickstart.yaml", 12);
  auto plan = sim::make_plan(sc, sim::engine_kind::actors, false);
  ASSERT_TRUE(plan);
  auto& p = **plan;
  auto inline_text = [&](uint64_t cell, uint64_t rep) {
    auto st = sim::run_state(p.cells[cell], cell, rep,
                             sim::engine_kind::inline_calls, nullptr);
    return st ? caf::deep_to_string(*st) : render(st.error());
  };
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  sim::actor_engine eng{self.ptr()};
  // One run at a time, then a series: the same actors, the inline states.
  for (uint64_t rep = 0; rep < 4; ++rep) {
    auto st = eng.run(p.cells[0], sim::run_seed(sc, 0, rep), *plan);
    ASSERT_TRUE(st) << render(st.error());
    EXPECT_EQ(caf::deep_to_string(*st), inline_text(0, rep)) << rep;
  }
  std::vector<rng::seed> seeds;
  for (uint64_t rep = 4; rep < 12; ++rep)
    seeds.push_back(sim::run_seed(sc, 0, rep));
  auto sts = eng.run_many(p.cells[0], seeds, *plan);
  ASSERT_TRUE(sts) << render(sts.error());
  ASSERT_EQ(sts->size(), seeds.size());
  for (uint64_t rep = 4; rep < 12; ++rep)
    EXPECT_EQ(caf::deep_to_string((*sts)[rep - 4]), inline_text(0, rep)) << rep;
  EXPECT_EQ(eng.spawns(), 1u);
  // Another cell gets new actors; so does the first one again.
  auto other = eng.run(p.cells[1], sim::run_seed(sc, 1, 0), *plan);
  ASSERT_TRUE(other);
  EXPECT_EQ(caf::deep_to_string(*other), inline_text(1, 0));
  EXPECT_EQ(eng.spawns(), 2u);
  auto again = eng.run(p.cells[0], sim::run_seed(sc, 0, 3), *plan);
  ASSERT_TRUE(again);
  EXPECT_EQ(caf::deep_to_string(*again), inline_text(0, 3));
  EXPECT_EQ(eng.spawns(), 3u);
  // Batches of a sweep: the same metrics as run by run, in the given order.
  std::vector<uint64_t> idxs{3, 4, 11, 12, 13, 30};
  auto ms = sim::run_indexed(*plan, idxs, &eng);
  ASSERT_TRUE(ms) << render(ms.error());
  ASSERT_EQ(ms->size(), idxs.size());
  for (size_t i = 0; i < idxs.size(); ++i) {
    auto want = sim::run_indexed(p, idxs[i], self.ptr());
    ASSERT_TRUE(want);
    EXPECT_EQ(sim::to_csv((*ms)[i]), sim::to_csv(*want)) << idxs[i];
  }
  auto bad = sim::run_indexed(*plan, std::vector<uint64_t>{2, p.total}, &eng);
  EXPECT_FALSE(bad);
}

TEST(sim_run, wilson_and_t_intervals) {
  auto r = sim::wilson(60, 100);
  EXPECT_DOUBLE_EQ(r.value, 0.6);
  EXPECT_NEAR(r.lo, 0.5020026, 1e-6); // computed independently (Python)
  EXPECT_NEAR(r.hi, 0.6905987, 1e-6);
  auto zero = sim::wilson(0, 50);
  EXPECT_EQ(zero.lo, 0.0);
  EXPECT_NEAR(zero.hi, 0.0713476, 1e-6);
  sim::mean_acc acc;
  for (double x : {1.0, 2.0, 3.0, 4.0, 5.0})
    acc.add(x);
  auto m = acc.get();
  EXPECT_DOUBLE_EQ(m.value, 3.0);
  // sd = sqrt(2.5), t(0.975, 4) = 2.776445
  EXPECT_NEAR(m.hi - m.value, 2.776445 * std::sqrt(2.5) / std::sqrt(5.0), 1e-5);
}

// The actor engine's coordinator keeps 1024 requests in flight and files the
// replies by request id: 2,500 agents need more than two windows per round.
// (A sweep runs each run on one thread's `actor_home`; actor_home_test runs
// the engine on two threads that steal its participants.)
TEST(sim_run, engines_agree_beyond_the_actor_engines_request_window) {
  auto sc = load("quickstart.yaml", 2);
  sc.sweep.clear();
  ASSERT_FALSE(sc.groups.empty());
  sc.groups[0].count = 2500;
  auto ref = csv_of(sc, sim::engine_kind::inline_calls, 1);
  EXPECT_GT(ref.size(), 2500u * 2 * 10);
  EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::actors, 1));
  EXPECT_EQ(ref, csv_of(sc, sim::engine_kind::actors, 2));
}

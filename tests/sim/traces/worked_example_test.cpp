// Tests: the worked example of docs/traces.md (scenarios/traces/), recorded
// through MCP from the connector tests' server: the trace reads strictly,
// its replay gives every recorded decision bit for bit on both engines, and
// `fit` regenerates the committed scenario and table (suite traces_example).

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/trace_fit.hpp"
#include "trace_helpers.hpp"

using namespace caf::consensus;

namespace {

const std::string dir = std::string{CAF_CONSENSUS_SCENARIOS} + "/traces";

std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, {}};
}

} // namespace

TEST(traces_example, replay_gives_every_recorded_decision) {
  auto t = connectors::read_trace(dir + "/example.jsonl");
  ASSERT_TRUE(t) << render(t.error());
  ASSERT_EQ(t->outcomes.size(), 40u);
  auto sc = sim::load_scenario(dir + "/replay.yaml");
  ASSERT_TRUE(sc) << render(sc.error());
  auto cell = sim::resolve_cell(*sc, 0);
  ASSERT_TRUE(cell);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  for (auto engine : {sim::engine_kind::inline_calls, sim::engine_kind::actors})
    for (uint64_t rep = 0; rep < 40; ++rep) {
      auto st = sim::run_state(*cell, 0, rep, engine, &sys);
      ASSERT_TRUE(st) << render(st.error());
      auto& o = t->outcomes[rep];
      auto i = st->index_of(st->winner);
      EXPECT_EQ(st->winner, o.winner) << rep;
      EXPECT_EQ(st->finalized, o.finalized) << rep;
      EXPECT_EQ(st->rounds_executed, o.rounds_executed) << rep;
      EXPECT_EQ(connectors::agreed_answer(*st), o.answer) << rep;
      ASSERT_LT(i, st->confidence.size());
      EXPECT_EQ(st->confidence[i], o.confidence) << rep;
    }
}

TEST(traces_example, fit_regenerates_the_committed_files) {
  std::vector<sim::named_trace> traces;
  auto t = connectors::read_trace(dir + "/example.jsonl");
  ASSERT_TRUE(t);
  traces.push_back({"example.jsonl", std::move(*t)});
  auto runs = sim::merge_traces(traces);
  ASSERT_TRUE(runs) << render(runs.error());
  auto f = sim::fit_traces(**runs);
  EXPECT_EQ(sim::fit_scenario_text(f, 400, 1), slurp(dir + "/fitted.yaml"));
  auto h = sim::check_holdout(**runs, 0.3, 1, 400);
  ASSERT_TRUE(h) << render(h.error());
  EXPECT_EQ(sim::fit_table(f) + "\nwrote fitted.yaml\nwrote replay.yaml\n\n"
              + sim::holdout_table(*h),
            slurp(dir + "/fit.txt"));
  // The fitted scenario is valid and runs.
  auto sc = sim::load_scenario(dir + "/fitted.yaml");
  ASSERT_TRUE(sc) << render(sc.error());
}

// Tests: replay agents play a recorded consensus back bit for bit, under
// both engines and any thread count, and refuse calls the trace never
// recorded (suite replay).

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/sim/engine/actor_engine.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"
#include "trace_helpers.hpp"

using namespace caf::consensus;
using test::parse_or_throw;
using test::record_to;
using test::recorded_scenario;
using test::temp_path;

namespace {

/// The replay scenario of the trace at `path`, with `edit` applied to its
/// text.
sim::scenario replay_of(const std::string& path, const std::string& from = "",
                        const std::string& to = "") {
  auto t = connectors::read_trace(path);
  if (!t)
    throw std::runtime_error(render(t.error()));
  auto text = sim::replay_scenario_text(*t, path);
  if (!text)
    throw std::runtime_error(render(text.error()));
  if (!from.empty()) {
    auto at = text->find(from);
    if (at == std::string::npos)
      throw std::runtime_error("no '" + from + "' in the replay scenario");
    text->replace(at, from.size(), to);
  }
  return parse_or_throw(*text, temp_path("replay.yaml"));
}

/// What the state says about the decision, to compare runs.
std::string decision(const state& st) {
  auto i = st.index_of(st.winner);
  return st.winner + " " + (st.finalized ? "final" : "open") + " "
         + caf::deep_to_string(i < st.confidence.size() ? st.confidence[i]
                                                        : -1.0)
         + " " + std::to_string(st.rounds_executed);
}

/// The whole state, exactly: its binary serialization (every double bit for
/// bit; deep_to_string would print them to six decimals).
std::vector<char> whole(const state& st) {
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  auto copy = st;
  if (auto err = sink(copy))
    ADD_FAILURE() << "cannot serialize the state";
  return buf;
}

} // namespace

TEST(replay, bit_exact_under_both_engines_and_thread_counts) {
  auto path = temp_path("replay_exact.jsonl");
  auto recorded = record_to(recorded_scenario, path, 8);
  auto t = connectors::read_trace(path);
  ASSERT_TRUE(t) << render(t.error());
  ASSERT_EQ(t->outcomes.size(), 8u);
  auto sc = replay_of(path);
  auto cell = sim::resolve_cell(sc, 0);
  ASSERT_TRUE(cell) << render(cell.error());
  // Inline.
  for (uint64_t rep = 0; rep < 8; ++rep) {
    auto st = sim::run_state(*cell, 0, rep, sim::engine_kind::inline_calls,
                             nullptr);
    ASSERT_TRUE(st) << render(st.error());
    EXPECT_TRUE(whole(*st) == whole(recorded[rep]))
      << rep << ": the states differ";
    auto& o = t->outcomes[rep];
    EXPECT_EQ(st->winner, o.winner) << rep;
    EXPECT_EQ(st->finalized, o.finalized) << rep;
    auto i = st->index_of(st->winner);
    EXPECT_EQ(st->confidence[i], o.confidence) << rep; // bit for bit
  }
  // Actors on 1 and 4 scheduler threads.
  for (size_t threads : {size_t{1}, size_t{4}}) {
    caf::actor_system_config cfg;
    cfg.set("scheduler.max-threads", threads);
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    sim::actor_engine eng{self.ptr()};
    std::vector<rng::seed> seeds;
    for (uint64_t rep = 0; rep < 8; ++rep)
      seeds.push_back(sim::run_seed(*cell, 0, rep));
    auto sts = eng.run_many(*cell, seeds);
    ASSERT_TRUE(sts) << render(sts.error());
    for (uint64_t rep = 0; rep < 8; ++rep) {
      EXPECT_EQ(decision((*sts)[rep]), decision(recorded[rep]))
        << threads << " threads, run " << rep;
      EXPECT_TRUE(whole((*sts)[rep]) == whole(recorded[rep]))
        << threads << " threads, run " << rep << ": the states differ";
    }
  }
}

TEST(replay, a_call_the_trace_never_recorded_is_an_error) {
  auto path = temp_path("replay_unrecorded.jsonl");
  record_to(recorded_scenario, path, 3);
  // Another k: the peers shown differ from the recorded ones.
  auto other_k = replay_of(path, "  k: 2\n", "  k: 1\n");
  auto cell = sim::resolve_cell(other_k, 0);
  ASSERT_TRUE(cell);
  auto st = sim::run_state(*cell, 0, 0, sim::engine_kind::inline_calls,
                           nullptr);
  ASSERT_FALSE(st);
  auto msg = render(st.error());
  EXPECT_NE(msg.find("unrecorded call: " + path + ": run 'run-1', round 1"),
            std::string::npos)
    << msg;
  EXPECT_NE(msg.find("in the trace (line "), std::string::npos) << msg;
  // The actor engine says the same.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  sim::actor_engine eng{self.ptr()};
  auto ast = eng.run(*cell, sim::run_seed(*cell, 0, 0));
  ASSERT_FALSE(ast);
  EXPECT_NE(render(ast.error()).find("unrecorded call: "), std::string::npos);
  // So do the sweep pool's workers: in the home's thread (a local sweep that
  // takes every core) and on threads of their own.
  auto plan = sim::make_plan(other_k, sim::engine_kind::actors, false);
  ASSERT_TRUE(plan) << render(plan.error());
  for (bool in_home : {true, false}) {
    auto pool = sim::spawn_pool(sys, 1, in_home);
    self->request(pool, caf::infinite, sim::plan_batch{*plan, {1, {0, 1}}})
      .receive([&](sim::batch_result&) { ADD_FAILURE() << "no error"; },
               [&](caf::error& err) {
                 EXPECT_NE(render(err).find("unrecorded call: " + path),
                           std::string::npos)
                   << render(err);
               });
    anon_send_exit(pool, caf::exit_reason::user_shutdown);
  }
  // A seed the trace never ran.
  auto other_seed = replay_of(path, "replicates: 3\nseeds: [",
                              "replicates: 4\nseeds: [12345, ");
  auto cell2 = sim::resolve_cell(other_seed, 0);
  ASSERT_TRUE(cell2);
  auto st2 = sim::run_state(*cell2, 0, 0, sim::engine_kind::inline_calls,
                            nullptr);
  ASSERT_FALSE(st2);
  EXPECT_NE(render(st2.error()).find("no recorded run has this run's seed"),
            std::string::npos)
    << render(st2.error());
}

TEST(replay, runs_that_share_a_seed_cannot_be_told_apart) {
  auto path = temp_path("replay_same_seed.jsonl");
  record_to(recorded_scenario, path, 2);
  auto t = connectors::read_trace(path);
  ASSERT_TRUE(t);
  t->outcomes[1].seed = t->outcomes[0].seed;
  {
    std::ofstream out{path};
    connectors::trace_writer w{out, t->header};
    for (auto& c : t->calls)
      w.write(c);
    for (auto& o : t->outcomes)
      w.write(o);
  }
  auto sc = replay_of(path);
  auto cell = sim::resolve_cell(sc, 0);
  ASSERT_TRUE(cell);
  auto st = sim::run_state(*cell, 0, 0, sim::engine_kind::inline_calls,
                           nullptr);
  ASSERT_FALSE(st);
  EXPECT_NE(render(st.error())
              .find("several recorded runs have this run's "
                    "seed"),
            std::string::npos)
    << render(st.error());
}

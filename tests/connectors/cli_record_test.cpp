// Tests: consensus-sim ask --record writes a trace through real connectors
// (MCP servers over stdio, an OpenAI-compatible HTTP server), which reads
// back strictly and replays to the recorded decision (suite cli_record).

#include <string>

#include <gtest/gtest.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/connectors/all.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "chat_server.hpp"
#include "cli_helpers.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using test::agent_spec_text;
using test::has;

namespace {

std::string completion_with_usage(const std::string& text, uint64_t tokens) {
  auto j = json::parse(test::completion(text));
  j["usage"] = {{"prompt_tokens", 1},
                {"completion_tokens", tokens - 1},
                {"total_tokens", tokens}};
  return j.dump();
}

} // namespace

TEST(cli_record, ask_records_mcp_and_http_calls_to_a_trace) {
  test::chat_server chat;
  chat.fallback({200, completion_with_usage("The answer is 42", 9), {}, {}});
  auto path = std::string{::testing::TempDir()} + "/ask_trace.jsonl";
  auto r = test::sim({"ask",
                      "What is six times seven?",
                      "--json",
                      "--agent",
                      agent_spec_text("alpha", "The answer is 42"),
                      "--agent",
                      agent_spec_text("beta", "It is 41"),
                      "--agent",
                      "gamma=openai:" + chat.base() + "#test-model",
                      "--rounds",
                      "2",
                      "--k",
                      "2",
                      "--seed",
                      "5",
                      "--timeout-ms",
                      "20000",
                      "--record",
                      path,
                      "--run-id",
                      "q1",
                      "--prompt-id",
                      "six-seven",
                      "--key",
                      "The answer is 42"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto out = json::parse(r.out);
  auto t = read_trace(path);
  ASSERT_TRUE(t) << render(t.error());
  // The header: parameters and who answered.
  EXPECT_EQ(t->header.ps.rounds, 2);
  EXPECT_EQ(t->header.ps.k, 2);
  EXPECT_EQ(t->header.ps.seed, rng::seed{5});
  ASSERT_EQ(t->header.participants.size(), 3u);
  EXPECT_TRUE(has(t->header.participants[0].model, "mcp+stdio: "))
    << t->header.participants[0].model;
  EXPECT_EQ(t->header.participants[2].model,
            "openai: " + chat.base() + "#test-model");
  // Every call: 3 in round 0 without peers, 2 peers shown afterwards.
  auto rounds = out["rounds_executed"].get<int>();
  EXPECT_EQ(t->calls.size(), size_t(3 * (rounds + 1)));
  for (auto& c : t->calls) {
    EXPECT_EQ(c.run, "q1");
    EXPECT_EQ(c.prompt_id, "six-seven");
    EXPECT_EQ(c.prompt, "What is six times seven?");
    EXPECT_TRUE(c.ok()) << c.error;
    EXPECT_EQ(c.peers.size(), c.round == 0 ? 0u : 2u);
    if (c.participant == "gamma") {
      EXPECT_EQ(c.tokens, uint64_t{9}); // the HTTP reply's usage
      EXPECT_EQ(c.output, "The answer is 42");
    } else {
      EXPECT_FALSE(c.tokens);
    }
    if (c.participant == "beta" && c.round == 0) {
      EXPECT_EQ(c.output, "It is 41");
    }
  }
  // The outcome line agrees with what ask printed.
  ASSERT_EQ(t->outcomes.size(), 1u);
  auto& o = t->outcomes[0];
  EXPECT_EQ(o.winner, out["winner"].get<std::string>());
  EXPECT_EQ(o.answer, out["answer"].get<std::string>());
  EXPECT_EQ(o.finalized, out["finalized"].get<bool>());
  EXPECT_EQ(o.key, "The answer is 42");
  EXPECT_EQ(o.seed, rng::seed{5});
  // Replayed offline on both engines: the same decision, bit for bit.
  auto text = sim::replay_scenario_text(*t, path);
  ASSERT_TRUE(text) << render(text.error());
  auto sc = sim::parse_scenario(*text, path + ".yaml");
  ASSERT_TRUE(sc) << render(sc.error()) << *text;
  auto cell = sim::resolve_cell(*sc, 0);
  ASSERT_TRUE(cell);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  for (auto engine :
       {sim::engine_kind::inline_calls, sim::engine_kind::actors}) {
    auto st = sim::run_state(*cell, 0, 0, engine, &sys);
    ASSERT_TRUE(st) << render(st.error());
    auto i = st->index_of(st->winner);
    EXPECT_EQ(st->winner, o.winner);
    EXPECT_EQ(st->finalized, o.finalized);
    EXPECT_EQ(st->rounds_executed, o.rounds_executed);
    EXPECT_EQ(st->confidence[i], o.confidence);
    EXPECT_EQ(agreed_answer(*st), o.answer);
  }
}

TEST(cli_record, record_flags_without_record_are_an_error) {
  auto r = test::sim(
    {"ask", "q", "--agent", agent_spec_text("alpha", "x"), "--key", "42"});
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "--key, --run-id and --prompt-id go with --record "
                         "FILE"))
    << r.err;
}

TEST(cli_record, an_unwritable_trace_is_a_clear_error) {
  auto r = test::sim({"ask", "q", "--agent", agent_spec_text("alpha", "x"),
                      "--record", "/nonexistent-dir/trace.jsonl"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "cannot write the trace file "
                         "'/nonexistent-dir/trace.jsonl'"))
    << r.err;
}

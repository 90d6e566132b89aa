// Tests: MCP client, agents and mesh against the MCP SDK (suite mcp_sdk).

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "chat_server.hpp"
#include "mcp_sdk_helpers.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::answer;
using test::ask;
using test::dissent;
using test::http_agent;
using test::http_server;
using test::in_round;
using test::last;
using test::node;
using test::script;
using test::stdio_agent;
using test::stdio_client;
using test::test_params;

// -- the client against SDK servers -------------------------------------------

TEST(mcp_sdk, stdio_lifecycle_tools_and_calls) {
  auto c
    = stdio_client({node(), script("tool_server.mjs"), "--answer", answer});
  ASSERT_FALSE(c->connect());
  EXPECT_TRUE(c->connected());
  EXPECT_EQ(c->protocol_version(), "2025-06-18");
  EXPECT_EQ(c->server_info()["name"], "caf-consensus-test-agent");
  auto tools = c->list_tools();
  ASSERT_TRUE(tools) << error_text(tools.error());
  ASSERT_EQ(tools->size(), 2u);
  EXPECT_EQ((*tools)[0].name, "think");
  EXPECT_EQ((*tools)[0].input_schema["properties"].contains("prompt"), true);
  auto echo = c->call_tool("echo", {{"text", "hello"}});
  ASSERT_TRUE(echo) << error_text(echo.error());
  EXPECT_EQ(echo->text, "hello");
  auto think = c->call_tool("think", {{"prompt", "What is 6*7?"}});
  ASSERT_TRUE(think);
  EXPECT_EQ(think->text, answer);
  // Arguments the tool's schema rejects, and an unknown tool.
  auto bad = c->call_tool("echo", {{"text", 5}});
  EXPECT_TRUE(!bad || bad->is_error);
  auto unknown = c->call_tool("nope", json::object());
  ASSERT_TRUE(!unknown || unknown->is_error);
  auto why = unknown ? unknown->text : error_text(unknown.error());
  EXPECT_NE(why.find("nope"), std::string::npos) << why;
  auto* child = static_cast<stdio_transport&>(c->transport()).child();
  ASSERT_NE(child, nullptr);
  auto pid = child->pid();
  c->close();
  EXPECT_FALSE(c->connected());
  // The server is gone (closing stdin ends an SDK server).
  EXPECT_NE(::kill(pid, 0), 0);
}

TEST(mcp_sdk, bearer_token_from_the_environment) {
  auto srv = http_server::start({"--require-bearer", "tok-123"});
  ASSERT_TRUE(srv);
  ::setenv("CAF_CONSENSUS_TEST_BEARER", "tok-123", 1);
  auto good = http_agent("a", srv->url, "authorized");
  good.bearer_env = "CAF_CONSENSUS_TEST_BEARER";
  auto r = make_agent(good, 10000)->execute(ask("q"));
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, "authorized");
  ::setenv("CAF_CONSENSUS_TEST_BEARER", "wrong", 1);
  auto denied = make_agent(good, 10000)->execute(ask("q"));
  EXPECT_FALSE(denied.ok);
  EXPECT_NE(denied.error.find("HTTP 401"), std::string::npos) << denied.error;
  EXPECT_NE(denied.error.find("missing or wrong bearer token"),
            std::string::npos)
    << denied.error;
  ::unsetenv("CAF_CONSENSUS_TEST_BEARER");
}

TEST(mcp_sdk, tool_selection_and_prompt_argument) {
  // Default: the first of think/respond/discuss/agent.
  auto def = stdio_agent("a", answer);
  mcp_agent_connection conn{def, 15000};
  auto tool = conn.ensure_ready();
  ASSERT_TRUE(tool) << error_text(tool.error());
  EXPECT_EQ(*tool, "think");
  // A tool that does not take `prompt`.
  auto echo = stdio_agent("b", answer);
  echo.tool = "echo";
  auto r = make_agent(echo, 15000)->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("takes no argument 'prompt' (it takes: text)"),
            std::string::npos)
    << r.error;
  echo.prompt_argument = "text";
  auto ok = make_agent(echo, 15000)->execute(ask("echo me"));
  EXPECT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.output, "echo me");
  // A tool the server does not have.
  auto missing = stdio_agent("c", answer);
  missing.tool = "ponder";
  auto m = make_agent(missing, 15000)->execute(ask("q"));
  EXPECT_FALSE(m.ok);
  EXPECT_NE(m.error.find("has no tool 'ponder' (it lists: think, echo)"),
            std::string::npos)
    << m.error;
}

// -- consensus among SDK agents -----------------------------------------------

TEST(mcp_sdk, three_stdio_agents_reach_consensus) {
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("gamma", dissent)));
  std::mutex mtx;
  std::vector<round_event> rounds;
  size_t answers = 0;
  run_options opts;
  opts.on_answer = [&](const result&) {
    std::lock_guard<std::mutex> guard{mtx};
    ++answers;
  };
  opts.on_round = [&](const round_event& ev) {
    std::lock_guard<std::mutex> guard{mtx};
    rounds.push_back(ev);
  };
  auto st = run_mcp_consensus(mesh, "What is six times seven?", test_params(),
                              opts);
  ASSERT_TRUE(st) << error_text(st.error());
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(agreed_answer(*st), answer);
  EXPECT_NE(st->winner, "");
  EXPECT_EQ(st->failures, 0u);
  // gamma saw its peers through MCP and came round.
  ASSERT_NE(last(*st, "gamma"), nullptr);
  EXPECT_EQ(last(*st, "gamma")->text, answer);
  EXPECT_EQ(in_round(*st, "gamma", 0)->text, dissent);
  // The observers saw every answer and every round with confidences.
  EXPECT_EQ(answers, st->calls);
  ASSERT_EQ(rounds.size(), static_cast<size_t>(st->rounds_executed + 1));
  EXPECT_EQ(rounds.back().confidence, st->confidence);
  EXPECT_EQ(rounds.front().results.size(), 3u);
  // The observed round-0 results are the ones the state keeps, latencies
  // included, and each call answered within the timeout.
  for (auto& r : rounds.front().results) {
    auto* kept = in_round(*st, r.id, 0);
    ASSERT_NE(kept, nullptr) << r.id;
    EXPECT_TRUE(r.ok) << r.id << ": " << r.error;
    EXPECT_EQ(r.ms, kept->ms) << r.id;
    EXPECT_EQ(kept->text, static_cast<const std::string&>(r.output)) << r.id;
    EXPECT_LE(r.ms, test_params().timeout_ms) << r.id;
  }
}

TEST(mcp_sdk, three_http_agents_reach_consensus) {
  auto srv = http_server::start();
  ASSERT_TRUE(srv);
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(http_agent("alpha", srv->url, answer)));
  ASSERT_FALSE(mesh.add(http_agent("beta", srv->url, dissent)));
  ASSERT_FALSE(mesh.add(http_agent("gamma", srv->url, answer)));
  auto st = run_mcp_consensus(mesh, "What is six times seven?", test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(agreed_answer(*st), answer);
  EXPECT_EQ(last(*st, "beta")->text, answer);
  EXPECT_EQ(st->failures, 0u);
}

TEST(mcp_sdk, a_mixed_mesh_of_stdio_http_and_a_model) {
  auto srv = http_server::start({"--json-response"});
  ASSERT_TRUE(srv);
  test::chat_server chat;
  chat.fallback({200, test::completion(answer), {}, {}});
  openai_agent model;
  model.id = "model";
  model.base_url = chat.base();
  model.model = "m";
  std::vector<agent_ptr> agents;
  agents.push_back(make_agent(stdio_agent("stdio", dissent), 20000));
  agents.push_back(make_agent(http_agent("http", srv->url, answer), 20000));
  agents.push_back(make_agent(model, 20000));
  auto st = run_agents("q", std::move(agents), test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  EXPECT_EQ(agreed_answer(*st), answer);
  EXPECT_EQ(st->failures, 0u);
  EXPECT_EQ(last(*st, "stdio")->text, answer);
}

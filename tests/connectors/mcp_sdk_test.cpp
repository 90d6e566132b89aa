// The MCP client, agents and mesh against servers built on the official MCP
// TypeScript SDK, over stdio and Streamable HTTP (SSE and JSON replies):
// lifecycle, tool selection, consensus among three agents, mixed meshes, and
// faults (a server killed mid-round, a tool that errors, a tool that stalls
// past the timeout, garbage on stdout, oversized replies), plus protocol
// corner cases from a hand-written server.

#include <cstdlib>
#include <mutex>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "chat_server.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::http_server;
using test::node;
using test::script;
using test::stdio_agent;

namespace {

/// Returns an MCP agent that runs `argv` over stdio.
mcp_agent command_agent(const std::string& id, std::vector<std::string> argv) {
  mcp_agent a;
  a.id = id;
  a.command = std::move(argv);
  return a;
}

const std::string answer = "The answer is 42";
const std::string dissent = "It is 41";

params test_params(int64_t timeout_ms = 20000) {
  params ps;
  ps.rounds = 2;
  ps.k = 2;
  ps.timeout_ms = timeout_ms;
  return ps;
}

request ask(const std::string& prompt) {
  request req;
  req.prompt = prompt;
  return req;
}

mcp_agent http_agent(const std::string& id, const std::string& url,
                     const std::string& x_answer) {
  mcp_agent a;
  a.id = id;
  a.endpoint = url;
  a.headers["X-Answer"] = x_answer;
  return a;
}

/// The latest response of `id`.
const response* last(const state& st, const std::string& id) {
  auto i = st.index_of(id);
  return i < st.participants.size() ? st.latest(i) : nullptr;
}

/// The response of `id` in `round` (null if none).
const response* in_round(const state& st, const std::string& id,
                         int32_t round) {
  auto i = st.index_of(id);
  if (i >= st.participants.size())
    return nullptr;
  for (auto& r : st.responses[i])
    if (r.round == round)
      return &r;
  return nullptr;
}

std::unique_ptr<mcp_client>
stdio_client(std::vector<std::string> argv,
             std::chrono::milliseconds timeout = 15s) {
  mcp_client_options opts;
  opts.timeout = timeout;
  return std::make_unique<mcp_client>(
    std::make_unique<stdio_transport>(std::move(argv)), opts);
}

} // namespace

// -- the client against SDK servers
// -----------------------------------------------

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

class mcp_sdk_http : public ::testing::TestWithParam<bool> {};

TEST_P(mcp_sdk_http, lifecycle_session_and_calls) {
  std::vector<std::string> extra;
  if (GetParam())
    extra.push_back("--json-response");
  auto srv = http_server::start(extra);
  ASSERT_TRUE(srv);
  auto t = std::make_unique<http_transport>(
    srv->url, http_headers{{"X-Answer", "over HTTP"}});
  auto* raw = t.get();
  mcp_client c{std::move(t)};
  ASSERT_FALSE(c.connect());
  EXPECT_EQ(c.protocol_version(), "2025-06-18");
  EXPECT_FALSE(raw->session_id().empty());
  auto think = c.call_tool("think", {{"prompt", "q"}});
  ASSERT_TRUE(think) << error_text(think.error());
  EXPECT_EQ(think->text, "over HTTP");
  auto tools = c.list_tools();
  ASSERT_TRUE(tools);
  EXPECT_EQ(tools->size(), 2u);
  c.close();
  EXPECT_TRUE(raw->session_id().empty());
}

INSTANTIATE_TEST_SUITE_P(replies, mcp_sdk_http, ::testing::Values(false, true),
                         [](const auto& info) {
                           return info.param ? "json" : "sse";
                         });

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

// -- consensus among SDK agents
// ------------------------------------------------------

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
  for (auto& r : rounds.front().results)
    EXPECT_GE(r.ms, 0);
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

// -- faults
// ------------------------------------------------------------------------

TEST(mcp_sdk_faults, stdio_server_killed_mid_round) {
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(
    mesh.add(stdio_agent("gamma", answer, {"--fault", "crash-on-call=2"})));
  auto st = run_mcp_consensus(mesh, "q", test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  auto* r1 = in_round(*st, "gamma", 1);
  ASSERT_NE(r1, nullptr);
  EXPECT_FALSE(r1->ok);
  EXPECT_NE(r1->error.find("killed by signal 9"), std::string::npos)
    << r1->error;
  EXPECT_EQ(agreed_answer(*st), answer);
  // The next round reconnects to a fresh server process.
  if (auto* r2 = in_round(*st, "gamma", 2)) {
    EXPECT_TRUE(r2->ok) << r2->error;
  }
}

TEST(mcp_sdk_faults, http_server_killed_mid_round) {
  auto srv = http_server::start({"--fault", "crash-on-call=2"});
  ASSERT_TRUE(srv);
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(mesh.add(http_agent("gamma", srv->url, answer)));
  auto st = run_mcp_consensus(mesh, "q", test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  auto* r1 = in_round(*st, "gamma", 1);
  ASSERT_NE(r1, nullptr);
  EXPECT_FALSE(r1->ok);
  EXPECT_NE(r1->error.find("POST " + srv->url), std::string::npos) << r1->error;
  EXPECT_EQ(agreed_answer(*st), answer);
}

TEST(mcp_sdk_faults, a_tool_that_errors) {
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("gamma", answer, {"--fault", "error"})));
  auto st = run_mcp_consensus(mesh, "q", test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  auto* r0 = in_round(*st, "gamma", 0);
  ASSERT_NE(r0, nullptr);
  EXPECT_FALSE(r0->ok);
  EXPECT_NE(r0->error.find("tool 'think' reported an error"), std::string::npos)
    << r0->error;
  EXPECT_NE(r0->error.find("deliberate failure in the test tool"),
            std::string::npos)
    << r0->error;
  EXPECT_NE(st->winner, "gamma");
  EXPECT_EQ(agreed_answer(*st), answer);
}

TEST(mcp_sdk_faults, a_tool_that_stalls_past_the_timeout) {
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("gamma", answer, {"--fault", "stall"})));
  // Long enough for the healthy agents to start node under load.
  auto ps = test_params(3500);
  ps.rounds = 1;
  auto t0 = clock_type::now();
  auto st = run_mcp_consensus(mesh, "q", ps);
  auto wall = clock_type::now() - t0;
  ASSERT_TRUE(st) << error_text(st.error());
  auto* r0 = in_round(*st, "gamma", 0);
  ASSERT_NE(r0, nullptr);
  EXPECT_FALSE(r0->ok);
  EXPECT_GE(st->timeouts, 1u);
  EXPECT_EQ(agreed_answer(*st), answer);
  // Two rounds of at most one timeout each, plus start-up and shutdown.
  EXPECT_LT(wall, 15s);
  // The agent's own deadline reports what it waited for.
  auto direct = make_agent(stdio_agent("g", answer, {"--fault", "stall"}),
                           1500);
  auto started = clock_type::now();
  auto r = direct->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.timed_out);
  EXPECT_NE(r.error.find("no reply to 'tools/call'"), std::string::npos)
    << r.error;
  EXPECT_LT(clock_type::now() - started, 10s);
}

TEST(mcp_sdk_faults, garbage_on_stdout) {
  auto a = make_agent(stdio_agent("g", answer, {"--fault", "garbage"}), 15000);
  auto r = a->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("malformed JSON: 'this is not JSON'"),
            std::string::npos)
    << r.error;
  // In a run the agent fails but the others agree.
  MCPMesh mesh;
  ASSERT_FALSE(mesh.add(stdio_agent("alpha", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("beta", answer)));
  ASSERT_FALSE(mesh.add(stdio_agent("gamma", answer, {"--fault", "garbage"})));
  auto st = run_mcp_consensus(mesh, "q", test_params());
  ASSERT_TRUE(st) << error_text(st.error());
  EXPECT_FALSE(in_round(*st, "gamma", 0)->ok);
  EXPECT_EQ(agreed_answer(*st), answer);
}

TEST(mcp_sdk_faults, oversized_replies) {
  auto cfg = stdio_agent("g", answer, {"--fault", "huge=300000"});
  cfg.limits.max_message_bytes = 64 * 1024;
  auto r = make_agent(cfg, 15000)->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("larger than 65536 bytes"), std::string::npos)
    << r.error;
  auto srv = http_server::start({"--fault", "huge=300000"});
  ASSERT_TRUE(srv);
  auto hcfg = http_agent("h", srv->url, answer);
  hcfg.limits.max_message_bytes = 64 * 1024;
  auto h = make_agent(hcfg, 15000)->execute(ask("q"));
  EXPECT_FALSE(h.ok);
  EXPECT_NE(h.error.find("larger than 65536 bytes"), std::string::npos)
    << h.error;
}

TEST(mcp_sdk_faults, unreachable_and_missing_servers) {
  auto nothing
    = make_agent(command_agent("x", {"caf-consensus-no-such-server"}), 5000);
  auto r = nothing->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("cannot start 'caf-consensus-no-such-server'"),
            std::string::npos)
    << r.error;
  mcp_agent closed;
  closed.id = "y";
  closed.endpoint = "http://127.0.0.1:1/mcp";
  auto c = make_agent(closed, 5000)->execute(ask("q"));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("POST http://127.0.0.1:1/mcp"), std::string::npos)
    << c.error;
}

// -- protocol corner cases (hand-written server)
// -------------------------------------

TEST(mcp_protocol, refuses_a_protocol_version_it_does_not_speak) {
  auto c
    = stdio_client({node(), script("fake_server.mjs"), "version=1999-01-01"});
  auto err = c->connect();
  ASSERT_TRUE(err);
  EXPECT_NE(error_text(err).find("speaks protocol version '1999-01-01'"),
            std::string::npos)
    << error_text(err);
  EXPECT_FALSE(c->connected());
  auto older
    = stdio_client({node(), script("fake_server.mjs"), "version=2025-03-26"});
  ASSERT_FALSE(older->connect());
  EXPECT_EQ(older->protocol_version(), "2025-03-26");
}

TEST(mcp_protocol, answers_server_pings_and_skips_notifications) {
  auto c = stdio_client({node(), script("fake_server.mjs"), "ping-first"});
  ASSERT_FALSE(c->connect());
  auto r = c->call_tool("respond", {{"prompt", "q"}});
  ASSERT_TRUE(r) << error_text(r.error());
  EXPECT_EQ(r->text, "ping answered");
  auto n = stdio_client({node(), script("fake_server.mjs"), "notify"});
  ASSERT_FALSE(n->connect());
  auto nr = n->call_tool("respond", {{"prompt", "q"}});
  ASSERT_TRUE(nr);
  EXPECT_EQ(nr->text, "fake says hi");
  auto s = stdio_client({node(), script("fake_server.mjs"), "stale"});
  ASSERT_FALSE(s->connect());
  auto sr = s->call_tool("respond", {{"prompt", "q"}});
  ASSERT_TRUE(sr);
  EXPECT_EQ(sr->text, "fake says hi");
}

TEST(mcp_protocol, server_errors_and_invalid_messages_fail_the_call) {
  auto e = stdio_client({node(), script("fake_server.mjs"), "rpc-error"});
  ASSERT_FALSE(e->connect());
  auto er = e->call_tool("respond", {{"prompt", "q"}});
  ASSERT_FALSE(er);
  EXPECT_NE(
    error_text(er.error()).find("JSON-RPC error -32603 (internal error): boom"),
    std::string::npos)
    << error_text(er.error());
  auto b = stdio_client({node(), script("fake_server.mjs"), "bad-jsonrpc"});
  ASSERT_FALSE(b->connect());
  auto br = b->call_tool("respond", {{"prompt", "q"}});
  ASSERT_FALSE(br);
  EXPECT_NE(error_text(br.error()).find("'jsonrpc' must be \"2.0\""),
            std::string::npos)
    << error_text(br.error());
  auto none = command_agent("n",
                            {node(), script("fake_server.mjs"), "no-tools"});
  auto nr = make_agent(none, 15000)->execute(ask("q"));
  EXPECT_FALSE(nr.ok);
  EXPECT_NE(nr.error.find("lists none of the tools think, respond, discuss, "
                          "agent (it lists: none)"),
            std::string::npos)
    << nr.error;
  auto dies
    = command_agent("d", {node(), script("fake_server.mjs"), "exit-on-call"});
  auto dr = make_agent(dies, 15000)->execute(ask("q"));
  EXPECT_FALSE(dr.ok);
  EXPECT_NE(dr.error.find("exited with status 3"), std::string::npos)
    << dr.error;
  EXPECT_NE(dr.error.find("fake server: giving up"), std::string::npos)
    << dr.error;
}

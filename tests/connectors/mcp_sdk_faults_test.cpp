// Tests: MCP servers that crash, fail or misbehave (suite mcp_sdk_faults).

#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "mcp_sdk_helpers.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::answer;
using test::ask;
using test::command_agent;
using test::http_agent;
using test::http_server;
using test::in_round;
using test::stdio_agent;
using test::test_params;

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
  // Two rounds of at most one timeout each (7 s), plus start-up and shutdown
  // (node under load and sanitizers); the stalled tool never returns.
  EXPECT_LT(wall, 45s);
  // The agent's own deadline reports what it waited for.
  auto direct = make_agent(stdio_agent("g", answer, {"--fault", "stall"}),
                           1500);
  auto started = clock_type::now();
  auto r = direct->execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.timed_out);
  EXPECT_NE(r.error.find("no reply to 'tools/call'"), std::string::npos)
    << r.error;
  EXPECT_LT(clock_type::now() - started, 30s); // the tool never returns
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

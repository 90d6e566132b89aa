// Tests: MCP corner cases from a hand-written server (suite mcp_protocol).

#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "mcp_sdk_helpers.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::ask;
using test::command_agent;
using test::node;
using test::script;
using test::stdio_client;

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

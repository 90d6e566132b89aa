// Tests: the MCP client over Streamable HTTP (suite mcp_sdk_http).

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::http_server;

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

// Tests: the MCP server dispatcher negotiates, lists, calls and rejects
// (suite mcp_server).

#include <cctype>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_server.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

TEST(mcp_server, negotiates_lists_calls_and_rejects) {
  mcp_server srv{"test", "1"};
  srv.add_tool(
    {"upper", "upper-cases", json{{"type", "object"}}, [](const json& args) {
       auto s = args.value("text", std::string{});
       if (s == "throw")
         throw std::runtime_error("asked to throw");
       for (auto& c : s)
         c = static_cast<char>(std::toupper(c));
       return text_result(s);
     }});
  auto init = srv.handle(json_rpc::make_request(
    1, "initialize",
    {{"protocolVersion", "2025-03-26"}, {"capabilities", json::object()}}));
  ASSERT_TRUE(init);
  EXPECT_EQ((*init)["result"]["protocolVersion"], "2025-03-26");
  auto newer = srv.handle(json_rpc::make_request(
    2, "initialize", {{"protocolVersion", "2099-01-01"}}));
  EXPECT_EQ((*newer)["result"]["protocolVersion"], "2025-06-18");
  EXPECT_FALSE(
    srv.handle(json_rpc::make_notification("notifications/initialized")));
  auto list = srv.handle(json_rpc::make_request(3, "tools/list"));
  EXPECT_EQ((*list)["result"]["tools"][0]["name"], "upper");
  auto call = srv.handle(json_rpc::make_request(
    4, "tools/call", {{"name", "upper"}, {"arguments", {{"text", "hi"}}}}));
  EXPECT_EQ((*call)["result"]["content"][0]["text"], "HI");
  auto thrown = srv.handle(json_rpc::make_request(
    5, "tools/call", {{"name", "upper"}, {"arguments", {{"text", "throw"}}}}));
  EXPECT_EQ((*thrown)["result"]["isError"], true);
  EXPECT_EQ((*thrown)["result"]["content"][0]["text"], "asked to throw");
  auto unknown
    = srv.handle(json_rpc::make_request(6, "tools/call", {{"name", "nope"}}));
  EXPECT_EQ((*unknown)["error"]["code"], json_rpc::invalid_params);
  auto method = srv.handle(json_rpc::make_request(7, "resources/list"));
  EXPECT_EQ((*method)["error"]["code"], json_rpc::method_not_found);
  auto garbage = srv.handle_text("{not json");
  EXPECT_EQ((*garbage)["error"]["code"], json_rpc::parse_error);
  EXPECT_TRUE((*garbage)["id"].is_null());
  auto invalid = srv.handle(json{{"jsonrpc", "2.0"}, {"id", 9}});
  EXPECT_EQ((*invalid)["error"]["code"], json_rpc::invalid_request);
  EXPECT_EQ((*invalid)["id"], 9);
}

TEST(mcp_server, requests_before_initialize_get_an_error) {
  mcp_server srv{"test", "1"};
  srv.add_tool({"echo", "echoes", json{{"type", "object"}},
                [](const json&) { return text_result("called"); }});
  auto early = srv.handle(json_rpc::make_request(
    1, "tools/call", {{"name", "echo"}, {"arguments", json::object()}}));
  ASSERT_TRUE(early);
  EXPECT_EQ((*early)["error"]["code"], json_rpc::server_not_initialized);
  EXPECT_EQ((*early)["error"]["message"],
            "'tools/call' before initialize: send initialize first");
  auto list = srv.handle(json_rpc::make_request(2, "tools/list"));
  EXPECT_EQ((*list)["error"]["code"], json_rpc::server_not_initialized);
  auto ping = srv.handle(json_rpc::make_request(3, "ping"));
  EXPECT_TRUE((*ping)["result"].is_object());
  ASSERT_TRUE(srv.handle(json_rpc::make_request(
    4, "initialize", {{"protocolVersion", "2025-06-18"}})));
  auto call = srv.handle(json_rpc::make_request(
    5, "tools/call", {{"name", "echo"}, {"arguments", json::object()}}));
  EXPECT_EQ((*call)["result"]["content"][0]["text"], "called");
}

// Tests: MCP tool results: text items joined, malformed ones rejected (suite
// tool_result).

#include <gtest/gtest.h>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

TEST(tool_result, joins_text_items_and_rejects_malformed_ones) {
  auto r = parse_tool_result(
    json{{"content", json::array({{{"type", "text"}, {"text", "a"}},
                                  {{"type", "image"}, {"data", "..."}},
                                  {{"type", "text"}, {"text", "b"}}})}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->text, "a\nb");
  EXPECT_FALSE(r->is_error);
  auto structured = parse_tool_result(json{{"structuredContent", {{"x", 1}}}});
  ASSERT_TRUE(structured);
  EXPECT_EQ(structured->text, R"({"x":1})");
  EXPECT_FALSE(parse_tool_result(json{{"content", "text"}}));
  EXPECT_FALSE(
    parse_tool_result(json{{"content", json::array({{{"type", "text"}}})}}));
  EXPECT_FALSE(
    parse_tool_result(json{{"isError", "yes"}, {"content", json::array()}}));
  EXPECT_FALSE(parse_tool_result(json::array()));
}

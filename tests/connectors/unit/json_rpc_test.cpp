// Tests: JSON-RPC messages: kinds, malformed input, nesting, snippets (suite
// json_rpc).

#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/json_rpc.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

TEST(json_rpc, classifies_the_four_kinds) {
  auto req = json_rpc::parse(R"({"jsonrpc":"2.0","id":7,"method":"ping"})");
  ASSERT_TRUE(req) << text_of(req.error());
  EXPECT_EQ(req->type, json_rpc::kind::request);
  EXPECT_EQ(req->id, 7);
  auto note = json_rpc::parse(
    R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  ASSERT_TRUE(note);
  EXPECT_TRUE(note->is_notification());
  auto res = json_rpc::parse(R"({"jsonrpc":"2.0","id":"a","result":{}})");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->type, json_rpc::kind::response);
  auto err = json_rpc::parse(
    R"({"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"nope"}})");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->type, json_rpc::kind::error_response);
  EXPECT_EQ(err->describe_error(),
            "JSON-RPC error -32601 (method not found): nope");
}

TEST(json_rpc, rejects_malformed_messages_naming_the_problem) {
  struct bad_case {
    const char* text;
    const char* why;
  };
  bad_case cases[] = {
    {"not json at all", "malformed JSON: 'not json at all'"},
    {"[1,2]", "batches"},
    {R"({"id":1,"method":"x"})", "'jsonrpc' is missing"},
    {R"({"jsonrpc":"1.0","id":1,"method":"x"})", "must be \"2.0\""},
    {R"({"jsonrpc":"2.0","id":1,"method":5})", "'method' must be a string"},
    {R"({"jsonrpc":"2.0","id":{},"method":"x"})", "request id"},
    {R"({"jsonrpc":"2.0","id":1})", "exactly one of 'result' and 'error'"},
    {R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})", "exactly one"},
    {R"({"jsonrpc":"2.0","id":1,"error":{"message":"m"}})", "error.code"},
    {R"({"jsonrpc":"2.0","id":1,"method":"x","params":3})", "'params'"},
    {R"({"jsonrpc":"2.0"})", "neither 'method' nor 'id'"},
  };
  for (auto& c : cases) {
    auto m = json_rpc::parse(c.text);
    ASSERT_FALSE(m) << c.text;
    EXPECT_NE(text_of(m.error()).find(c.why), std::string::npos)
      << c.text << " -> " << text_of(m.error());
  }
}

TEST(json_rpc, refuses_deep_nesting) {
  std::string deep(100000, '[');
  auto x = json_rpc::parse_json(deep);
  ASSERT_FALSE(x);
  EXPECT_NE(text_of(x.error()).find("nested deeper than 128"),
            std::string::npos);
  // Brackets inside strings do not count.
  auto ok = json_rpc::parse_json(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 4);
  EXPECT_TRUE(ok);
}

TEST(json_rpc, snippets_escape_and_cut) {
  EXPECT_EQ(json_rpc::snippet("a\nb\x01", 80), "'a\\nb\\x01'");
  auto s = json_rpc::snippet(std::string(100, 'x'), 10);
  EXPECT_EQ(s, "'xxxxxxxxxx'... (100 bytes)");
  // Never cuts a UTF-8 sequence in two.
  EXPECT_EQ(json_rpc::snippet("\xc3\xa9\xc3\xa9", 3),
            "'\xc3\xa9'... (4 bytes)");
}

// Tests: agent specs: the three forms, errors, JSON objects and reports
// without secrets (suite agent_spec).

#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/openai_agent.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

TEST(agent_spec, parses_the_three_forms) {
  auto a = parse_agent_spec("a=mcp+stdio:node server.mjs --x 'y z'");
  ASSERT_TRUE(a) << text_of(a.error());
  auto& m = std::get<mcp_agent>(*a);
  EXPECT_EQ(m.id, "a");
  EXPECT_EQ(m.command.size(), 4u);
  EXPECT_EQ(m.command[3], "y z");
  auto b = parse_agent_spec("b=mcp+http:http://127.0.0.1:9/mcp");
  ASSERT_TRUE(b);
  EXPECT_EQ(std::get<mcp_agent>(*b).endpoint, "http://127.0.0.1:9/mcp");
  auto c = parse_agent_spec("c=openai:https://api.example.test/v1#gpt-x");
  ASSERT_TRUE(c);
  auto& o = std::get<openai_agent>(*c);
  EXPECT_EQ(o.base_url, "https://api.example.test/v1");
  EXPECT_EQ(o.model, "gpt-x");
  EXPECT_EQ(describe(*c), "openai: https://api.example.test/v1#gpt-x");
}

TEST(agent_spec, errors_quote_the_spec_and_name_the_problem) {
  struct bad_case {
    const char* text;
    const char* why;
  };
  bad_case cases[] = {
    {"no-equals", "no '=' after the id"},
    {"=mcp+http:http://x", "id before '=' is empty"},
    {"a=smtp:x", "unknown kind 'smtp'"},
    {"a=mcp+http:ftp://x", "not an http:// or https:// URL"},
    {"a=mcp+stdio:", "empty command line"},
    {"a=mcp+stdio:x; rm -rf /", "shell operator"},
    {"a=openai:http://x/v1", "no '#MODEL'"},
    {"a=openai:http://x/v1#", "model after '#' is empty"},
  };
  for (auto& c : cases) {
    auto x = parse_agent_spec(c.text);
    ASSERT_FALSE(x) << c.text;
    auto msg = text_of(x.error());
    EXPECT_NE(msg.find(c.why), std::string::npos) << c.text << " -> " << msg;
    EXPECT_NE(msg.find("expected ID=mcp+stdio:COMMAND"), std::string::npos)
      << msg;
  }
}

TEST(agent_spec, reads_json_objects_strictly) {
  auto ok
    = agent_spec_from_json(json{{"id", "a"},
                                {"command", json::array({"node", "s.mjs"})},
                                {"tool", "respond"},
                                {"arguments", {{"style", "short"}}},
                                {"timeout_ms", 500}},
                           "f: agent #1");
  ASSERT_TRUE(ok) << text_of(ok.error());
  auto& m = std::get<mcp_agent>(*ok);
  EXPECT_EQ(m.tool, "respond");
  EXPECT_EQ(m.timeout_ms, 500);
  EXPECT_EQ(m.arguments["style"], "short");
  auto oa = agent_spec_from_json(json{{"id", "o"},
                                      {"openai", "http://h/v1"},
                                      {"model", "m"},
                                      {"temperature", 0.5},
                                      {"max_tokens", 64}},
                                 "f: agent #2");
  ASSERT_TRUE(oa) << text_of(oa.error());
  EXPECT_EQ(*std::get<openai_agent>(*oa).temperature, 0.5);
  struct bad_case {
    json x;
    const char* why;
  };
  bad_case cases[] = {
    {json{{"id", "a"}, {"command", "x"}, {"colour", "red"}},
     "unknown key 'colour'"},
    {json{{"id", "a"}}, "exactly one of"},
    {json{{"id", "a"}, {"command", "x"}, {"endpoint", "http://h"}},
     "exactly one of"},
    {json{{"id", "a"}, {"command", "x"}, {"timeout_ms", "soon"}},
     "'timeout_ms' must be an integer"},
    {json{{"id", "a"}, {"command", "x"}, {"timeout_ms", -1}},
     "'timeout_ms' must be in"},
    {json{{"command", "x"}}, "'id' is missing"},
    {json{{"id", "a"}, {"openai", "http://h/v1"}}, "no model given"},
    {json{{"id", "a"},
          {"openai", "http://h/v1"},
          {"model", "m"},
          {"temperature", 9}},
     "temperature"},
    {json{{"id", "a"}, {"endpoint", "mailto:x"}}, "http:// or https://"},
    {json(42), "must be a mapping"},
  };
  for (auto& c : cases) {
    auto x = agent_spec_from_json(c.x, "f: agent #3");
    ASSERT_FALSE(x) << c.x.dump();
    auto msg = text_of(x.error());
    EXPECT_NE(msg.find(c.why), std::string::npos)
      << c.x.dump() << " -> " << msg;
  }
}

TEST(agent_spec, reports_leave_secrets_out) {
  mcp_agent m;
  m.id = "a";
  m.endpoint = "http://h/mcp";
  m.headers["Authorization"] = "Bearer s3cret";
  auto j = to_json(agent_spec{m});
  EXPECT_EQ(j.dump().find("s3cret"), std::string::npos) << j.dump();
  EXPECT_NE(j.dump().find("Authorization"), std::string::npos);
}

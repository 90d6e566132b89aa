// Tests: chat completions: the answer or the problem, and the request body
// (suite chat_completion).

#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/openai_agent.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

TEST(chat_completion, extracts_the_answer_or_names_the_problem) {
  auto ok = parse_chat_completion(
    R"({"choices":[{"message":{"role":"assistant","content":"42"}}]})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, "42");
  auto parts = parse_chat_completion(
    R"({"choices":[{"message":{"content":[{"type":"text","text":"4"},{"type":"text","text":"2"}]}}]})");
  ASSERT_TRUE(parts);
  EXPECT_EQ(*parts, "42");
  struct bad_case {
    const char* body;
    const char* why;
  };
  bad_case cases[] = {
    {"<html>", "malformed JSON"},
    {"[]", "not a JSON object"},
    {"{}", "no 'choices' array"},
    {R"({"choices":[]})", "'choices' is empty"},
    {R"({"choices":[{}]})", "no 'message'"},
    {R"({"choices":[{"message":{}}]})", "has no content"},
    {R"({"choices":[{"message":{"content":null,"refusal":"no"}}]})",
     "the model refused: no"},
    {R"({"error":{"message":"quota"}})", "quota"},
  };
  for (auto& c : cases) {
    auto x = parse_chat_completion(c.body);
    ASSERT_FALSE(x) << c.body;
    EXPECT_NE(text_of(x.error()).find(c.why), std::string::npos)
      << c.body << " -> " << text_of(x.error());
  }
}

TEST(chat_completion, request_body_carries_model_messages_and_sampling) {
  openai_agent cfg;
  cfg.model = "m1";
  cfg.system = "be brief";
  cfg.temperature = 0.25;
  cfg.max_tokens = 99;
  auto body = chat_request_body(cfg, "q?");
  EXPECT_EQ(body["model"], "m1");
  EXPECT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], "q?");
  EXPECT_EQ(body["temperature"], 0.25);
  EXPECT_EQ(body["max_tokens"], 99);
  cfg.temperature.reset();
  cfg.max_tokens = 0;
  auto bare = chat_request_body(cfg, "q?");
  EXPECT_FALSE(bare.contains("temperature"));
  EXPECT_FALSE(bare.contains("max_tokens"));
}

TEST(chat_completion, token_usage_when_the_api_reports_it) {
  EXPECT_EQ(
    chat_completion_tokens(
      R"({"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}})"),
    12u);
  EXPECT_EQ(chat_completion_tokens(R"({"choices":[]})"), 0u);
  EXPECT_EQ(chat_completion_tokens(R"({"usage":{"total_tokens":-4}})"), 0u);
  EXPECT_EQ(chat_completion_tokens(R"({"usage":{"total_tokens":"12"}})"), 0u);
  EXPECT_EQ(chat_completion_tokens(R"({"usage":[1]})"), 0u);
  EXPECT_EQ(chat_completion_tokens("<html>"), 0u);
}

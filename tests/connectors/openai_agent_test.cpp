// The OpenAI-compatible chat agent against a local server that speaks the
// API: answers, HTTP errors, 429 with Retry-After, 5xx with backoff,
// malformed bodies, stalls, refused connections, keys from the environment,
// and a consensus among three such agents.

#include <cstdlib>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "chat_server.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::chat_reply;
using test::chat_server;
using test::completion;

namespace {

openai_agent config(const chat_server& srv, const std::string& id = "m") {
  openai_agent cfg;
  cfg.id = id;
  cfg.base_url = srv.base();
  cfg.model = "test-model";
  cfg.backoff_ms = 20;
  cfg.max_backoff_ms = 100;
  return cfg;
}

request ask(const std::string& prompt, int32_t round = 0) {
  request req;
  req.prompt = prompt;
  req.round = round;
  return req;
}

} // namespace

TEST(openai_agent, answers_with_model_messages_key_and_latency) {
  chat_server srv;
  srv.push({200, completion("Forty-two."), {}, 30ms});
  ::setenv("CAF_CONSENSUS_TEST_KEY", "sk-test-123", 1);
  auto cfg = config(srv);
  cfg.api_key_env = "CAF_CONSENSUS_TEST_KEY";
  cfg.system = "Answer briefly.";
  cfg.temperature = 0.2;
  cfg.max_tokens = 50;
  openai_agent_connection agent{cfg, 5000};
  auto r = agent.execute(ask("What is 6*7?", 2));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, "Forty-two.");
  EXPECT_EQ(r.id, "m");
  EXPECT_EQ(r.round, 2);
  EXPECT_GE(r.ms, 30);
  EXPECT_LT(r.ms, 5000);
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].authorization, "Bearer sk-test-123");
  EXPECT_EQ(reqs[0].body["model"], "test-model");
  EXPECT_EQ(reqs[0].body["messages"][0]["content"], "Answer briefly.");
  EXPECT_EQ(reqs[0].body["messages"][1]["role"], "user");
  EXPECT_EQ(reqs[0].body["messages"][1]["content"], "What is 6*7?");
  EXPECT_EQ(reqs[0].body["temperature"], 0.2);
  EXPECT_EQ(reqs[0].body["max_tokens"], 50);
  ::unsetenv("CAF_CONSENSUS_TEST_KEY");
}

TEST(openai_agent, a_named_key_variable_that_is_unset_fails_without_calling) {
  chat_server srv;
  auto cfg = config(srv);
  cfg.api_key_env = "CAF_CONSENSUS_SURELY_UNSET_KEY";
  openai_agent_connection agent{cfg, 5000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("CAF_CONSENSUS_SURELY_UNSET_KEY"), std::string::npos)
    << r.error;
  EXPECT_TRUE(srv.requests().empty());
}

TEST(openai_agent, honours_retry_after_on_429) {
  chat_server srv;
  srv.push({429,
            R"({"error":{"message":"Rate limit reached","type":"rate_limit"}})",
            {{"Retry-After", "1"}},
            {}});
  srv.push({200, completion("after the wait"), {}, {}});
  openai_agent_connection agent{config(srv), 10000};
  auto r = agent.execute(ask("q"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, "after the wait");
  EXPECT_EQ(agent.last_attempts(), 2);
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 2u);
  // Retry-After: 1 (second) beats the 20 ms backoff.
  EXPECT_GE(reqs[1].at - reqs[0].at, 950ms);
  EXPECT_GE(r.ms, 950);
}

TEST(openai_agent, backs_off_on_5xx_and_gives_up_after_the_retries) {
  chat_server srv;
  srv.fallback({503, R"({"error":{"message":"overloaded"}})", {}, {}});
  auto cfg = config(srv);
  cfg.max_retries = 2;
  openai_agent_connection agent{cfg, 10000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(agent.last_attempts(), 3);
  EXPECT_NE(r.error.find("HTTP 503"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("overloaded"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("3 attempts"), std::string::npos) << r.error;
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 3u);
  // Exponential backoff: 20 ms, then 40 ms.
  EXPECT_GE(reqs[1].at - reqs[0].at, 20ms);
  EXPECT_GE(reqs[2].at - reqs[1].at, 40ms);
}

TEST(openai_agent, recovers_from_a_500_and_a_malformed_body) {
  chat_server srv;
  srv.push({500, "internal error", {}, {}});
  srv.push({200, "{\"choices\": oops", {}, {}});
  srv.push({200, completion("third time lucky"), {}, {}});
  openai_agent_connection agent{config(srv), 10000};
  auto r = agent.execute(ask("q"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, "third time lucky");
  EXPECT_EQ(agent.last_attempts(), 3);
}

TEST(openai_agent, malformed_bodies_fail_with_what_is_wrong) {
  chat_server srv;
  srv.fallback({200, R"({"choices":[]})", {}, {}});
  auto cfg = config(srv);
  cfg.max_retries = 1;
  openai_agent_connection agent{cfg, 10000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("'choices' is empty"), std::string::npos) << r.error;
  EXPECT_EQ(agent.last_attempts(), 2);
}

TEST(openai_agent, client_errors_are_not_retried) {
  chat_server srv;
  srv.fallback(
    {401, R"({"error":{"message":"Incorrect API key provided"}})", {}, {}});
  openai_agent_connection agent{config(srv), 10000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(agent.last_attempts(), 1);
  EXPECT_NE(r.error.find("HTTP 401"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("Incorrect API key provided"), std::string::npos);
}

TEST(openai_agent, a_retry_after_beyond_the_budget_gives_up_at_once) {
  chat_server srv;
  srv.fallback({429,
                R"({"error":{"message":"slow down"}})",
                {{"Retry-After", "120"}},
                {}});
  // A budget of 60 s: waiting for the retry (120 s) or until the budget is
  // spent takes far longer than giving up at once, even under sanitizers.
  openai_agent_connection agent{config(srv), 60000};
  auto t0 = clock_type::now();
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_LT(clock_type::now() - t0, 20s);
  EXPECT_NE(r.error.find("giving up"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("120000 ms"), std::string::npos) << r.error;
}

TEST(openai_agent, a_negative_or_oversized_retry_after_gives_up_at_once) {
  for (std::string value : {"-5", "99999999999", "-0000000000001"}) {
    chat_server srv;
    srv.fallback({429,
                  R"({"error":{"message":"slow down"}})",
                  {{"Retry-After", value}},
                  {}});
    auto cfg = config(srv);
    cfg.max_retries = 3;
    // A budget of 60 s: any wait for a retry would take far longer than
    // giving up at once, even under sanitizers.
    openai_agent_connection agent{cfg, 60000};
    auto t0 = clock_type::now();
    auto r = agent.execute(ask("q"));
    EXPECT_FALSE(r.ok) << value;
    EXPECT_EQ(agent.last_attempts(), 1) << value;
    EXPECT_LT(clock_type::now() - t0, 20s) << value;
    EXPECT_NE(r.error.find("giving up: its Retry-After '" + value
                           + "' is negative or too large to wait for"),
              std::string::npos)
      << r.error;
  }
}

TEST(openai_agent, a_retry_after_with_leading_zeros_is_honoured) {
  chat_server srv;
  srv.fallback({429,
                R"({"error":{"message":"slow down"}})",
                {{"Retry-After", "0000000000000"}},
                {}});
  auto cfg = config(srv);
  cfg.max_retries = 2;
  openai_agent_connection agent{cfg, 2000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(agent.last_attempts(), 3) << r.error;
}

TEST(openai_agent, a_stalled_server_times_out) {
  chat_server srv;
  // The server would answer after 120 s (it stops stalling when the test
  // ends); the agent's deadline is 300 ms.
  srv.fallback({200, completion("too late"), {}, 120s});
  openai_agent_connection agent{config(srv), 300};
  auto t0 = clock_type::now();
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.timed_out) << r.error;
  EXPECT_LT(clock_type::now() - t0, 20s);
}

TEST(openai_agent, oversized_replies_are_refused) {
  chat_server srv;
  srv.fallback({200, completion(std::string(300000, 'x')), {}, {}});
  auto cfg = config(srv);
  cfg.max_response_bytes = 64 * 1024;
  cfg.max_retries = 0;
  openai_agent_connection agent{cfg, 5000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("larger than 65536 bytes"), std::string::npos)
    << r.error;
}

TEST(openai_agent, a_refused_connection_is_retried_then_reported) {
  int port = 0;
  {
    chat_server probe; // find a free port, then close it
    port = std::stoi(probe.base().substr(17));
  }
  openai_agent cfg;
  cfg.id = "m";
  cfg.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  cfg.model = "x";
  cfg.max_retries = 1;
  cfg.backoff_ms = 10;
  openai_agent_connection agent{cfg, 3000};
  auto r = agent.execute(ask("q"));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(agent.last_attempts(), 2);
  EXPECT_NE(r.error.find("POST http://127.0.0.1:"), std::string::npos)
    << r.error;
}

TEST(openai_agent, three_models_reach_consensus) {
  chat_server srv;
  srv.fallback({200, completion("Paris is the capital of France."), {}, {}});
  std::vector<agent_ptr> agents;
  for (auto id : {"gpt", "llama", "mistral"})
    agents.push_back(make_agent(config(srv, id), 5000));
  params ps;
  ps.rounds = 2;
  ps.k = 2;
  ps.timeout_ms = 5000;
  std::vector<int32_t> rounds_seen;
  run_options opts;
  opts.on_round = [&](const round_event& ev) {
    rounds_seen.push_back(ev.round);
  };
  auto st = run_agents("What is the capital of France?", std::move(agents), ps,
                       opts);
  ASSERT_TRUE(st) << error_text(st.error());
  EXPECT_TRUE(st->finalized);
  EXPECT_EQ(agreed_answer(*st), "Paris is the capital of France.");
  EXPECT_EQ(st->failures, 0u);
  ASSERT_FALSE(rounds_seen.empty());
  EXPECT_EQ(rounds_seen.front(), 0);
  // Every call reached the server with the round's prompt.
  auto reqs = srv.requests();
  EXPECT_EQ(reqs.size(), st->calls);
  EXPECT_EQ(reqs[0].body["messages"][0]["content"],
            "What is the capital of France?");
}

TEST(openai_agent, reports_the_tokens_of_the_reply) {
  chat_server srv;
  auto body = nlohmann::json::parse(completion("42"));
  body["usage"]
    = {{"prompt_tokens", 20}, {"completion_tokens", 2}, {"total_tokens", 22}};
  srv.push({200, body.dump(), {}, 0ms});
  srv.push({200, completion("42"), {}, 0ms});
  openai_agent_connection agent{config(srv), 5000};
  auto r = agent.execute(ask("What is 6*7?", 0));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.tokens, 22u);
  r = agent.execute(ask("What is 6*7?", 1));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.tokens, 0u); // not reported
}

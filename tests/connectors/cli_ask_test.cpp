// Tests: consensus-sim ask with real agents (suite cli_ask).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "chat_server.hpp"
#include "cli_helpers.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::agent_spec_text;
using test::has;
using test::node;
using test::script;
using test::sim;
using test::temp_file;

TEST(cli_ask, three_mcp_agents_with_a_live_view) {
  auto r = sim({"ask", "What is six times seven?", "--agent",
                agent_spec_text("alpha", "The answer is 42"), "--agent",
                agent_spec_text("beta", "The answer is 42"), "--agent",
                agent_spec_text("gamma", "It is 41"), "--rounds", "2", "--k",
                "2", "--timeout-ms", "20000"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "asking 3 agents: policy metastable, rounds 2, k 2"))
    << r.out;
  EXPECT_TRUE(has(r.out, "round 0 (initial answers)")) << r.out;
  EXPECT_TRUE(has(r.out, "round 1 (refinement)")) << r.out;
  EXPECT_TRUE(has(r.out, "gamma  ok")) << r.out;
  EXPECT_TRUE(has(r.out, "\"It is 41\"")) << r.out;
  EXPECT_TRUE(has(r.out, "-> 3/3 answered; confidence: alpha=")) << r.out;
  EXPECT_TRUE(has(r.out, "FINAL: winner ")) << r.out;
  EXPECT_TRUE(has(r.out, "\nThe answer is 42\n")) << r.out;
}

TEST(cli_ask, json_output_for_machines) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = sim({"ask", "What is six times seven?", "--json", "--agent",
                agent_spec_text("alpha", "The answer is 42"), "--agent",
                agent_spec_text("beta", "It is 41", "--fault error"),
                "--rounds", "1", "--timeout-ms", "20000"});
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - t0)
                   .count();
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  auto j = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["answer"], "The answer is 42");
  EXPECT_EQ(j["winner"], "alpha");
  EXPECT_EQ(j["participants"].size(), 2u);
  EXPECT_TRUE(
    has(j["participants"][1]["error"].get<std::string>(), "deliberate failure"))
    << j.dump(2);
  EXPECT_EQ(j["agents"][0]["id"], "alpha");
  // The run's wall time spans every call of the run and lies within the
  // process's lifetime as seen from here.
  auto wall = j["wall_ms"].get<int64_t>();
  int64_t slowest = -1;
  for (auto& p : j["participants"])
    for (auto& x : p["rounds"])
      if (x["ok"].get<bool>())
        slowest = std::max(slowest, x["ms"].get<int64_t>());
  EXPECT_GE(slowest, 0) << j.dump(2);
  EXPECT_GE(wall, slowest) << j.dump(2);
  EXPECT_LE(wall, elapsed) << j.dump(2);
  // The live view went to stderr.
  EXPECT_TRUE(has(r.err, "round 0 (initial answers)")) << r.err;
}

TEST(cli_ask, openai_agents_and_an_agents_file) {
  test::chat_server chat;
  chat.fallback({200, test::completion("Paris."), {}, {}});
  auto file = temp_file("agents.yaml",
                        "agents:\n"
                        "  - {id: local, command: \""
                          + node() + " " + script("tool_server.mjs")
                          + " --answer Paris.\"}\n"
                            "  - id: model\n"
                            "    openai: \""
                          + chat.base()
                          + "\"\n"
                            "    model: test-model\n"
                            "    api_key_env: CAF_TEST_KEY\n"
                            "    temperature: 0.1\n"
                            "params: {rounds: 1, k: 2, timeout_ms: 20000}\n");
  auto r = sim({"ask", "Capital of France?", "--agents", file, "--agent",
                "flag=openai:" + chat.base() + "#other-model", "--api-key-env",
                "CAF_TEST_KEY"},
               {{"CAF_TEST_KEY", "sk-cli"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "asking 3 agents: policy metastable, rounds 1, k 2"))
    << r.out;
  EXPECT_TRUE(has(r.out, "model: openai: " + chat.base() + "#test-model"))
    << r.out;
  EXPECT_TRUE(has(r.out, "\nParis.\n")) << r.out;
  auto reqs = chat.requests();
  ASSERT_FALSE(reqs.empty());
  for (auto& q : reqs)
    EXPECT_EQ(q.authorization, "Bearer sk-cli");
  bool saw_other = false;
  for (auto& q : reqs)
    saw_other = saw_other || q.body["model"] == "other-model";
  EXPECT_TRUE(saw_other);
}

TEST(cli_ask, terminal_escapes_from_agents_are_shown_not_obeyed) {
  // Window title, screen clear, a hidden hyperlink, BEL and a C1 CSI.
  std::string evil = "Paris\x1b]0;pwned\x07 \x1b[2J\x1b]8;;http://x\x1b\\link"
                     "\x1b]8;;\x1b\\ \xc2\x9b"
                     "31m";
  test::chat_server chat;
  chat.fallback({200, test::completion(evil), {}, {}});
  auto agent = "m=openai:" + chat.base() + "#test-model";
  auto r = sim({"ask", "Capital?", "--agent", agent, "--api-key-env",
                "CAF_TEST_KEY", "--rounds", "0"},
               {{"CAF_TEST_KEY", "sk-cli"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x07'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << r.out;
  EXPECT_TRUE(has(r.out, "Paris\\x1b]0;pwned\\x07 \\x1b[2J")) << r.out;
  EXPECT_TRUE(has(r.out, "\\u009b31m")) << r.out;
  // JSON output keeps the text exact (JSON escapes it).
  auto j = sim({"ask", "Capital?", "--json", "--agent", agent, "--api-key-env",
                "CAF_TEST_KEY", "--rounds", "0"},
               {{"CAF_TEST_KEY", "sk-cli"}});
  EXPECT_EQ(j.status, 0) << j.err;
  EXPECT_EQ(j.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(j.err.find('\x1b'), std::string::npos) << j.err;
  auto doc = nlohmann::json::parse(j.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << j.out;
  EXPECT_EQ(doc["answer"], evil);
}

TEST(cli_ask, no_answer_at_all_exits_with_3) {
  auto r = sim({"ask", "q", "--agent", "a=mcp+http:http://127.0.0.1:1/mcp",
                "--rounds", "1", "--timeout-ms", "5000"});
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "NO ANSWER")) << r.out;
  EXPECT_TRUE(has(r.out, "failed")) << r.out;
  EXPECT_TRUE(has(r.out, "POST http://127.0.0.1:1/mcp")) << r.out;
  EXPECT_TRUE(has(r.out, "asking 1 agent: policy")) << r.out;
  // A long message is printed whole (it used to be cut at 160 characters).
  auto openai = sim({"ask", "q", "--agent", "a=openai:http://127.0.0.1:1/v1#m",
                     "--api-key-env", "CAF_TEST_KEY", "--rounds", "0",
                     "--timeout-ms", "1500"},
                    {{"CAF_TEST_KEY", "sk-cli"}});
  EXPECT_EQ(openai.status, 3) << openai.out << openai.err;
  EXPECT_TRUE(has(openai.out, "Couldn't connect to server (2 attempts); "
                              "giving up: the next try would be "))
    << openai.out;
  EXPECT_TRUE(has(openai.out, " ms are left\n")) << openai.out;
}

TEST(cli_ask, bad_input_is_a_clear_error) {
  struct bad_case {
    std::vector<std::string> args;
    int status;
    std::string why;
  };
  auto missing = std::string{::testing::TempDir()} + "/no-such-agents.yaml";
  auto unknown_key = temp_file("bad-key.yaml",
                               "agents: [\"a=mcp+stdio:true\"]\nmood: happy\n");
  auto bad_agent = temp_file("bad-agent.yaml",
                             "agents:\n  - {id: a, command: x, colour: red}\n");
  auto bad_yaml = temp_file("bad.yaml", "agents: [unclosed\n");
  auto bad_param = temp_file("bad-param.yaml",
                             "agents: [\"a=mcp+stdio:true\"]\n"
                             "params: {rounds: many}\n");
  bad_case cases[] = {
    {{"ask", "q"}, 1, "no agents"},
    {{"ask", "--agent", "a=mcp+stdio:true"}, 2, "no prompt"},
    {{"ask", "q", "--agent", "broken"}, 1, "bad agent 'broken'"},
    {{"ask", "q", "--agent", "a=mcp+stdio:true", "--agent", "a=mcp+stdio:true"},
     1,
     "'a' appears twice"},
    {{"ask", "q", "--agent", "a=mcp+stdio:true", "--alpha", "7"}, 1, "alpha"},
    {{"ask", "q", "--agent", "a=mcp+stdio:true", "--policy", "nope"},
     1,
     "nope"},
    {{"ask", "q", "--agent", "a=mcp+stdio:true", "--rounds", "x"}, 2, "rounds"},
    {{"ask", "q", "--agents", missing}, 1, "cannot open the agents file"},
    {{"ask", "q", "--agents", unknown_key}, 1, "unknown key 'mood'"},
    {{"ask", "q", "--agents", bad_agent}, 1, "agent #1: unknown key 'colour'"},
    {{"ask", "q", "--agents", bad_yaml}, 1, "not valid YAML or JSON"},
    {{"ask", "q", "--agents", bad_param},
     1,
     "params: key 'rounds' must be an integer"},
  };
  for (auto& c : cases) {
    auto r = sim(c.args);
    std::string cmd;
    for (auto& a : c.args)
      cmd += a + " ";
    EXPECT_EQ(r.status, c.status) << cmd << "\n" << r.out << r.err;
    EXPECT_TRUE(has(r.err, c.why)) << cmd << "\nstderr: " << r.err;
  }
}

TEST(cli_ask, servers_start_before_round_0_with_their_own_timeout) {
  // Three healthy servers that take 2.5 s each to start, and a 1,500 ms
  // timeout per call: start-up comes before round 0 and is bounded by
  // --startup-timeout-ms, so every server answers in round 0.
  std::vector<std::string> args{"ask", "What is six times seven?"};
  for (auto id : {"a", "b", "c"}) {
    args.push_back("--agent");
    args.push_back(
      agent_spec_text(id, "The answer is 42", "--start-delay 2500"));
  }
  for (auto x : {"--rounds", "1", "--timeout-ms", "1500",
                 "--startup-timeout-ms", "20000"})
    args.push_back(x);
  auto r = sim(args);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "starting 3 agents (start-up timeout 20000 ms)"))
    << r.out;
  EXPECT_TRUE(has(r.out, "slow to start: longer than --timeout-ms 1500"))
    << r.out;
  EXPECT_TRUE(has(r.out, "-> 3/3 answered")) << r.out;
  EXPECT_TRUE(has(r.out, "calls 6, failures 0, timeouts 0")) << r.out;
}

TEST(cli_ask, a_wrong_tool_or_argument_names_the_fix_and_stops_early) {
  // --tool names a tool the server does not have: stopped before round 0,
  // once, naming the flag.
  auto flag = sim({"ask", "q", "--agent", agent_spec_text("a", "42"), "--tool",
                   "nope", "--rounds", "3", "--timeout-ms", "20000"});
  EXPECT_EQ(flag.status, 1) << flag.out << flag.err;
  EXPECT_TRUE(has(flag.err, "agent 'a': the mcp+stdio:")) << flag.err;
  EXPECT_TRUE(has(flag.err, "has no tool 'nope' (it lists: think, echo); "
                            "fix: give --tool NAME"))
    << flag.err;
  EXPECT_TRUE(has(flag.err, "stopped before round 0")) << flag.err;
  EXPECT_FALSE(has(flag.out, "round 0 (initial answers)")) << flag.out;
  // The tool takes no `prompt`: an agents file names its key.
  auto file = temp_file("wrong-arg.yaml", "agents:\n  - {id: e, command: \""
                                            + test::node() + " "
                                            + test::script("tool_server.mjs")
                                            + "\", tool: echo}\n");
  auto key = sim({"ask", "q", "--agents", file, "--timeout-ms", "20000"});
  EXPECT_EQ(key.status, 1) << key.out << key.err;
  EXPECT_TRUE(
    has(key.err, "takes no argument 'prompt' (it takes: text); set the "
                 "prompt argument; fix: set 'prompt_argument: NAME' in "
                   + file + ": agent #1"))
    << key.err;
  EXPECT_FALSE(has(key.out, "round 0 (initial answers)")) << key.out;
}

TEST(cli_ask, sequential_stops_on_a_certificate_or_the_budget) {
  // Two agents answer 42 and one fails: 2 votes per round, certified at 8
  // votes (E(8, 0) = 56.8 >= 2/0.05), i.e. after round 3 with 12 calls.
  auto r = sim({"ask", "What is six times seven?", "--json", "--policy",
                "sequential", "--rounds", "50", "--agent",
                agent_spec_text("alpha", "The answer is 42"), "--agent",
                agent_spec_text("beta", "The answer is 42"), "--agent",
                agent_spec_text("gamma", "It is 41", "--fault error"),
                "--timeout-ms", "20000"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  auto j = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["stop_reason"], "certificate") << j.dump(2);
  EXPECT_EQ(j["finalized"], true);
  EXPECT_EQ(j["rounds_executed"], 3);
  EXPECT_EQ(j["answer"], "The answer is 42");
  // Two agents that never agree: no certificate; a budget of 6 calls stops
  // after round 2 (one more round would make 8), unfinalized, with the
  // plurality (a tie: the answer seen first).
  r = sim({"ask", "What is six times seven?", "--json", "--policy",
           "sequential", "--rounds", "50", "--max-calls", "6", "--agent",
           agent_spec_text("alpha", "The answer is 42"), "--agent",
           agent_spec_text("beta", "It is 41"), "--timeout-ms", "20000"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  j = json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["stop_reason"], "budget") << j.dump(2);
  EXPECT_EQ(j["finalized"], false);
  EXPECT_EQ(j["rounds_executed"], 2);
  EXPECT_EQ(j["answer"], "The answer is 42");
  // A budget below one round is refused before any call.
  r = sim({"ask", "q", "--policy", "sequential", "--max-calls", "1", "--agent",
           agent_spec_text("alpha", "42"), "--agent",
           agent_spec_text("beta", "42")});
  EXPECT_NE(r.status, 0);
  EXPECT_TRUE(has(r.err, "max_calls must be 0 (no budget) or at least the "
                         "number of participants (2)"))
    << r.err;
}

// consensus-sim ask: real agents from flags and files (SDK MCP servers over
// stdio, a local OpenAI-compatible server), the live view, --json, exit
// statuses and errors for bad input.

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "chat_server.hpp"
#include "node_fixture.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::node;
using test::script;

namespace {

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs consensus-sim with `args` (at most 60 s) and collects its output.
run_result sim(std::vector<std::string> args,
               std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), CAF_CONSENSUS_SIM);
  run_result res;
  auto p = process::spawn(args, env, 1 << 20);
  if (!p) {
    res.err = error_text(p.error());
    return res;
  }
  p->close_stdin();
  auto deadline = clock_type::now() + 60s;
  for (;;) {
    auto chunk = p->read_some(deadline);
    if (!chunk) {
      ADD_FAILURE() << "consensus-sim did not finish: "
                    << error_text(chunk.error());
      break;
    }
    if (chunk->empty())
      break;
    res.out += *chunk;
  }
  p->wait_until(deadline);
  p->drain_stderr();
  res.err = p->stderr_tail();
  res.status = p->exit_code().value_or(-1);
  return res;
}

std::string agent_spec_text(const std::string& id, const std::string& answer,
                            const std::string& extra = "") {
  return id + "=mcp+stdio:" + node() + " " + script("tool_server.mjs")
         + " --answer '" + answer + "'" + (extra.empty() ? "" : " " + extra);
}

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string temp_file(const std::string& name, const std::string& content) {
  auto path = std::string{::testing::TempDir()} + "/" + name;
  std::ofstream{path} << content;
  return path;
}

} // namespace

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
  auto r = sim({"ask", "What is six times seven?", "--json", "--agent",
                agent_spec_text("alpha", "The answer is 42"), "--agent",
                agent_spec_text("beta", "It is 41", "--fault error"),
                "--rounds", "1", "--timeout-ms", "20000"});
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
  EXPECT_GE(j["wall_ms"].get<int64_t>(), 0);
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

TEST(cli_mcp_serve, rejects_bad_flags) {
  auto r = sim(
    {"mcp-serve", "--agent", "a=mcp+stdio:true", "--http", "127.0.0.1:99999"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(has(r.err, "bad port")) << r.err;
  auto none = sim({"mcp-serve"});
  EXPECT_EQ(none.status, 1);
  EXPECT_TRUE(has(none.err, "no agents")) << none.err;
}

TEST(cli_mcp_serve, answers_raw_json_rpc_over_stdio) {
  // A client that speaks first, then closes stdin: the server answers and
  // exits 0. (The SDK's own client is tested by sdk_client.mjs.)
  auto p = process::spawn({CAF_CONSENSUS_SIM, "mcp-serve", "--agent",
                           agent_spec_text("a", "The answer is 42"), "--rounds",
                           "0"});
  ASSERT_TRUE(p) << error_text(p.error());
  auto deadline = clock_type::now() + 60s;
  std::string in = json_rpc::make_request(
                     1, "initialize",
                     {{"protocolVersion", "2025-06-18"},
                      {"capabilities", json::object()},
                      {"clientInfo", {{"name", "t"}, {"version", "1"}}}})
                     .dump()
                   + "\n{oops\n" + std::string(5 * 1024 * 1024, ' ') + "x\n"
                   + json_rpc::make_request(2, "tools/call",
                                            {{"name", "consensus"},
                                             {"arguments", {{"prompt", "q"}}}})
                       .dump()
                   + "\n";
  ASSERT_FALSE(p->write_all(in, deadline));
  p->close_stdin();
  std::string out;
  for (;;) {
    auto chunk = p->read_some(deadline);
    ASSERT_TRUE(chunk) << error_text(chunk.error());
    if (chunk->empty())
      break;
    out += *chunk;
  }
  p->wait_until(deadline);
  EXPECT_EQ(p->exit_code().value_or(-1), 0);
  std::vector<json> replies;
  size_t pos = 0;
  while (pos < out.size()) {
    auto nl = out.find('\n', pos);
    replies.push_back(json::parse(out.substr(pos, nl - pos)));
    pos = nl + 1;
  }
  ASSERT_EQ(replies.size(), 4u) << out.substr(0, 2000);
  EXPECT_EQ(replies[0]["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(replies[1]["error"]["code"], json_rpc::parse_error);
  EXPECT_EQ(replies[2]["error"]["code"], json_rpc::invalid_request);
  EXPECT_TRUE(has(replies[2]["error"]["message"].get<std::string>(),
                  "larger than 4194304 bytes"));
  EXPECT_EQ(replies[3]["id"], 2);
  EXPECT_EQ(replies[3]["result"]["content"][0]["text"], "The answer is 42");
  EXPECT_EQ(replies[3]["result"]["structuredContent"]["winner"], "a");
}

TEST(cli_mcp_serve, http_rejects_bad_requests_with_clear_errors) {
  auto p = process::spawn({CAF_CONSENSUS_SIM, "mcp-serve", "--agent",
                           agent_spec_text("a", "The answer is 42"), "--rounds",
                           "0", "--http", "127.0.0.1:0"});
  ASSERT_TRUE(p) << error_text(p.error());
  // The address is on stderr.
  std::string url;
  auto deadline = clock_type::now() + 30s;
  while (url.empty() && clock_type::now() < deadline) {
    static_cast<void>(p->read_some(clock_type::now() + 50ms));
    p->drain_stderr();
    auto& err = p->stderr_tail();
    auto at = err.find("listening on ");
    if (at != std::string::npos && err.find('\n', at) != std::string::npos)
      url = err.substr(at + 13, err.find('\n', at) - at - 13);
  }
  ASSERT_FALSE(url.empty()) << p->stderr_tail();
  http_session http;
  auto post = [&](const std::string& body, http_headers hs) {
    http_request req;
    req.url = url;
    req.body = body;
    req.headers = std::move(hs);
    req.deadline = clock_type::now() + 30s;
    auto res = http.perform(req);
    EXPECT_TRUE(res) << error_text(res.error());
    return res ? *res : http_response{};
  };
  http_headers ct{{"Content-Type", "application/json"},
                  {"Accept", "application/json, text/event-stream"}};
  auto init = json_rpc::make_request(1, "initialize",
                                     {{"protocolVersion", "2025-06-18"},
                                      {"capabilities", json::object()}})
                .dump();
  auto list = json_rpc::make_request(2, "tools/list").dump();
  // Wrong content type, malformed JSON, no session, unknown session.
  auto r415 = post(init, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r415.status, 415);
  EXPECT_TRUE(has(r415.body, "Content-Type must be application/json"));
  auto r400 = post("{oops", ct);
  EXPECT_EQ(r400.status, 400);
  EXPECT_TRUE(has(r400.body, "malformed JSON")) << r400.body;
  auto nosess = post(list, ct);
  EXPECT_EQ(nosess.status, 400);
  EXPECT_TRUE(has(nosess.body, "missing Mcp-Session-Id")) << nosess.body;
  auto h = ct;
  h.emplace_back("Mcp-Session-Id", "not-a-session");
  auto unknown = post(list, h);
  EXPECT_EQ(unknown.status, 404);
  // A foreign Host (DNS rebinding: a page's own name resolved to 127.0.0.1).
  auto fh = ct;
  fh.emplace_back("Host", "evil.example:8080");
  auto rebound = post(init, fh);
  EXPECT_EQ(rebound.status, 403);
  EXPECT_TRUE(has(rebound.body, "host 'evil.example:8080' is not allowed"))
    << rebound.body;
  auto lh = ct;
  lh.emplace_back("Host", "localhost:1234");
  EXPECT_EQ(post(init, lh).status, 200);
  // A foreign Origin and an unsupported protocol version.
  auto o = ct;
  o.emplace_back("Origin", "http://evil.example");
  auto r403 = post(init, o);
  EXPECT_EQ(r403.status, 403);
  EXPECT_TRUE(has(r403.body, "origin 'http://evil.example' is not allowed"));
  // A real session: initialize, then a request with it.
  auto ok = post(init, ct);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto sid = ok.header("mcp-session-id");
  ASSERT_FALSE(sid.empty());
  auto s = ct;
  s.emplace_back("Mcp-Session-Id", sid);
  auto v = s;
  v.emplace_back("MCP-Protocol-Version", "1999-01-01");
  auto bad_version = post(list, v);
  EXPECT_EQ(bad_version.status, 400);
  EXPECT_TRUE(has(bad_version.body, "unsupported MCP-Protocol-Version"));
  auto note
    = post(json_rpc::make_notification("notifications/initialized").dump(), s);
  EXPECT_EQ(note.status, 202);
  auto tools = post(list, s);
  EXPECT_EQ(tools.status, 200);
  EXPECT_TRUE(has(tools.body, "\"consensus\"")) << tools.body;
  // GET has no stream; DELETE ends the session.
  http_request get;
  get.method = "GET";
  get.url = url;
  get.deadline = clock_type::now() + 10s;
  auto g = http.perform(get);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, 405);
  http_request del;
  del.method = "DELETE";
  del.url = url;
  del.headers = {{"Mcp-Session-Id", sid}};
  del.deadline = clock_type::now() + 10s;
  auto d = http.perform(del);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 200);
  EXPECT_EQ(post(list, s).status, 404);
  p->signal_group(SIGTERM);
  EXPECT_TRUE(p->wait_until(clock_type::now() + 10s));
  EXPECT_EQ(p->exit_code().value_or(-1), 0) << p->exit_description();
}

// Tests: consensus-sim mcp-serve over stdio and HTTP (suite cli_mcp_serve).

#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "cli_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::agent_spec_text;
using test::has;
using test::sim;

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

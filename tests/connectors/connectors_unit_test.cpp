// Unit tests of the connectors that need neither node nor a network: JSON-RPC,
// SSE, command lines, agent specs, the MCP server dispatcher, tool results,
// chat completions, Retry-After, child processes and the stdio transport.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;

namespace {

/// Returns an MCP agent that runs `argv` over stdio.
mcp_agent command_agent(const std::string& id, std::vector<std::string> argv) {
  mcp_agent a;
  a.id = id;
  a.command = std::move(argv);
  return a;
}

std::string text_of(const caf::error& err) {
  return error_text(err);
}

time_point in(std::chrono::milliseconds d) {
  return clock_type::now() + d;
}

} // namespace

// -- JSON-RPC
// -------------------------------------------------------------------------

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

// -- SSE
// ------------------------------------------------------------------------------

TEST(sse, parses_events_across_chunks_and_line_endings) {
  sse_parser p;
  std::vector<sse_event> all;
  auto feed = [&](std::string_view x) {
    for (auto& ev : p.feed(x))
      all.push_back(ev);
  };
  feed(": comment\r\nevent: message\r\nid: 1\r\nda");
  EXPECT_TRUE(all.empty());
  feed("ta: {\"a\":\r\ndata:1}\r\n\r\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].data, "{\"a\":\n1}");
  EXPECT_EQ(all[0].id, "1");
  feed("data: two\r");
  feed("\r");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].data, "two");
  EXPECT_EQ(all[1].type, "message");
  feed("event: ping\n\n"); // no data: nothing dispatched
  feed("event: custom\ndata: x\n\n");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].type, "custom");
}

// -- command lines
// --------------------------------------------------------------------

TEST(command_line, splits_like_a_shell_without_running_anything) {
  auto argv = split_command("node 'my server.mjs' --answer \"It is 42\" a\\ b");
  ASSERT_TRUE(argv) << text_of(argv.error());
  std::vector<std::string> want{"node", "my server.mjs", "--answer", "It is 42",
                                "a b"};
  EXPECT_EQ(*argv, want);
  auto sub = split_command("echo $(rm -rf /)");
  ASSERT_FALSE(sub);
  EXPECT_NE(text_of(sub.error()).find("command substitution"),
            std::string::npos);
  auto op = split_command("a | b");
  ASSERT_FALSE(op);
  EXPECT_NE(text_of(op.error()).find("shell operator"), std::string::npos);
  auto undef = split_command("x $CAF_CONSENSUS_SURELY_UNDEFINED_VAR");
  ASSERT_FALSE(undef);
  EXPECT_NE(text_of(undef.error()).find("undefined"), std::string::npos);
  auto quote = split_command("x 'unbalanced");
  ASSERT_FALSE(quote);
  EXPECT_FALSE(split_command("   "));
}

// -- agent specs
// ----------------------------------------------------------------------

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

// -- the MCP server dispatcher
// --------------------------------------------------------

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

// -- tool results and chat completions
// ------------------------------------------------

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

TEST(http_util, parses_retry_after_and_urls) {
  EXPECT_EQ(parse_retry_after("3"), 3000);
  EXPECT_EQ(parse_retry_after(" 0 "), 0);
  EXPECT_EQ(parse_retry_after(""), -1);
  EXPECT_EQ(parse_retry_after("soon"), -1);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), 0); // past
  EXPECT_TRUE(is_http_url("http://127.0.0.1:8/x"));
  EXPECT_TRUE(is_http_url("HTTPS://h"));
  EXPECT_FALSE(is_http_url("ftp://h"));
  EXPECT_FALSE(is_http_url("http://"));
  EXPECT_FALSE(is_http_url("http://h x"));
}

// -- processes and the stdio transport (with /bin/sh as the "server")
// ----------------

TEST(process, reports_a_program_that_cannot_start) {
  auto p = process::spawn({"caf-consensus-no-such-program-xyz"});
  ASSERT_FALSE(p);
  EXPECT_NE(text_of(p.error()).find("cannot start "
                                    "'caf-consensus-no-such-program-xyz'"),
            std::string::npos)
    << text_of(p.error());
}

TEST(process, reads_output_keeps_stderr_and_ends_the_group) {
  auto p = process::spawn(
    {"/bin/sh", "-c", "echo out; echo err >&2; sleep 30 & wait"});
  ASSERT_TRUE(p) << text_of(p.error());
  auto out = p->read_some(in(5000ms));
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "out\n");
  // stderr is drained while waiting; give the shell time to write it.
  auto until = in(10s);
  while (p->stderr_tail().empty() && clock_type::now() < until)
    p->wait_until(in(20ms));
  EXPECT_EQ(p->stderr_tail(), "err\n");
  auto t0 = clock_type::now();
  p->terminate(200ms);
  EXPECT_LT(clock_type::now() - t0, 3s);
  EXPECT_FALSE(p->running());
  EXPECT_NE(p->exit_description().find("signal"), std::string::npos)
    << p->exit_description();
}

TEST(stdio_transport, a_server_that_dies_is_an_error_with_its_status) {
  stdio_transport t{{"/bin/sh", "-c", "read x; echo 'dying now' >&2; exit 3"}};
  ASSERT_FALSE(t.open(in(1000ms)));
  ASSERT_FALSE(t.send(json_rpc::make_request(1, "ping"), in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  auto msg = text_of(x.error());
  EXPECT_NE(msg.find("exited with status 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dying now"), std::string::npos) << msg;
  EXPECT_FALSE(t.alive());
  // Writing to the dead server is an error, not a SIGPIPE.
  EXPECT_TRUE(t.send(json_rpc::make_request(2, "ping"), in(1000ms)));
}

TEST(stdio_transport, oversized_lines_close_the_connection) {
  io_limits lim;
  lim.max_message_bytes = 1024;
  stdio_transport t{{"/bin/sh", "-c",
                     "head -c 200000 /dev/zero | tr '\\0' a; sleep 30"},
                    {},
                    lim};
  ASSERT_FALSE(t.open(in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  EXPECT_NE(text_of(x.error()).find("larger than 1024 bytes"),
            std::string::npos)
    << text_of(x.error());
  EXPECT_FALSE(t.alive());
}

TEST(stdio_transport, garbage_is_malformed_json_and_silence_a_timeout) {
  stdio_transport t{{"/bin/sh", "-c", "echo 'hello there'; sleep 30"}};
  ASSERT_FALSE(t.open(in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  EXPECT_NE(text_of(x.error()).find("malformed JSON: 'hello there'"),
            std::string::npos)
    << text_of(x.error());
  EXPECT_TRUE(t.alive());
  auto t0 = clock_type::now();
  auto y = t.receive(in(300ms));
  ASSERT_FALSE(y);
  EXPECT_TRUE(is_timeout(y.error()));
  EXPECT_GE(clock_type::now() - t0, 290ms);
  EXPECT_LT(clock_type::now() - t0, 2s);
}

TEST(mcp_client, a_silent_server_times_out_at_initialize) {
  mcp_client_options opts;
  opts.timeout = 400ms;
  mcp_client c{std::make_unique<stdio_transport>(
                 std::vector<std::string>{"/bin/sh", "-c", "sleep 30"}),
               opts};
  auto t0 = clock_type::now();
  auto err = c.connect();
  ASSERT_TRUE(err);
  EXPECT_TRUE(is_timeout(err)) << text_of(err);
  EXPECT_NE(text_of(err).find("no reply to 'initialize'"), std::string::npos)
    << text_of(err);
  EXPECT_LT(clock_type::now() - t0, 3s);
  EXPECT_FALSE(c.connected());
}

TEST(mcp_agent, validates_its_configuration) {
  mcp_agent a;
  a.id = "a";
  EXPECT_TRUE(a.validate()); // neither command nor endpoint
  a.command = {"x"};
  a.endpoint = "http://h";
  EXPECT_TRUE(a.validate()); // both
  a.endpoint.clear();
  EXPECT_FALSE(a.validate());
  a.headers["Bad Name"] = "v";
  EXPECT_TRUE(a.validate());
  a.headers.clear();
  a.arguments = json::array();
  EXPECT_TRUE(a.validate());
  // An agent with a broken config fails every call with that error.
  mcp_agent b;
  b.id = "b";
  b.endpoint = "http://127.0.0.1:1/mcp";
  b.bearer_env = "CAF_CONSENSUS_SURELY_UNSET_TOKEN";
  auto agent = make_agent(b, 1000);
  request req;
  req.prompt = "q";
  auto r = agent->execute(req);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("CAF_CONSENSUS_SURELY_UNSET_TOKEN"), std::string::npos)
    << r.error;
}

TEST(mcp_mesh, keeps_agents_in_order_and_checks_them) {
  auto mesh
    = create_mesh({{"b", "http://127.0.0.1:1/mcp"}, {"a", "node server.mjs"}});
  ASSERT_TRUE(mesh) << text_of(mesh.error());
  EXPECT_EQ(mesh->participant_ids(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(mesh->get("a")->stdio());
  EXPECT_FALSE(mesh->get("b")->stdio());
  mesh->remove("a");
  EXPECT_EQ(mesh->size(), 1u);
  EXPECT_EQ(mesh->get("a"), nullptr);
  EXPECT_FALSE(create_mesh({{"c", "x | y"}}));
  MCPMesh empty;
  auto st = run_mcp_consensus(empty, "q");
  ASSERT_FALSE(st);
  EXPECT_NE(text_of(st.error()).find("no agents"), std::string::npos);
}

TEST(run_agents, rejects_bad_input_before_contacting_anyone) {
  std::vector<agent_ptr> agents;
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  auto st = run_agents("q", std::move(agents), params{});
  ASSERT_FALSE(st);
  EXPECT_NE(text_of(st.error()).find("appears twice"), std::string::npos);
  std::vector<agent_ptr> one;
  one.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  params ps;
  ps.policy = "no-such-policy";
  auto bad = run_agents("q", std::move(one), ps);
  ASSERT_FALSE(bad);
  EXPECT_NE(text_of(bad.error()).find("no-such-policy"), std::string::npos);
}

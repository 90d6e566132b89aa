// Tests: traces: what the writer writes the reader reads back; bad traces
// are clear errors naming file, line, key and value; the recording
// decorator writes every call of a library consensus (suite trace).

#include <sstream>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/recording_agent.hpp"
#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/consensus.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

namespace {

trace_header two_agents() {
  trace_header h;
  h.ps.rounds = 2;
  h.ps.k = 1;
  h.ps.seed = rng::seed{7};
  h.participants = {{"a", "model-a"}, {"b", "model-b"}};
  return h;
}

std::string header_text() {
  return header_line(two_agents()) + "\n";
}

/// A valid call line of `who` in `round` with `extra` replacing the tail.
std::string call(const std::string& who, int round,
                 const std::string& tail = "\"ms\": 5, \"tokens\": null, "
                                           "\"error_kind\": null, "
                                           "\"error\": null") {
  return "{\"type\": \"call\", \"run\": \"r\", \"prompt_id\": \"p\", "
         "\"prompt\": \"q\", \"participant\": \""
         + who + "\", \"model\": \"m\", \"round\": " + std::to_string(round)
         + ", \"peers\": [], \"output\": \"\", \"label\": \"\", " + tail
         + "}\n";
}

std::string problem(const std::string& text) {
  auto t = parse_trace(text, "t.jsonl");
  return t ? std::string{"accepted"} : render(t.error());
}

} // namespace

TEST(trace, written_traces_read_back_exactly) {
  std::ostringstream os;
  {
    trace_writer w{os, two_agents()};
    request req;
    req.participant = "a";
    req.round = 1;
    req.query = std::string{"What is 6 x 7?"};
    req.peers.push_back({"b", std::string{"42"}, ""});
    auto ok = make_ok("a", std::string{"It is 42\n\"quoted\""}, 120, 1);
    ok.tokens = 17;
    ok.label = "42";
    w.write(make_call("run-1", "p-1", req, ok, "model-a"));
    req.participant = "b";
    auto late = make_failure("b", 1, "timeout", 3000);
    late.timed_out = true;
    w.write(make_call("run-1", "p-1", req, late, "model-b"));
    state st;
    st.participants = {"a", "b"};
    st.confidence = {0.1 + 0.2, 0.0};
    st.winner = "a";
    st.finalized = true;
    st.rounds_executed = 1;
    auto o = make_outcome("run-1", "p-1", st, "42");
    o.seed = rng::seed{7};
    w.write(o);
    EXPECT_TRUE(w.good());
  }
  auto t = parse_trace(os.str(), "mem");
  ASSERT_TRUE(t) << render(t.error());
  EXPECT_EQ(t->header.ps, two_agents().ps);
  ASSERT_EQ(t->calls.size(), 2u);
  auto& c = t->calls[0];
  EXPECT_EQ(c.run, "run-1");
  EXPECT_EQ(c.prompt, "What is 6 x 7?");
  EXPECT_EQ(c.peers, std::vector<std::string>{"b"});
  EXPECT_EQ(c.output, "It is 42\n\"quoted\"");
  EXPECT_EQ(c.label, "42");
  EXPECT_EQ(c.ms, 120);
  EXPECT_EQ(c.tokens, uint64_t{17});
  EXPECT_TRUE(c.ok());
  EXPECT_EQ(c.line, 2);
  EXPECT_EQ(t->calls[1].error_kind, trace_error_kind::timeout);
  EXPECT_EQ(t->calls[1].error, "timeout");
  EXPECT_FALSE(t->calls[1].tokens);
  ASSERT_EQ(t->outcomes.size(), 1u);
  EXPECT_EQ(t->outcomes[0].confidence, 0.1 + 0.2); // bit for bit
  EXPECT_EQ(t->outcomes[0].key, "42");
  EXPECT_EQ(t->outcomes[0].seed, rng::seed{7});
}

TEST(trace, bad_traces_name_line_key_and_value) {
  auto h = header_text();
  EXPECT_EQ(problem(h + call("a", 0)), "accepted");
  EXPECT_NE(problem("").find("t.jsonl:1: empty trace"), std::string::npos);
  EXPECT_NE(problem("not json\n").find("t.jsonl:1: invalid JSON: "),
            std::string::npos);
  EXPECT_NE(problem("[1, 2]\n")
              .find("t.jsonl:1: not a JSON object (value an "
                    "array of 2 items)"),
            std::string::npos);
  EXPECT_NE(problem("{\"format\": \"caf-consensus-trace\", \"version\": 2}\n")
              .find("t.jsonl:1: key 'version': unsupported version "
                    "(accepted: 1) (value 2)"),
            std::string::npos);
  EXPECT_NE(problem("{\"format\": \"other\"}\n")
              .find("t.jsonl:1: key 'format': not a trace header"),
            std::string::npos);
  auto m = problem(h + call("c", 0));
  EXPECT_NE(m.find("t.jsonl:2: key 'participant': not a participant of the "
                   "header (value \"c\")"),
            std::string::npos)
    << m;
  m = problem(h + call("a", 3));
  EXPECT_NE(m.find("t.jsonl:2: key 'round': expected an integer in [0, 2] "
                   "(value 3)"),
            std::string::npos)
    << m;
  m = problem(h + call("a", 0) + call("a", 0));
  EXPECT_NE(m.find("t.jsonl:3: key 'round': a second call of 'a' in this "
                   "round of run 'r'"),
            std::string::npos)
    << m;
  m = problem(h
              + call("a", 0,
                     "\"ms\": -1, \"tokens\": null, \"error_kind\": "
                     "null, \"error\": null"));
  EXPECT_NE(m.find("t.jsonl:2: key 'ms': expected an integer"),
            std::string::npos)
    << m;
  m = problem(h
              + call("a", 0,
                     "\"ms\": 1, \"tokens\": null, \"error_kind\": "
                     "\"crashed\", \"error\": \"x\""));
  EXPECT_NE(m.find("t.jsonl:2: key 'error_kind': unknown error kind"),
            std::string::npos)
    << m;
  m = problem(h
              + call("a", 0,
                     "\"ms\": 1, \"tokens\": null, \"error_kind\": "
                     "null, \"error\": null, \"extra\": 1"));
  EXPECT_NE(m.find("t.jsonl:2: key 'extra': unknown key (accepted: type, "),
            std::string::npos)
    << m;
  m = problem(h + call("a", 0, "\"ms\": 1, \"tokens\": null, \"error\": null"));
  EXPECT_NE(m.find("t.jsonl:2: key 'error_kind': missing required key"),
            std::string::npos)
    << m;
  m = problem(h + "{\"type\": \"vote\"}\n");
  EXPECT_NE(m.find("t.jsonl:2: key 'type': unknown line type"),
            std::string::npos)
    << m;
  m = problem(h
              + "{\"type\": \"outcome\", \"run\": \"r\", \"prompt_id\": "
                "\"p\", \"seed\": \"1\", \"winner\": \"a\", \"answer\": "
                "\"\", \"confidence\": 0.5, \"finalized\": true, "
                "\"rounds_executed\": 1, \"key\": null}\n");
  EXPECT_NE(m.find("t.jsonl:2: key 'run': an outcome before any call of the "
                   "run"),
            std::string::npos)
    << m;
  auto bad_params = header_text();
  bad_params.replace(bad_params.find("\"k\":1"), 5, "\"k\":\"one\"");
  m = problem(bad_params);
  EXPECT_NE(m.find("t.jsonl:1: key 'params.k': expected an integer (value "
                   "\"one\")"),
            std::string::npos)
    << m;
}

TEST(trace, the_decorator_records_every_call_of_a_consensus) {
  std::ostringstream os;
  params ps;
  ps.rounds = 2;
  ps.k = 1;
  trace_header h;
  h.ps = ps;
  h.participants = {{"a", "echo"}, {"b", "echo"}};
  auto w = std::make_shared<trace_writer>(os, h);
  actors::execute_fn fn = [](const std::string& id, const request& req) {
    return make_ok(id, std::string{"answer 42"}, 3, req.round);
  };
  auto st = run("q?", {"a", "b"},
                record(fn, {w, "run-9", "p-9"},
                       [](const std::string&) { return std::string{"echo"}; }),
                ps);
  ASSERT_TRUE(st) << render(st.error());
  auto t = parse_trace(os.str(), "mem");
  ASSERT_TRUE(t) << render(t.error());
  EXPECT_EQ(t->calls.size(), st->calls);
  for (auto& c : t->calls) {
    EXPECT_EQ(c.run, "run-9");
    EXPECT_EQ(c.model, "echo");
    EXPECT_EQ(c.output, "answer 42");
    EXPECT_EQ(c.peers.size(), c.round == 0 ? 0u : 1u);
  }
}

TEST(trace, a_header_without_version_is_an_error) {
  auto m = problem("{\"format\": \"caf-consensus-trace\"}\n");
  EXPECT_NE(m.find("t.jsonl:1: key 'version': unsupported version (accepted: "
                   "1) (value null)"),
            std::string::npos)
    << m;
}

TEST(trace, deep_nesting_is_an_error_not_a_crash) {
  const size_t n = 100000;
  auto deep = std::string(n, '[') + std::string(n, ']') + "\n";
  auto m = problem(deep);
  EXPECT_NE(m.find("t.jsonl:1: invalid JSON: nested deeper than 64 levels"),
            std::string::npos)
    << m.substr(0, 200);
  m = problem(header_text() + "{\"type\": \"call\", \"x\": "
              + std::string(n, '[') + std::string(n, ']') + "}\n");
  EXPECT_NE(m.find("t.jsonl:2: invalid JSON: nested deeper than 64 levels"),
            std::string::npos)
    << m.substr(0, 200);
  // Nesting within the limit: the value is shown as a short preview.
  m = problem(header_text()
              + call("a", 0,
                     "\"ms\": 1, \"tokens\": null, \"error_kind\": null, "
                     "\"error\": null, \"extra\": "
                       + std::string(60, '[') + std::string(60, ']')));
  EXPECT_NE(m.find("t.jsonl:2: key 'extra': unknown key"), std::string::npos)
    << m;
  EXPECT_NE(m.find("(value an array of 1 item)"), std::string::npos) << m;
}

TEST(trace, overlong_lines_are_an_error) {
  auto big = std::string(max_trace_line_bytes, 'x');
  auto m = problem(header_text() + "{\"type\": \"call\", \"prompt\": \"" + big
                   + "\"}\n");
  EXPECT_NE(m.find("t.jsonl:2: line longer than "
                   + std::to_string(max_trace_line_bytes) + " bytes"),
            std::string::npos)
    << m.substr(0, 200);
}

TEST(trace, duplicate_keys_are_an_error) {
  auto m = problem(header_text()
                   + call("a", 0,
                          "\"ms\": 1, \"tokens\": null, \"error_kind\": null, "
                          "\"error\": null, \"ms\": 2"));
  EXPECT_NE(m.find("t.jsonl:2: invalid JSON: duplicate key 'ms'"),
            std::string::npos)
    << m;
  auto h = header_text();
  h.replace(h.find("\"k\":1"), 5, "\"k\":1,\"k\":2");
  m = problem(h);
  EXPECT_NE(m.find("t.jsonl:1: invalid JSON: duplicate key 'k'"),
            std::string::npos)
    << m;
  // The same key in different objects is fine.
  EXPECT_EQ(problem(header_text() + call("a", 0)), "accepted");
}

TEST(trace, errors_never_echo_invalid_utf8) {
  auto m = problem("{\"format\": \"\xff\xfe\"}\n");
  EXPECT_NE(m.find("t.jsonl:1: invalid JSON: "), std::string::npos) << m;
  EXPECT_EQ(m.find('\xff'), std::string::npos) << m;
  EXPECT_NE(m.find("\\xff"), std::string::npos) << m;
}

TEST(trace, parameters_the_library_accepts_read_back) {
  for (auto beta_1 : {0.0, 1.0, 2.0, 1e9}) {
    auto h = two_agents();
    h.ps.beta_1 = beta_1;
    h.ps.delta = 0; // ignored outside policy sequential
    auto t = parse_trace(header_line(h) + "\n", "mem");
    ASSERT_TRUE(t) << render(t.error());
    EXPECT_EQ(t->header.ps, h.ps);
  }
  auto h = two_agents();
  h.ps.beta_1 = -0.5;
  auto m = problem(header_line(h) + "\n");
  EXPECT_NE(m.find("t.jsonl:1: key 'params.beta_1': expected a number >= 0"),
            std::string::npos)
    << m;
  h = two_agents();
  h.ps.policy = "sequential";
  h.ps.delta = 1;
  m = problem(header_line(h) + "\n");
  EXPECT_NE(m.find("t.jsonl:1: key 'params.delta': expected a number in (0, "
                   "1) for policy sequential"),
            std::string::npos)
    << m;
  // A number beyond double's range is a clear error too.
  auto huge = header_text();
  huge.replace(huge.find("\"delta\":0.05"), 12, "\"delta\":1e400");
  m = problem(huge);
  EXPECT_NE(m.find("t.jsonl:1: invalid JSON: "), std::string::npos) << m;
  EXPECT_NE(m.find("number overflow parsing '1e400'"), std::string::npos) << m;
}

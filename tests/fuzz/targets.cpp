#include "fuzz/targets.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_server.hpp"
#include "caf/consensus/connectors/openai_agent.hpp"
#include "caf/consensus/connectors/sse.hpp"
#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/sim/agents/trace_book.hpp"
#include "caf/consensus/sim/conformance/conformance.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/report/trace_fit.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

namespace caf::consensus::fuzz {

namespace {

void check(bool ok) {
  if (!ok)
    std::abort();
}

bool valid_utf8(std::string_view x) {
  size_t i = 0;
  while (i < x.size()) {
    auto c = static_cast<unsigned char>(x[i]);
    size_t len = c < 0x80         ? 1
                 : (c >> 5) == 6  ? 2
                 : (c >> 4) == 14 ? 3
                 : (c >> 3) == 30 ? 4
                                  : 0;
    if (len == 0 || i + len > x.size())
      return false;
    for (size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(x[i + j]) & 0xC0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

} // namespace

int scenario(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto sc = sim::parse_scenario(text, "fuzz.yaml");
  if (!sc)
    return 0;
  auto cells = sim::cell_count(*sc);
  check(cells >= 1);
  auto first = sim::resolve_cell(*sc, 0);
  auto last = sim::resolve_cell(*sc, cells - 1);
  (void) first;
  (void) last;
  check(!sim::participant_ids(*sc).empty());
  return 0;
}

int conformance(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cases = sim::parse_conformance(text, "fuzz.json");
  if (!cases)
    return 0;
  for (auto& c : *cases) {
    auto work = static_cast<int64_t>(c.participants.size())
                * (static_cast<int64_t>(std::max(c.ps.rounds, 0)) + 1);
    if (work > 2000)
      continue;
    for (auto* policy : {"hanzo", "metastable", "snowball", "vote"}) {
      auto run = sim::replay_inline(c, policy);
      if (run)
        (void) sim::compare(c, *run);
    }
  }
  return 0;
}

int tokenizer(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lower = text::python_lower(text);
  check(valid_utf8(lower));
  auto words = text::python_split(text);
  for (auto& w : words)
    check(!w.empty() && valid_utf8(w));
  auto toks = text::tokenize(text);
  for (size_t i = 1; i < toks.size(); ++i)
    check(toks[i - 1] < toks[i]);
  check(text::jaccard(toks, toks) == (toks.empty() ? 0.0 : 1.0));
  // The policies' tokenizer (interned ids, 16 bytes at a time for ASCII)
  // gives the same tokens, each once, on a fresh index (which takes the
  // buffers the last input's index left) and on one that keeps growing.
  static detail::token_index* kept = new detail::token_index;
  static size_t inputs = 0;
  if (++inputs % 10'000 == 0) {
    delete kept;
    kept = new detail::token_index;
  }
  detail::token_index fresh;
  for (auto* index : {&fresh, kept}) {
    detail::token_index::id_set ids;
    index->tokenize(text, ids);
    std::vector<std::string> got;
    for (auto x : ids)
      got.emplace_back(index->token(x));
    std::sort(got.begin(), got.end());
    check(std::adjacent_find(got.begin(), got.end()) == got.end());
    check(got == toks);
  }
  return 0;
}

int mcp_jsonrpc(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void) connectors::json_rpc::parse(text);
  static connectors::mcp_server* server = [] {
    auto* x = new connectors::mcp_server("fuzz", "1");
    connectors::mcp_tool echo;
    echo.name = "echo";
    echo.description = "echoes its prompt";
    echo.input_schema = {{"type", "object"}};
    echo.handler = [](const connectors::json& args) {
      return connectors::text_result(args.value("prompt", std::string{}));
    };
    x->add_tool(std::move(echo));
    return x;
  }();
  if (auto reply = server->handle_text(text))
    check(reply->is_object() && reply->contains("jsonrpc"));
  connectors::sse_parser sse;
  auto half = text.size() / 2;
  (void) sse.feed(text.substr(0, half));
  (void) sse.feed(text.substr(half));
  return 0;
}

int openai_response(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  (void) connectors::parse_chat_completion(body);
  return 0;
}

int trace(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto t = connectors::parse_trace(text, "fuzz.jsonl");
  if (!t)
    return 0;
  check(!t->header.participants.empty());
  auto book = sim::make_trace_book(*t, "fuzz.jsonl");
  check(book.outputs.size() == t->calls.size());
  for (auto& c : t->calls) {
    auto p = book.participant_index(c.participant);
    check(p < book.participants().size());
  }
  auto replay = sim::replay_scenario_text(*t, "fuzz.jsonl");
  (void) replay;
  std::vector<sim::named_trace> xs;
  xs.push_back({"fuzz.jsonl", std::move(*t)});
  auto runs = sim::merge_traces(xs);
  check(static_cast<bool>(runs));
  auto f = sim::fit_traces(**runs);
  check(f.participants.size() == xs.front().data.header.participants.size());
  auto fitted = sim::fit_scenario_text(f, 10, 1);
  check(!fitted.empty());
  auto table = sim::fit_table(f);
  check(!table.empty());
  return 0;
}

} // namespace caf::consensus::fuzz

// caf-consensus sim: the scenario file parser: agent groups and their
// latency.

#include "caf/consensus/sim/scenario/internal/parser.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/setters.hpp"

namespace caf::consensus::sim::scenario_internal {

latency_model parser::parse_latency(const entry& e, bool tokens) {
  latency_model m;
  auto v = e.val();
  if (v.type == value::kind::scalar) {
    m.type = latency_model::kind::constant;
    m.a = to_num(v, 0, inf);
    return m;
  }
  if (v.type != value::kind::map)
    expected_(v, tokens ? "a number of tokens or a map with 'dist'"
                        : "a number of ms or a map with 'dist'");
  // Find `dist` first: it decides which other keys are accepted (without
  // it, or with an unknown one, the other keys cannot be judged).
  std::string dist;
  int dist_line = e.line;
  bool has_dist = false;
  for (auto i = e.node.begin(); i != e.node.end(); ++i) {
    if (!has_dist && i->first.IsScalar() && i->first.Scalar() == "dist") {
      has_dist = true;
      dist_line = line_of(i->first, e.line);
      dist = to_str(from_node(i->second, e.key + ".dist", dist_line));
    }
  }
  auto& names = dist_names();
  auto pos = std::find(names.begin(), names.end(), dist);
  if (!has_dist)
    fail(e.key_line, e.key + ".dist", "missing required key" + accepted(names));
  if (pos == names.end())
    fail(dist_line, e.key + ".dist",
         "unknown distribution " + quote(dist) + accepted(names));
  m.type = static_cast<latency_model::kind>(pos - names.begin());
  // Named copies, not a structured binding: a lambda below uses `a` (C++17
  // does not let lambdas capture structured bindings; clang refuses it).
  auto fields = dist_fields(m.type, tokens);
  const std::string values_key = tokens ? "values" : "values_ms";
  const auto a = fields.first;
  const auto b = fields.second;
  std::vector<std::string> ok{"dist"};
  if (m.type == latency_model::kind::empirical) {
    ok.push_back(values_key);
  } else {
    ok.push_back(a);
    if (!b.empty())
      ok.push_back(b);
  }
  auto es = entries(e.node, e.key, e.line, &ok, "");
  for (size_t i = 1; i < ok.size(); ++i)
    if (!find(es, ok[i]))
      missing(e.key_line, e.key + "." + ok[i], " for dist " + dist);
  m.b = 0;
  for (auto& x : es) {
    if (x.name == "dist")
      continue;
    attempt([&] {
      if (x.name == values_key) {
        if (!x.node.IsSequence())
          expected_(x.val(), "a list of numbers >= 0");
        size_t i = 0;
        for (auto y : x.node) {
          auto yv = from_node(y, x.key + "[" + std::to_string(i++) + "]",
                              line_of(y, x.line));
          attempt([&] { m.values.push_back(to_num(yv, 0, inf)); });
        }
        if (i == 0)
          expected_(x.val(), "at least one value");
        m.a = 0;
      } else if (x.name == a) {
        m.a = to_num(x.val(), 0, inf);
      } else {
        m.b = to_num(x.val(), 0, inf);
      }
    });
  }
  return m;
}

void parser::parse_answers(const entry& e, agent_group& g) {
  auto as = entries(e.node, e.key, e.line, nullptr, "a map of label: weight");
  if (as.empty() && e.node.size() == 0)
    expected_(e.val(), "at least one label: weight");
  for (auto& y : as) {
    attempt([&] {
      check_identifier(y.name, "label", y.key_line, y.key);
      auto w = to_num(y.val(), 0, inf);
      g.labels.push_back(y.name);
      g.weights.push_back(w);
    });
  }
}

agent_group parser::parse_group(const YAML::Node& n, size_t index, int line,
                                bool& named) {
  agent_group g;
  auto path = "agents[" + std::to_string(index) + "]";
  lines_[path] = line;
  // `kind` first: it decides which other keys are accepted.
  if (n.IsMap())
    for (auto i = n.begin(); i != n.end(); ++i)
      if (i->first.IsScalar() && i->first.Scalar() == "kind")
        attempt([&] {
          auto v = from_node(i->second, path + ".kind",
                             line_of(i->first, line));
          auto& names = agent_kind_names();
          auto pos = std::find(names.begin(), names.end(), to_str(v));
          if (pos == names.end())
            fail(v.line, v.key,
                 "unknown agent kind " + quote(to_str(v)) + accepted(names));
          g.kind = static_cast<agent_kind>(pos - names.begin());
        });
  auto recorded = g.kind != agent_kind::synthetic;
  auto es = entries(n, path, line,
                    recorded ? &recorded_group_keys() : &group_keys(),
                    "a map describing a group of agents");
  if (auto name = find(es, "name")) {
    named = attempt([&] {
      auto nv = name->val();
      g.name = to_str(nv);
      check_identifier(g.name, "group name", nv.line, nv.key);
    });
  } else {
    missing(line, path + ".name");
  }
  if (recorded)
    attempt([&] { parse_recorded(es, g, line, path); });
  else if (auto x = find(es, "trace"))
    attempt([&] {
      fail(x->key_line, x->key,
           "only agents of kind replay or empirical read a trace");
    });
  else if (auto y = find(es, "participant"))
    attempt([&] {
      fail(y->key_line, y->key,
           "only agents of kind replay or empirical play a participant");
    });
  for (auto& x : es) {
    attempt([&] {
      auto v = x.val();
      if (x.name == "count") {
        g.count = static_cast<uint32_t>(to_int(v, 1, max_agents));
      } else if (x.name == "latency") {
        g.latency = parse_latency(x);
      } else if (x.name == "tokens") {
        g.tokens = parse_latency(x, true);
      } else if (x.name == "answers") {
        parse_answers(x, g);
      } else if (x.name == "behaviour") {
        set_behaviour(g, v);
      } else if (x.name == "wrong_label") {
        g.wrong_label = to_label(v);
      } else if (x.name == "noise") {
        g.noise = to_num(v, 0, 1);
      } else if (x.name == "faults") {
        for (auto& y : entries(x.node, x.key, x.line, &fault_keys(),
                               "a map of fail, no_answer, crash_after")) {
          attempt([&] {
            if (y.name == "fail")
              g.fail = to_num(y.val(), 0, 1);
            else if (y.name == "no_answer")
              g.no_answer = to_num(y.val(), 0, 1);
            else
              set_crash_after(g, y.val());
          });
        }
      }
    });
  }
  return g;
}

std::shared_ptr<const trace_book> parser::load_trace(const entry& e) {
  auto v = e.val();
  auto name = to_str(v);
  if (name.empty())
    expected_(v, "the path of a trace file");
  std::filesystem::path p{name};
  if (p.is_relative())
    p = std::filesystem::path{origin_}.parent_path() / p;
  auto key = p.lexically_normal().string();
  if (auto i = traces_.find(key); i != traces_.end())
    return i->second;
  auto t = connectors::read_trace(key);
  if (!t) {
    // The reader's message names the trace's file, line and key already.
    auto msg = render(t.error());
    const std::string code = "malformed_input: ";
    if (msg.compare(0, code.size(), code) == 0)
      msg.erase(0, code.size());
    fail(v.line, v.key, "cannot use the trace: " + msg);
  }
  auto book
    = std::make_shared<const trace_book>(make_trace_book(std::move(*t), key));
  traces_.emplace(key, book);
  return book;
}

void parser::parse_recorded(const std::vector<entry>& es, agent_group& g,
                            int line, const std::string& path) {
  auto kind = to_string(g.kind);
  auto t = find(es, "trace");
  if (t == nullptr)
    missing(line, path + ".trace", " for kind " + kind);
  if (t == nullptr)
    return;
  g.trace = load_trace(*t);
  auto& book = *g.trace;
  auto who = find(es, "participant");
  std::string id = g.name;
  int id_line = line;
  std::string id_key = path + ".name";
  if (who != nullptr) {
    auto v = who->val();
    id = to_str(v);
    id_line = v.line;
    id_key = v.key;
  }
  g.participant = book.participant_index(id);
  if (g.participant == book.participants().size()) {
    std::vector<std::string> ids;
    for (auto& p : book.participants())
      ids.push_back(p.id);
    fail(id_line, id_key,
         "no participant " + quote(id) + " in the trace " + quote(book.file)
           + accepted(ids));
  }
  if (book.runs.empty())
    fail(t->line, t->key, "the trace " + quote(book.file) + " has no calls");
  if (g.kind == agent_kind::replay) {
    if (auto c = find(es, "count"); c != nullptr && to_str(c->val()) != "1")
      fail(c->line, c->key, "a replay group plays one participant: count 1");
  }
}

} // namespace caf::consensus::sim::scenario_internal

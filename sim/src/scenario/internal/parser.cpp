// caf-consensus sim: the scenario file parser: the document's map, the top
// level, params, labels and seeds.

#include "caf/consensus/sim/scenario/internal/parser.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "caf/consensus/sim/scenario/internal/check.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/setters.hpp"

namespace caf::consensus::sim::scenario_internal {

int line_of(const YAML::Node& n, int fallback) {
  if (n.IsNull() || n.Mark().line < 0)
    return fallback;
  return n.Mark().line + 1;
}

int parser::line_for(std::string key) const {
  for (;;) {
    auto i = lines_.find(key);
    if (i != lines_.end())
      return i->second;
    auto pos = key.find_last_of(".[");
    if (pos == std::string::npos || pos == 0)
      break;
    key.erase(pos);
  }
  auto i = lines_.find("policy");
  return i != lines_.end() ? i->second : 0;
}

std::vector<entry> parser::entries(const YAML::Node& n, const std::string& path,
                                   int line, const std::vector<std::string>* ok,
                                   const std::string& what) {
  if (!n.IsMap())
    expected_(from_node(n, path, line_of(n, line)), what);
  std::vector<entry> out;
  std::set<std::string> seen;
  for (auto i = n.begin(); i != n.end(); ++i) {
    entry e;
    auto key_line = line_of(i->first, line);
    if (!i->first.IsScalar())
      fail(key_line, path,
           "expected plain keys, got "
             + describe(from_node(i->first, path, key_line)) + " as a key");
    e.name = i->first.Scalar();
    e.key = path.empty() ? e.name : path + "." + e.name;
    e.key_line = key_line;
    e.node = i->second;
    e.line = line_of(i->second, key_line);
    if (ok && std::find(ok->begin(), ok->end(), e.name) == ok->end())
      fail(key_line, e.key, "unknown key" + accepted(*ok));
    if (!seen.insert(e.name).second)
      fail(key_line, e.key, "duplicate key");
    lines_[e.key] = key_line;
    out.push_back(std::move(e));
  }
  return out;
}

const entry* parser::find(const std::vector<entry>& es,
                          const std::string& name) {
  for (auto& e : es)
    if (e.name == name)
      return &e;
  return nullptr;
}

void parser::missing(int line, const std::string& key,
                     const std::string& extra) {
  fail(line, key, "missing required key" + extra);
}

void parser::parse_params(const entry& e, params& ps) {
  for (auto& x : entries(e.node, e.key, e.line, &param_keys(),
                         "a map of protocol parameters"))
    set_param(ps, x.name, x.val());
}

void parser::parse_labels(const entry& e, agent_world& world) {
  auto add = [&](const std::string& label, const std::string& tmpl) {
    world.labels.push_back(label);
    world.templates.push_back(tmpl);
  };
  if (e.node.IsSequence()) {
    std::set<std::string> seen;
    size_t i = 0;
    for (auto x : e.node) {
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      auto label = to_label(v);
      if (!seen.insert(label).second)
        fail(v.line, v.key, "duplicate label " + quote(label));
      lines_[e.key + "." + label] = v.line;
      add(label, default_template(label));
    }
  } else {
    for (auto& x : entries(e.node, e.key, e.line, nullptr,
                           "a map of label: template (or a list of labels)")) {
      check_identifier(x.name, "label", x.key_line, x.key);
      auto v = x.val();
      if (v.type == value::kind::null)
        add(x.name, default_template(x.name));
      else if (v.type == value::kind::scalar)
        add(x.name, to_text(v));
      else
        expected_(v, "a text template or null");
    }
  }
  if (world.labels.empty())
    expected_(e.val(), "at least one label");
}

void parser::parse_seeds(const entry& e, scenario& s) {
  if (e.node.IsSequence()) {
    size_t i = 0;
    for (auto x : e.node) {
      if (i == max_seeds)
        fail(line_of(x, e.line), e.key,
             "expected at most " + std::to_string(max_seeds) + " seeds");
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      s.seeds.push_back(to_seed(v));
    }
    if (s.seeds.empty())
      expected_(e.val(), "at least one seed");
    return;
  }
  static const std::vector<std::string> ok{"from", "to"};
  auto es = entries(e.node, e.key, e.line, &ok,
                    "a list of seeds or a map with 'from' and 'to'");
  auto from = find(es, "from");
  auto to = find(es, "to");
  if (!from)
    missing(e.key_line, e.key + ".from");
  if (!to)
    missing(e.key_line, e.key + ".to");
  auto lo = to_uint(from->val());
  auto hi = to_uint(to->val());
  if (hi < lo)
    fail(to->line, to->key,
         "expected 'to' >= 'from' (" + std::to_string(lo) + "), got "
           + std::to_string(hi));
  if (hi - lo >= max_seeds)
    fail(to->line, to->key,
         "expected at most " + std::to_string(max_seeds) + " seeds, got "
           + (hi - lo == std::numeric_limits<uint64_t>::max()
                ? std::string{"2^64"}
                : std::to_string(hi - lo + 1)));
  for (auto x = lo;; ++x) {
    s.seeds.push_back(x);
    if (x == hi)
      break;
  }
}

scenario parser::run(const YAML::Node& root) {
  scenario s;
  s.file = origin_;
  auto stem = std::filesystem::path{origin_}.stem().string();
  s.name = stem.empty() ? "scenario" : stem;
  auto es = entries(root, "", 1, &top_keys(), "a map");
  auto get = [&](const char* name) { return find(es, name); };
  if (auto e = get("name"))
    s.name = to_text(e->val());
  if (auto e = get("description"))
    s.description = e->val().type == value::kind::null ? "" : to_str(e->val());
  if (auto e = get("prompt"))
    s.prompt = to_text(e->val());
  if (auto e = get("policy"))
    set_policy(s.ps, e->val());
  if (auto e = get("params"))
    parse_params(*e, s.ps);
  auto labels = get("labels");
  if (labels)
    parse_labels(*labels, s.world);
  auto gt = get("ground_truth");
  if (!gt)
    missing(1, "ground_truth");
  s.world.ground_truth = to_label(gt->val());
  if (labels) {
    auto& ls = s.world.labels;
    if (std::find(ls.begin(), ls.end(), s.world.ground_truth) == ls.end())
      fail(gt->line, gt->key,
           "unknown label " + quote(s.world.ground_truth) + accepted(ls));
  }
  auto agents = get("agents");
  if (!agents)
    missing(1, "agents");
  if (!agents->node.IsSequence())
    expected_(agents->val(), "a list of agent groups");
  std::map<std::string, std::string> names;
  size_t index = 0;
  for (auto x : agents->node) {
    auto g = parse_group(x, index, line_of(x, agents->line));
    auto path = "agents[" + std::to_string(index) + "]";
    auto [i, added] = names.emplace(g.name, path);
    if (!added)
      fail(line_for(path + ".name"), path + ".name",
           "duplicate group name " + quote(g.name) + " (also " + i->second
             + ")");
    s.groups.push_back(std::move(g));
    ++index;
  }
  if (s.groups.empty())
    expected_(agents->val(), "at least one agent group");
  // Labels default to the answers' labels in first-seen order, plus the
  // ground truth.
  if (!labels) {
    auto& ls = s.world.labels;
    auto add = [&](const std::string& x) {
      if (std::find(ls.begin(), ls.end(), x) == ls.end()) {
        ls.push_back(x);
        s.world.templates.push_back(default_template(x));
      }
    };
    for (auto& g : s.groups)
      for (auto& x : g.labels)
        add(x);
    add(s.world.ground_truth);
  }
  for (auto& g : s.groups) {
    if (g.labels.empty()) {
      g.labels.push_back(s.world.ground_truth);
      g.weights.push_back(1);
    }
  }
  s.world.timeout_ms = s.ps.timeout_ms;
  if (auto bad = check(s.ps, s.groups, s.world))
    fail(line_for(bad->key), bad->key, bad->problem);
  // Replicates and seeds.
  auto reps = get("replicates");
  if (reps)
    s.replicates = static_cast<uint64_t>(
      to_int(reps->val(), 1, static_cast<int64_t>(max_replicates)));
  auto seed = get("seed");
  if (seed)
    s.seed = to_seed(seed->val());
  if (auto e = get("seeds")) {
    if (seed)
      fail(e->key_line, e->key, "'seed' and 'seeds' are mutually exclusive");
    parse_seeds(*e, s);
    if (reps && s.replicates != s.seeds.size())
      fail(reps->line, reps->key,
           "replicates (" + std::to_string(s.replicates)
             + ") differs from the number of seeds ("
             + std::to_string(s.seeds.size()) + ")");
    s.replicates = s.seeds.size();
  }
  if (auto e = get("sweep"))
    parse_sweep(*e, s);
  return s;
}

} // namespace caf::consensus::sim::scenario_internal

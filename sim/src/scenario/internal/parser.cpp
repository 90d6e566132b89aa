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
    if (!i->first.IsScalar()) {
      report({key_line, path,
              "expected plain keys, got "
                + describe(from_node(i->first, path, key_line)) + " as a key"});
      continue;
    }
    e.name = i->first.Scalar();
    e.key = path.empty() ? e.name : path + "." + e.name;
    e.key_line = key_line;
    e.node = i->second;
    e.line = line_of(i->second, key_line);
    if (ok && std::find(ok->begin(), ok->end(), e.name) == ok->end()) {
      report({key_line, e.key, "unknown key" + accepted(*ok)});
      continue;
    }
    if (!seen.insert(e.name).second) {
      report({key_line, e.key, "duplicate key"});
      continue;
    }
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
  report({line, key, "missing required key" + extra});
}

void parser::parse_params(const entry& e, params& ps) {
  std::vector<entry> es;
  if (!attempt([&] {
        es = entries(e.node, e.key, e.line, &param_keys(),
                     "a map of protocol parameters");
      }))
    return;
  for (auto& x : es)
    attempt([&] { set_param(ps, x.name, x.val()); });
}

void parser::parse_labels(const entry& e, agent_world& world) {
  auto add = [&](const std::string& label, const std::string& tmpl) {
    world.labels.push_back(label);
    world.templates.push_back(tmpl);
  };
  auto start = mark();
  if (e.node.IsSequence()) {
    std::set<std::string> seen;
    size_t i = 0;
    for (auto x : e.node) {
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      attempt([&] {
        auto label = to_label(v);
        if (!seen.insert(label).second)
          fail(v.line, v.key, "duplicate label " + quote(label));
        lines_[e.key + "." + label] = v.line;
        add(label, default_template(label));
      });
    }
  } else {
    std::vector<entry> es;
    if (!attempt([&] {
          es = entries(e.node, e.key, e.line, nullptr,
                       "a map of label: template (or a list of labels)");
        }))
      return;
    for (auto& x : es) {
      attempt([&] {
        check_identifier(x.name, "label", x.key_line, x.key);
        auto v = x.val();
        if (v.type == value::kind::null)
          add(x.name, default_template(x.name));
        else if (v.type == value::kind::scalar)
          add(x.name, to_text(v));
        else
          expected_(v, "a text template or null");
      });
    }
  }
  // A list whose every label failed is not empty: no follow-on problem.
  if (world.labels.empty() && clean_since(start))
    attempt([&] { expected_(e.val(), "at least one label"); });
}

void parser::parse_seeds(const entry& e, scenario& s) {
  if (e.node.IsSequence()) {
    size_t i = 0;
    for (auto x : e.node) {
      if (i == max_seeds) {
        report({line_of(x, e.line), e.key,
                "expected at most " + std::to_string(max_seeds) + " seeds"});
        return;
      }
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      attempt([&] { s.seeds.push_back(to_seed(v)); });
    }
    if (i == 0)
      attempt([&] { expected_(e.val(), "at least one seed"); });
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
  uint64_t lo = 0;
  uint64_t hi = 0;
  auto ok_lo = from && attempt([&] { lo = to_uint(from->val()); });
  auto ok_hi = to && attempt([&] { hi = to_uint(to->val()); });
  if (!ok_lo || !ok_hi)
    return;
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
    attempt([&] { s.name = to_text(e->val()); });
  if (auto e = get("description"))
    attempt([&] {
      s.description = e->val().type == value::kind::null ? ""
                                                         : to_str(e->val());
    });
  if (auto e = get("prompt"))
    attempt([&] { s.prompt = to_text(e->val()); });
  // What the whole-scenario check may rely on: a part that failed holds
  // defaults, and checking it would only report consequences.
  check_scope scope;
  auto start = mark();
  if (auto e = get("policy"))
    attempt([&] { set_policy(s.ps, e->val()); });
  if (auto e = get("params"))
    parse_params(*e, s.ps);
  scope.params = clean_since(start);
  start = mark();
  auto labels = get("labels");
  if (labels)
    parse_labels(*labels, s.world);
  auto labels_ok = clean_since(start);
  auto gt = get("ground_truth");
  if (!gt)
    missing(1, "ground_truth");
  auto gt_ok = gt
               && attempt([&] { s.world.ground_truth = to_label(gt->val()); });
  if (gt_ok && labels && labels_ok) {
    auto& ls = s.world.labels;
    if (std::find(ls.begin(), ls.end(), s.world.ground_truth) == ls.end()) {
      report({gt->line, gt->key,
              "unknown label " + quote(s.world.ground_truth) + accepted(ls)});
      gt_ok = false;
    }
  }
  start = mark();
  auto agents = get("agents");
  if (!agents) {
    missing(1, "agents");
  } else if (!agents->node.IsSequence()) {
    attempt([&] { expected_(agents->val(), "a list of agent groups"); });
  } else {
    std::map<std::string, std::string> names;
    size_t index = 0;
    for (auto x : agents->node) {
      auto path = "agents[" + std::to_string(index) + "]";
      auto group_start = mark();
      agent_group g;
      bool named = false;
      attempt(
        [&] { g = parse_group(x, index, line_of(x, agents->line), named); });
      scope.bad_groups.push_back(!clean_since(group_start));
      if (named) {
        auto [i, added] = names.emplace(g.name, path);
        if (!added)
          report({line_for(path + ".name"), path + ".name",
                  "duplicate group name " + quote(g.name) + " (also "
                    + i->second + ")"});
      }
      s.groups.push_back(std::move(g));
      ++index;
    }
    if (s.groups.empty())
      attempt([&] { expected_(agents->val(), "at least one agent group"); });
  }
  scope.agents = clean_since(start);
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
    labels_ok = scope.agents;
  }
  scope.labels = labels_ok && gt_ok;
  for (auto& g : s.groups) {
    if (g.labels.empty()) {
      g.labels.push_back(s.world.ground_truth);
      g.weights.push_back(1);
    }
  }
  s.world.timeout_ms = s.ps.timeout_ms;
  check_each(s.ps, s.groups, s.world, scope, [&](issue x) {
    report({line_for(x.key), x.key, std::move(x.problem)});
    return true;
  });
  sweep_scope sweep;
  sweep.groups = scope.agents;
  sweep.labels = labels_ok;
  sweep.clean = problems_.empty();
  // Replicates and seeds.
  auto seed = get("seed");
  if (seed)
    attempt([&] { s.seed = to_seed(seed->val()); });
  start = mark();
  auto reps = get("replicates");
  auto reps_ok = reps && attempt([&] {
                   s.replicates = static_cast<uint64_t>(to_int(
                     reps->val(), 1, static_cast<int64_t>(max_replicates)));
                 });
  if (auto e = get("seeds")) {
    if (seed)
      report(
        {e->key_line, e->key, "'seed' and 'seeds' are mutually exclusive"});
    auto seeds_start = mark();
    attempt([&] { parse_seeds(*e, s); });
    if (clean_since(seeds_start)) {
      if (reps_ok && s.replicates != s.seeds.size())
        report({reps->line, reps->key,
                "replicates (" + std::to_string(s.replicates)
                  + ") differs from the number of seeds ("
                  + std::to_string(s.seeds.size()) + ")"});
      s.replicates = s.seeds.size();
    }
  }
  sweep.runs = clean_since(start);
  if (auto e = get("sweep"))
    parse_sweep(*e, s, sweep);
  return s;
}

} // namespace caf::consensus::sim::scenario_internal

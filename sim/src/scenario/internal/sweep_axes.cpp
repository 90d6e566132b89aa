// caf-consensus sim: sweep axes: parsing an axis key, applying a value.

#include "caf/consensus/sim/scenario/internal/sweep_axes.hpp"

#include <algorithm>
#include <limits>

#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/setters.hpp"

namespace caf::consensus::sim::scenario_internal {

target
parse_axis_key(const std::string& key, const std::vector<agent_group>& groups,
               const agent_world& world, const std::string& path, int line) {
  target t;
  auto& pk = param_keys();
  if (std::find(pk.begin(), pk.end(), key) != pk.end()) {
    t.field = key;
    return t;
  }
  if (key == "policy") {
    t.type = target::kind::policy;
    return t;
  }
  if (key.compare(0, 7, "agents.") != 0)
    fail(line, path, "unknown sweep key" + accepted(axis_keys()));
  t.type = target::kind::group;
  auto rest = key.substr(7);
  auto dot = rest.find('.');
  auto name = rest.substr(0, dot);
  std::vector<std::string> names;
  for (size_t i = 0; i < groups.size(); ++i) {
    names.push_back(groups[i].name);
    if (groups[i].name == name)
      t.group = i;
  }
  if (std::find(names.begin(), names.end(), name) == names.end())
    fail(line, path, "unknown group " + quote(name) + accepted(names));
  if (dot == std::string::npos)
    fail(line, path,
         "expected agents.<group>.<field>" + accepted(group_axis_fields()));
  auto field = rest.substr(dot + 1);
  auto& g = groups[t.group];
  if (g.kind == agent_kind::replay)
    fail(line, path,
         "group " + quote(g.name)
           + " is of kind replay: it plays its trace back unchanged");
  if (g.kind == agent_kind::empirical && field != "count")
    fail(line, path,
         "group " + quote(g.name)
           + " is of kind empirical: its answers come from its trace "
             "(accepted: count)");
  if (field.compare(0, 8, "latency.") == 0) {
    auto sub = field.substr(8);
    auto [a, b] = dist_fields(g.latency.type);
    std::vector<std::string> ok;
    if (!a.empty()) {
      ok.push_back(a);
      if (!b.empty())
        ok.push_back(b);
      ok.push_back("a");
      if (!b.empty())
        ok.push_back("b");
    }
    if (!a.empty() && (sub == a || sub == "a")) {
      t.field = "latency.a";
    } else if (!b.empty() && (sub == b || sub == "b")) {
      t.field = "latency.b";
    } else {
      auto what = "unknown field " + quote(sub) + " for group " + quote(g.name)
                  + ", whose latency is " + dist_name(g.latency.type);
      if (ok.empty())
        fail(line, path, what + " (it has no scalar field)");
      fail(line, path, what + accepted(ok));
    }
    return t;
  }
  if (field.compare(0, 8, "answers.") == 0) {
    t.field = "answers";
    t.label = field.substr(8);
    auto& ls = world.labels;
    if (std::find(ls.begin(), ls.end(), t.label) == ls.end())
      fail(line, path, "unknown label " + quote(t.label) + accepted(ls));
    return t;
  }
  auto& fs = group_axis_fields();
  if (field.find('<') != std::string::npos
      || std::find(fs.begin(), fs.end(), field) == fs.end())
    fail(line, path, "unknown group field " + quote(field) + accepted(fs));
  t.field = field;
  return t;
}

void apply_axis(params& ps, std::vector<agent_group>& groups,
                agent_world& world, const std::string& key,
                const std::string& path, int key_line, const value& v) {
  auto t = parse_axis_key(key, groups, world, path, key_line);
  switch (t.type) {
    case target::kind::param:
      set_param(ps, t.field, v);
      break;
    case target::kind::policy:
      set_policy(ps, v);
      break;
    case target::kind::group: {
      auto& g = groups[t.group];
      auto& f = t.field;
      if (f == "count")
        g.count = static_cast<uint32_t>(to_int(v, 1, max_agents));
      else if (f == "fail")
        g.fail = to_num(v, 0, 1);
      else if (f == "no_answer")
        g.no_answer = to_num(v, 0, 1);
      else if (f == "crash_after")
        set_crash_after(g, v);
      else if (f == "noise")
        g.noise = to_num(v, 0, 1);
      else if (f == "behaviour")
        set_behaviour(g, v);
      else if (f == "conform_p")
        g.conform_p = to_num(v, 0, 1);
      else if (f == "wrong_label")
        g.wrong_label = to_label(v);
      else if (f == "latency") {
        g.latency.type = latency_model::kind::constant;
        g.latency.a = to_num(v, 0, inf);
        g.latency.b = 0;
        g.latency.values.clear();
      } else if (f == "latency.a")
        g.latency.a = to_num(v, 0, inf);
      else if (f == "latency.b")
        g.latency.b = to_num(v, 0, inf);
      else if (f == "answers") {
        auto w = to_num(v, 0, inf);
        auto i = std::find(g.labels.begin(), g.labels.end(), t.label);
        if (i == g.labels.end()) {
          g.labels.push_back(t.label);
          g.weights.push_back(w);
        } else {
          g.weights[static_cast<size_t>(i - g.labels.begin())] = w;
        }
      }
      break;
    }
  }
  world.timeout_ms = ps.timeout_ms;
}

uint64_t saturating_mul(uint64_t x, uint64_t y) {
  if (x != 0 && y > std::numeric_limits<uint64_t>::max() / x)
    return std::numeric_limits<uint64_t>::max();
  return x * y;
}

std::string runs_over_cap(uint64_t cells, uint64_t replicates) {
  auto runs = saturating_mul(cells, replicates);
  if (runs <= max_runs)
    return {};
  return std::to_string(cells) + " cells x " + std::to_string(replicates)
         + " replicates = "
         + (runs == std::numeric_limits<uint64_t>::max()
              ? std::string{"more than 2^64"}
              : std::to_string(runs))
         + " runs, more than the cap of " + std::to_string(max_runs);
}

} // namespace caf::consensus::sim::scenario_internal

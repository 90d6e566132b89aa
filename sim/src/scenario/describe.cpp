// caf-consensus sim: cell labels and the JSON form of a resolved cell.

#include "caf/consensus/sim/scenario/describe.hpp"

#include <algorithm>

#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/sim/agents/trace_book.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

std::string cell_label(const scenario& s, uint64_t cell) {
  if (s.sweep.empty())
    return {};
  auto coords = cell_coordinates(s, cell);
  std::string out;
  for (size_t i = 0; i < s.sweep.size(); ++i) {
    if (!out.empty())
      out += ", ";
    out += s.sweep[i].key + "=" + s.sweep[i].values[coords[i]];
  }
  return out;
}

json cell_json(const scenario& c) {
  auto& ps = c.ps;
  json p = json::object();
  p["policy"] = ps.policy;
  p["rounds"] = ps.rounds;
  p["k"] = ps.k;
  p["alpha"] = ps.alpha;
  p["beta_1"] = ps.beta_1;
  p["beta_2"] = ps.beta_2;
  p["timeout_ms"] = ps.timeout_ms;
  p["beta"] = ps.beta;
  p["alpha_preference"] = ps.alpha_preference;
  p["alpha_confidence"] = ps.alpha_confidence;
  p["luminance_weighted"] = ps.luminance_weighted;
  p["delta"] = ps.delta;
  p["max_calls"] = ps.max_calls;
  p["stop_on_unanimity"] = ps.stop_on_unanimity;
  p["extractor"] = to_string(ps.extractor);
  p["extractor_pattern"] = ps.extractor_pattern;
  json groups = json::array();
  for (auto& g : c.groups) {
    json lat = json::object();
    lat["dist"] = to_string(g.latency.type);
    lat["a"] = g.latency.a;
    lat["b"] = g.latency.b;
    if (!g.latency.values.empty())
      lat["values"] = g.latency.values;
    json tokens = json::object();
    tokens["dist"] = to_string(g.tokens.type);
    tokens["a"] = g.tokens.a;
    tokens["b"] = g.tokens.b;
    if (!g.tokens.values.empty())
      tokens["values"] = g.tokens.values;
    json answers = json::object();
    for (size_t i = 0; i < g.labels.size(); ++i)
      answers[g.labels[i]] = g.weights[i];
    groups.push_back(json{{"name", g.name},
                          {"count", g.count},
                          {"latency", lat},
                          {"fail", g.fail},
                          {"no_answer", g.no_answer},
                          {"crash_after", g.crash_after},
                          {"answers", answers},
                          {"behaviour", to_string(g.refine)},
                          {"conform_p", g.conform_p},
                          {"wrong_label", g.wrong_label},
                          {"noise", g.noise},
                          {"tokens", tokens}});
    if (g.kind != agent_kind::synthetic && g.trace) {
      // Only replay and empirical groups: synthetic descriptions (and the
      // fingerprints made of them) stay as they were.
      auto& x = groups.back();
      x["kind"] = to_string(g.kind);
      x["trace"] = g.trace->file;
      x["trace_calls"] = g.trace->data.calls.size();
      x["participant"] = g.trace->participants()[g.participant].id;
    }
  }
  json labels = json::object();
  for (size_t i = 0; i < c.world.labels.size(); ++i)
    labels[c.world.labels[i]] = c.world.templates[i];
  return json{{"params", p},
              {"agents", groups},
              {"labels", labels},
              {"ground_truth", c.world.ground_truth}};
}

std::string cell_value(const scenario& s, uint64_t cell, size_t axis) {
  auto coords = cell_coordinates(s, cell);
  auto& key = s.sweep[axis].key;
  auto& value = s.sweep[axis].values[coords[axis]];
  static const std::vector<std::string> policy_specific{"k",
                                                        "alpha",
                                                        "beta_1",
                                                        "beta_2",
                                                        "beta",
                                                        "alpha_preference",
                                                        "alpha_confidence",
                                                        "luminance_weighted",
                                                        "delta",
                                                        "max_calls"};
  if (std::find(policy_specific.begin(), policy_specific.end(), key)
      == policy_specific.end())
    return value;
  auto name = s.ps.policy;
  for (size_t i = 0; i < s.sweep.size(); ++i)
    if (s.sweep[i].key == "policy")
      name = s.sweep[i].values[coords[i]];
  auto pol = policy::make(name);
  if (!pol)
    return value;
  auto reads = (*pol)->reads();
  return std::find(reads.begin(), reads.end(), key) == reads.end() ? "-"
                                                                   : value;
}

} // namespace caf::consensus::sim

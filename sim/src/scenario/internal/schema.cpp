// caf-consensus sim: the scenario schema (key and value names).

#include "caf/consensus/sim/scenario/internal/schema.hpp"

namespace caf::consensus::sim::scenario_internal {

const std::vector<std::string>& top_keys() {
  static const std::vector<std::string> xs{
    "name",         "description", "prompt",     "policy", "params", "labels",
    "ground_truth", "agents",      "replicates", "seed",   "seeds",  "sweep"};
  return xs;
}

const std::vector<std::string>& param_keys() {
  static const std::vector<std::string> xs{"rounds",
                                           "k",
                                           "alpha",
                                           "beta_1",
                                           "beta_2",
                                           "timeout_ms",
                                           "beta",
                                           "alpha_preference",
                                           "alpha_confidence",
                                           "luminance_weighted",
                                           "delta",
                                           "max_calls",
                                           "stop_on_unanimity",
                                           "extractor",
                                           "extractor_pattern"};
  return xs;
}

const std::vector<std::string>& group_keys() {
  static const std::vector<std::string> xs{
    "name",  "count",  "latency", "answers", "behaviour", "wrong_label",
    "noise", "faults", "tokens",  "kind",    "trace",     "participant"};
  return xs;
}

const std::vector<std::string>& agent_kind_names() {
  static const std::vector<std::string> xs{"synthetic", "replay", "empirical"};
  return xs;
}

const std::vector<std::string>& recorded_group_keys() {
  static const std::vector<std::string> xs{"name", "count", "kind", "trace",
                                           "participant"};
  return xs;
}

const std::vector<std::string>& fault_keys() {
  static const std::vector<std::string> xs{"fail", "no_answer", "crash_after"};
  return xs;
}

const std::vector<std::string>& group_axis_fields() {
  static const std::vector<std::string> xs{"count",          "fail",
                                           "no_answer",      "crash_after",
                                           "noise",          "behaviour",
                                           "conform_p",      "wrong_label",
                                           "latency",        "latency.<field>",
                                           "answers.<label>"};
  return xs;
}

std::vector<std::string> axis_keys() {
  auto xs = param_keys();
  xs.emplace_back("policy");
  xs.emplace_back("agents.<group>.<field>");
  return xs;
}

const std::vector<std::string>& behaviour_names() {
  static const std::vector<std::string> xs{
    "stubborn",    "resample",  "copy-peer", "majority", "conform:P",
    "fixed-wrong", "flip-flop", "balancing", "repeat",   "follow-policy"};
  return xs;
}

const std::vector<std::string>& dist_names() {
  static const std::vector<std::string> xs{
    "constant", "uniform", "normal", "lognormal", "exponential", "empirical"};
  return xs;
}

namespace {

std::string unitless(const std::string& name) {
  if (name == "ms")
    return "value";
  if (name.size() > 3 && name.compare(name.size() - 3, 3, "_ms") == 0)
    return name.substr(0, name.size() - 3);
  return name;
}

std::pair<std::string, std::string> latency_fields(latency_model::kind x) {
  using k = latency_model::kind;
  switch (x) {
    case k::constant:
      return {"ms", ""};
    case k::uniform:
      return {"min_ms", "max_ms"};
    case k::normal:
      return {"mean_ms", "sd_ms"};
    case k::lognormal:
      return {"median_ms", "sigma"};
    case k::exponential:
      return {"mean_ms", ""};
    case k::empirical:
      return {"", ""};
  }
  return {"", ""};
}

} // namespace

std::pair<std::string, std::string> dist_fields(latency_model::kind x,
                                                bool tokens) {
  auto fields = latency_fields(x);
  if (tokens) {
    fields.first = unitless(fields.first);
    fields.second = unitless(fields.second);
  }
  return fields;
}

std::string dist_name(latency_model::kind x) {
  return dist_names()[static_cast<size_t>(x)];
}

} // namespace caf::consensus::sim::scenario_internal

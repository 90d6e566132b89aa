// caf-consensus sim: setting one field of the params or of an agent group
// from a value.

#include "caf/consensus/sim/scenario/internal/setters.hpp"

#include <algorithm>

#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"

namespace caf::consensus::sim::scenario_internal {

void set_policy(params& ps, const value& v) {
  auto x = to_str(v);
  auto known = policy::names();
  if (std::find(known.begin(), known.end(), x) == known.end())
    fail(v.line, v.key, "unknown policy " + quote(x) + accepted(known));
  ps.policy = std::move(x);
}

void set_param(params& ps, const std::string& name, const value& v) {
  if (name == "rounds") {
    ps.rounds = static_cast<int32_t>(to_int(v, 0, max_rounds));
  } else if (name == "k") {
    ps.k = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha") {
    ps.alpha = to_num(v, -inf, inf);
  } else if (name == "beta_1") {
    ps.beta_1 = to_num(v, -inf, inf);
  } else if (name == "beta_2") {
    ps.beta_2 = to_num(v, -inf, inf);
  } else if (name == "timeout_ms") {
    ps.timeout_ms = to_int(v, 1, int64_max);
  } else if (name == "beta") {
    ps.beta = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha_preference") {
    ps.alpha_preference = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha_confidence") {
    ps.alpha_confidence = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "luminance_weighted") {
    ps.luminance_weighted = to_bool(v);
  } else if (name == "delta") {
    ps.delta = to_num(v, -inf, inf);
  } else if (name == "max_calls") {
    ps.max_calls = to_int(v, 0, int64_max);
  } else if (name == "stop_on_unanimity") {
    ps.stop_on_unanimity = to_bool(v);
  } else if (name == "extractor") {
    auto x = to_str(v);
    if (x == "normalized-text" || !from_string(x, ps.extractor))
      fail(v.line, v.key,
           "unknown extractor " + quote(x)
             + accepted({"text", "last-number", "regex"}));
  } else if (name == "extractor_pattern") {
    ps.extractor_pattern = to_str(v);
  } else {
    fail(v.line, v.key, "unknown key" + accepted(param_keys()));
  }
}

void set_behaviour(agent_group& g, const value& v) {
  auto x = to_str(v);
  using b = behaviour;
  if (x == "stubborn")
    g.refine = b::stubborn;
  else if (x == "resample")
    g.refine = b::resample;
  else if (x == "copy-peer")
    g.refine = b::copy_peer;
  else if (x == "majority")
    g.refine = b::majority;
  else if (x == "fixed-wrong")
    g.refine = b::fixed_wrong;
  else if (x == "flip-flop")
    g.refine = b::flip_flop;
  else if (x == "balancing")
    g.refine = b::balancing;
  else if (x == "repeat")
    g.refine = b::repeat;
  else if (x == "follow-policy")
    g.refine = b::follow_policy;
  else if (x == "conform")
    g.refine = b::conform;
  else if (x.compare(0, 8, "conform:") == 0) {
    auto p = parse_num(x.substr(8));
    if (!p || *p < 0 || *p > 1)
      fail(v.line, v.key,
           "expected conform:P with P in [0, 1], got " + quote(x));
    g.refine = b::conform;
    g.conform_p = *p;
  } else {
    fail(v.line, v.key,
         "unknown behaviour " + quote(x) + accepted(behaviour_names()));
  }
}

void set_crash_after(agent_group& g, const value& v) {
  if (v.type == value::kind::null) {
    g.crash_after = -1;
    return;
  }
  auto x = v.type == value::kind::scalar && v.plain ? parse_int<int64_t>(v.text)
                                                    : std::nullopt;
  if (!x || *x < 0 || *x > int32_max)
    expected_(v, "an integer in [0, " + std::to_string(int32_max)
                   + "] or null (never crashes)");
  g.crash_after = static_cast<int32_t>(*x);
}

} // namespace caf::consensus::sim::scenario_internal

// caf-consensus sim: setting one field of the params or of an agent group
// from a value (shared by the file parser and the sweep axes).

#pragma once

#include <string>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"

namespace caf::consensus::sim::scenario_internal {

/// Sets the policy (one of `policy::names()`).
void set_policy(params& ps, const value& v);

/// Sets params key `name` (one of `param_keys()`).
void set_param(params& ps, const std::string& name, const value& v);

/// Sets the group's behaviour (`stubborn`, ..., `conform:P`).
void set_behaviour(agent_group& g, const value& v);

/// Sets the round after which the group's agents crash (null: never).
void set_crash_after(agent_group& g, const value& v);

} // namespace caf::consensus::sim::scenario_internal

// caf-consensus sim: sweep axes: what an axis key sets, and applying one of
// its values to the params and groups.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"

namespace caf::consensus::sim::scenario_internal {

/// What an axis key sets.
struct target {
  enum class kind { param, policy, group };
  kind type = kind::param;
  /// Param name or group field (`latency.a`, `latency.b`, `answers`, ...).
  std::string field;
  size_t group = 0;
  /// For `answers.<label>`.
  std::string label;
};

/// Parses an axis key against the groups and labels it applies to. Throws
/// a failure naming `path` at `line`.
target
parse_axis_key(const std::string& key, const std::vector<agent_group>& groups,
               const agent_world& world, const std::string& path, int line);

/// Applies value `v` to axis `key`.
void apply_axis(params& ps, std::vector<agent_group>& groups,
                agent_world& world, const std::string& key,
                const std::string& path, int key_line, const value& v);

/// Returns `x * y`, or the largest uint64_t if that overflows.
uint64_t saturating_mul(uint64_t x, uint64_t y);

/// Returns why `cells` x `replicates` runs exceed the cap on runs, or an
/// empty string when they do not.
std::string runs_over_cap(uint64_t cells, uint64_t replicates);

} // namespace caf::consensus::sim::scenario_internal

// caf-consensus sim: the whole-scenario check (everything that spans several
// keys, and the protocol parameters through the policy's own validation).

#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/params.hpp"
#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::scenario_internal {

/// A problem found by `check`: the key to blame and what is wrong.
struct issue {
  std::string key;
  std::string problem;
};

/// What `check_each` may rely on. Parts of a scenario that failed to parse
/// hold defaults: checking them would only report consequences.
struct check_scope {
  /// The policy and every params key parsed.
  bool params = true;
  /// The labels (listed or derived from the answers) and the ground truth
  /// parsed, and the ground truth is one of the labels.
  bool labels = true;
  /// The agents list and every group parsed (the totals over all groups,
  /// the policy's `validate` and agent id collisions need them all).
  bool agents = true;
  /// The groups that failed to parse, by index (empty: none).
  std::vector<bool> bad_groups;
};

/// Receives one problem; returns false to stop the check.
using issue_sink = std::function<bool(issue)>;

/// Checks everything that spans several keys within `scope` (and the
/// protocol parameters through the policy's own `validate`), passing each
/// problem to `f` in the order `check` would find them.
void check_each(const params& ps, const std::vector<agent_group>& groups,
                const agent_world& world, const check_scope& scope,
                const issue_sink& f);

/// Returns the first problem `check_each` finds in the whole scenario.
std::optional<issue> check(const params& ps,
                           const std::vector<agent_group>& groups,
                           const agent_world& world);

} // namespace caf::consensus::sim::scenario_internal

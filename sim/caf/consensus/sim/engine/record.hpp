// caf-consensus sim: recording simulated runs as traces, and the scenario
// that replays a trace.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/trace.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

/// Returns the trace header of `cell`'s runs: its parameters and one
/// participant per agent (model `synthetic:<group>`, `replay:<participant>`
/// or `empirical:<participant>`).
connectors::trace_header trace_header_of(const scenario& cell);

/// Runs replicates 0 .. `replicates - 1` of the resolved cell `cell` on the
/// inline engine and writes every call and each run's outcome to `out`: run
/// `run-<i>`, prompt `prompt-<i>` (each replicate stands for one prompt),
/// key: the ground truth. Returns the final states.
expected<std::vector<state>> record_runs(const scenario& cell,
                                         uint64_t replicates,
                                         connectors::trace_writer& out);

/// Returns `name` (a label or group name) as a YAML scalar that reads back
/// as the string `name`: plain when it starts with a letter and is no YAML
/// null or boolean word (`null`, `true`, `no`, `off`, ... in any case),
/// double-quoted otherwise (`"42"`, `"null"`, `"-1"`).
std::string yaml_name(const std::string& name);

/// Returns the `params:` section of a scenario file with every parameter of
/// `ps` but `policy` and `seed` (YAML, ending in a newline).
std::string params_yaml(const params& ps);

/// Returns a scenario (YAML) that replays every recorded run of `x` with
/// outcome: the header's parameters, one `replay` group per participant
/// reading `trace_path`, and the recorded run seeds under `seeds:`.
/// Participant ids that are not scenario identifiers are an error.
expected<std::string> replay_scenario_text(const connectors::trace& x,
                                           const std::string& trace_path);

} // namespace caf::consensus::sim

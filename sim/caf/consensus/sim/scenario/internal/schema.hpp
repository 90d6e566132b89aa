// caf-consensus sim: the scenario schema: the keys a file may hold, the
// names it accepts and its size limits.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/sim/agents/agents.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim::scenario_internal {

// -- limits -------------------------------------------------------------------

constexpr uint64_t max_agents = 100'000;
constexpr uint64_t max_runs = 1'000'000'000;
constexpr uint64_t max_replicates = 1'000'000'000;
constexpr uint64_t max_axis_values = 100'000;
constexpr uint64_t max_seeds = 1'000'000;
constexpr int64_t max_rounds = 1'000'000;
constexpr size_t max_file_size = max_scenario_file_bytes;
/// Values (scalars, lists, maps) in a file, and elements of one list: they
/// bound the memory of reading a file (yaml-cpp takes about 500 bytes a
/// value) at about 250 MB, whatever the file holds.
constexpr uint64_t max_nodes = 500'000;
constexpr uint64_t max_list_elements = 100'000;
/// Peer texts a run may show in one round (agents x min(k, agents - 1)):
/// about 1.8 GB of prompts at the cap (100,000 agents with k = 100).
constexpr uint64_t max_peer_views_per_round = 10'000'000;
/// Peer texts a run may show over all its rounds (about 5 minutes of work).
constexpr uint64_t max_peer_views_per_run = 1'000'000'000;

// -- names --------------------------------------------------------------------

/// Top-level keys of a scenario file.
const std::vector<std::string>& top_keys();

/// Keys of `params` (and sweepable protocol parameters).
const std::vector<std::string>& param_keys();

/// Keys of one group of `agents`.
/// Names of the agent kinds (`kind:` of a group).
const std::vector<std::string>& agent_kind_names();

/// Keys of a replay or empirical group.
const std::vector<std::string>& recorded_group_keys();

const std::vector<std::string>& group_keys();

/// Keys of a group's `faults`.
const std::vector<std::string>& fault_keys();

/// Group fields a sweep may set (`agents.<group>.<field>`).
const std::vector<std::string>& group_axis_fields();

/// Keys a sweep may set: the params, `policy` and `agents.<group>.<field>`.
std::vector<std::string> axis_keys();

/// Names of the answer behaviours.
const std::vector<std::string>& behaviour_names();

/// Names of the latency distributions (in `latency_model::kind` order).
const std::vector<std::string>& dist_names();

/// The file's field names of a distribution's `a` and `b` (empty: unused):
/// `ms`, `min_ms`, ... for latency; `value`, `min`, ... for token counts.
std::pair<std::string, std::string> dist_fields(latency_model::kind x,
                                                bool tokens = false);

/// Returns the name of distribution `x`.
std::string dist_name(latency_model::kind x);

} // namespace caf::consensus::sim::scenario_internal

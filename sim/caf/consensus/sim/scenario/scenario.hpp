// caf-consensus sim: scenario files (YAML; JSON accepted).

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim {

/// One swept dimension: a key and its values (as written in the file, kept
/// as YAML scalars in text form; `apply_axis` converts and checks them).
struct sweep_axis {
  /// `rounds`, `k`, `alpha`, `beta_1`, `beta_2`, `policy`, `timeout_ms`,
  /// `beta`, `alpha_preference`, `alpha_confidence`, or
  /// `agents.<group>.<field>` (count, fail, no_answer, crash_after, noise,
  /// behaviour, conform_p, latency.a, latency.b ...).
  std::string key;
  std::vector<std::string> values;
  /// Line in the file (for error messages).
  int line = 0;
  /// Line of every value (aligned with `values`; may be empty, then `line`
  /// stands for all of them).
  std::vector<int> lines;
};

/// Largest scenario file (bytes) `load_scenario` and remote workers accept
/// unless asked for more (`--max-scenario-mib`).
constexpr size_t max_scenario_file_bytes = size_t{8} << 20;

/// The most one may ask for: the largest message a worker takes in.
constexpr size_t max_scenario_file_bytes_limit = size_t{64} << 20;

/// A resolved scenario (one sweep cell once an assignment is applied).
struct scenario {
  /// File it came from and its name (`name:`, default: file stem).
  std::string file;
  std::string name;
  std::string description;
  /// The prompt synthetic agents are asked (only shown in prompts).
  std::string prompt = "What is the answer?";
  params ps;
  std::vector<agent_group> groups;
  agent_world world;
  /// Replicates per cell and the scenario seed (any integer; run seeds are
  /// derived from it modulo 2^64).
  uint64_t replicates = 100;
  rng::seed seed;
  /// Explicit per-replicate run seeds (from `seeds:`, integers of any size):
  /// replicate i of every cell runs with seed `seeds[i]` itself (`hanzo`
  /// seeds Python's generator with the whole integer). Empty: derived from
  /// `seed`.
  std::vector<rng::seed> seeds;
  /// Sweep axes in file order; the grid is their cartesian product (the last
  /// axis varies fastest).
  std::vector<sweep_axis> sweep;
  /// Hash of the file's bytes (hex SHA-like FNV-1a 64 of the canonical text).
  std::string hash;
};

/// Most problems the error of a scenario file lists: the parser goes on
/// after a problem where it can, and keeps the first ones in file order.
constexpr size_t max_scenario_problems = 20;

/// The problems found in a scenario file.
struct scenario_problems {
  /// The first `max_scenario_problems` in file order, each
  /// `FILE:LINE: key 'KEY': PROBLEM` (or a problem with the whole file, such
  /// as a YAML syntax error, which is reported alone).
  std::vector<std::string> shown;
  /// How many were found in all (`shown.size()` or more).
  size_t total = 0;
};

/// Loads and validates a scenario file. Errors have the form
/// `FILE:LINE: key 'KEY': MESSAGE (accepted: ...)`, one line per problem (in
/// file order, at most `max_scenario_problems`, then a line
/// `FILE: ... and N more problems`). On an error, `problems` (unless null)
/// receives them one by one.
expected<scenario> load_scenario(const std::string& path,
                                 size_t max_bytes = max_scenario_file_bytes,
                                 scenario_problems* problems = nullptr);

/// Parses scenario text; `origin` names it in errors (as `load_scenario`).
expected<scenario> parse_scenario(const std::string& text,
                                  const std::string& origin,
                                  scenario_problems* problems = nullptr);

/// Returns whether `x` may name a label, group or agent in a scenario file:
/// non-empty, only letters, digits, '_' and '-'.
bool is_scenario_name(const std::string& x);

/// Returns the number of cells of the sweep grid (1 without a sweep).
uint64_t cell_count(const scenario& s);

/// Returns the value index of every axis for cell `cell`.
std::vector<size_t> cell_coordinates(const scenario& s, uint64_t cell);

/// Returns the scenario with cell `cell`'s sweep values applied (and
/// validated: e.g. a swept `k` of 0 under metastable is an error naming the
/// axis and value).
expected<scenario> resolve_cell(const scenario& s, uint64_t cell);

/// Returns the participant ids of `s` in order (groups expanded).
std::vector<std::string> participant_ids(const scenario& s);

/// Returns the agents of `s` (aligned with `participant_ids`).
std::vector<agent> make_agents(const scenario& s);

} // namespace caf::consensus::sim

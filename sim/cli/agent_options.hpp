// consensus-sim: the agent and protocol-parameter options shared by `ask`
// and `mcp-serve`.

#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/params.hpp"

namespace caf::consensus::cli {

/// Raw values of the agent and parameter flags.
struct mesh_flags {
  std::vector<std::string> agents;
  std::string agents_file;
  // Applied to agents given with --agent.
  std::string tool;
  std::string prompt_arg;
  std::string bearer_env;
  std::string api_key_env;
  std::string system;
  std::optional<double> temperature;
  int32_t max_tokens = 0;
  int32_t max_retries = 3;
  // Protocol parameters (unset: file value, else the default).
  std::optional<int32_t> rounds;
  std::optional<int32_t> k;
  std::optional<double> alpha;
  std::optional<double> beta_1;
  std::optional<double> beta_2;
  std::optional<std::string> policy;
  /// `--seed` as given (an integer of any size, parsed when applied).
  std::optional<std::string> seed;
  std::optional<int64_t> timeout_ms;
  std::optional<int32_t> alpha_preference;
  std::optional<int32_t> alpha_confidence;
  std::optional<int32_t> beta;
  bool luminance_weighted = false;
  std::optional<double> delta;
  std::optional<int64_t> max_calls;
  std::optional<std::string> extractor;
  std::optional<std::string> extractor_pattern;
  bool stop_on_unanimity = false;
  /// `--startup-timeout-ms` (unset: the file's value, else 30000).
  std::optional<int64_t> startup_timeout_ms;
};

/// The resolved mesh: agents in order and parameters.
struct mesh_config {
  std::vector<connectors::agent_spec> agents;
  /// Where each agent was given: `FILE: agent #N`, or empty for `--agent`.
  std::vector<std::string> sources;
  params ps;
  /// Bound of every agent's start-up before round 0, in milliseconds.
  int64_t startup_timeout_ms = 30000;

  /// Returns how to fix `setting` (`tool`, `prompt_argument`) of the agent
  /// with id `id`: the flag for `--agent` specs, the key for a file's agents.
  std::string fix_hint(const std::string& id, const std::string& setting) const;
};

/// Adds the agent options (`--agent`, `--agents`, `--tool`, ...) to `desc`.
void add_agent_options(boost::program_options::options_description& desc,
                       mesh_flags& fl);

/// Adds the protocol parameter options (`--rounds`, `--k`, ...) to `desc`.
void add_param_options(boost::program_options::options_description& desc,
                       mesh_flags& fl);

/// Returns the help text that documents the agent spec forms and the
/// agents file.
const char* agents_help();

/// Resolves the flags: reads the agents file (YAML or JSON: `agents:` list
/// and optional `params:` mapping), parses `--agent` specs, applies the
/// per-agent flags, overrides parameters with the flags, and checks
/// everything (unique ids, parameters in range). Errors name the file, the
/// agent and the key.
expected<mesh_config> resolve_mesh(const mesh_flags& fl);

/// Applies parameter keys from a JSON object (`rounds`, `k`, `alpha`,
/// `beta_1`, `beta_2`, `policy`, `seed`, `timeout_ms`, `alpha_preference`,
/// `alpha_confidence`, `beta`, `luminance_weighted`, `delta`, `max_calls`,
/// `extractor`,
/// `extractor_pattern`, `stop_on_unanimity`) to `ps`. Unknown keys and
/// wrong types are errors prefixed with `where`; keys in `skip` are ignored.
error apply_params(const connectors::json& obj, params& ps,
                   const std::string& where,
                   const std::vector<std::string>& skip = {});

} // namespace caf::consensus::cli

// caf-consensus sim: conformance files (the schema of
// shared/conformance/hanzo-0.1.0.json) and their replay.

#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/actor_system.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

/// One case: its inputs, the scripted results, and the expected output.
struct conformance_case {
  std::string name;
  std::string prompt;
  std::vector<std::string> participants;
  params ps;
  /// `script[i][r]`: what participant i returns in round r.
  std::vector<std::vector<result>> script;
  /// The expected `output` object (may be null for replay-only files).
  nlohmann::json expected;
};

/// Reads a conformance file. Errors name the file, the case and the field.
expected<std::vector<conformance_case>>
load_conformance(const std::string& path);

/// Parses conformance JSON text (`origin` names it in errors).
expected<std::vector<conformance_case>>
parse_conformance(const std::string& text, const std::string& origin);

/// What replaying a case produced.
struct case_run {
  state st;
  /// Prompt received by each participant in each round: `prompts[r][i]`.
  std::vector<std::vector<std::string>> prompts;
};

/// Replays `c` through the real coordinator and participant actors in `sys`,
/// with scripted participants, under policy `policy` (empty: the case's).
expected<case_run> replay_actors(actor_system& sys, const conformance_case& c,
                                 const std::string& policy = {});

/// Replays `c` with the inline engine.
expected<case_run> replay_inline(const conformance_case& c,
                                 const std::string& policy = {});

/// Compares a run with the case's expected output, every field exactly
/// (floats bit for bit). Returns an empty string when equal, otherwise a
/// description of the first differing field.
std::string compare(const conformance_case& c, const case_run& run);

/// Returns the replay record of a run (one JSON object per case).
nlohmann::json to_json(const conformance_case& c, const case_run& run);

} // namespace caf::consensus::sim

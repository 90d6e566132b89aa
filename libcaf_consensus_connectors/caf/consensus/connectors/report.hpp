// caf-consensus: a consensus outcome as JSON (for `ask --json` and the
// consensus MCP tool).

#pragma once

#include <string>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::connectors {

/// Returns the agreed answer: the synthesis, or else the winner's latest ok
/// response (empty when there is no winner).
std::string agreed_answer(const state& st);

/// Returns the outcome as JSON: `answer`, `winner`, `finalized`,
/// `synthesis`, `policy`, `stop_reason`, `rounds_executed`, `calls`,
/// `failures`, `timeouts`, `elapsed_ms`, and per participant (in order)
/// `id`, `confidence`, `luminance`, `score`, `answer` (latest ok response),
/// `error` (latest failure), and `rounds` (every response: round, ok, ms,
/// text or error).
json state_to_json(const state& st);

} // namespace caf::consensus::connectors

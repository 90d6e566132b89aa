// caf-consensus: agents described as text (`id=mcp+stdio:CMD`) or JSON.

#pragma once

#include <string>
#include <variant>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/openai_agent.hpp"

namespace caf::consensus::connectors {

/// One configured agent: an MCP server or an OpenAI-compatible model.
using agent_spec = std::variant<mcp_agent, openai_agent>;

/// Returns the id of `x`.
const std::string& id_of(const agent_spec& x);

/// Returns `mcp+stdio: ...`, `mcp+http: ...` or `openai: ...`.
std::string describe(const agent_spec& x);

/// Parses the command-line form:
///
/// - `ID=mcp+stdio:COMMAND LINE` (split like a shell, no substitutions)
/// - `ID=mcp+http:URL`
/// - `ID=openai:BASE_URL#MODEL`
///
/// Errors quote the spec and name the accepted forms.
expected<agent_spec> parse_agent_spec(const std::string& text);

/// Parses one agent object of an agents file. Keys: `id` and exactly one of
/// `spec` (the command-line form without `ID=`), `command` (string or list),
/// `endpoint`, `openai` (base URL); MCP: `tool`, `prompt_argument`,
/// `arguments`, `env`, `headers`, `bearer_env`, `timeout_ms`,
/// `max_message_bytes`; OpenAI: `model`, `api_key_env`, `system`,
/// `temperature`, `max_tokens`, `headers`, `max_retries`, `backoff_ms`,
/// `max_backoff_ms`, `timeout_ms`, `max_response_bytes`. Unknown keys are
/// errors. `where` prefixes error messages (`agents.yaml: agent #2`).
expected<agent_spec> agent_spec_from_json(const json& x,
                                          const std::string& where);

/// Returns an agent for `x` (`default_timeout_ms` applies when the spec sets
/// no timeout).
agent_ptr make_agent(const agent_spec& x, int64_t default_timeout_ms);

/// Returns the spec as JSON for reports; header and environment values
/// (which may be secrets) appear by name only.
json to_json(const agent_spec& x);

} // namespace caf::consensus::connectors

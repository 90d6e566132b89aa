// caf-consensus: a mesh of MCP agents and consensus over it (Python:
// `MCPMesh`, `run_mcp_consensus`, `create_mesh`).

#pragma once

#include <map>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::connectors {

/// The agents of an MCP mesh, in registration order.
class mcp_mesh {
public:
  /// Adds (or replaces) an agent after checking it.
  error add(mcp_agent x);

  /// Adds an agent with an endpoint (`http...`) or a command line.
  error add(const std::string& id, const std::string& endpoint_or_command);

  /// Removes an agent (Python: `unregister`).
  void remove(const std::string& id);

  /// Returns the agent `id` or null (Python: `get`).
  const mcp_agent* get(const std::string& id) const;

  /// Returns the ids in registration order (Python: `participant_ids`).
  std::vector<std::string> participant_ids() const;

  size_t size() const noexcept {
    return agents_.size();
  }

  const std::vector<mcp_agent>& agents() const noexcept {
    return agents_;
  }

  /// Calls tool `name` on agent `to` once over a fresh connection (Python:
  /// `call`).
  expected<tool_result> call(const std::string& to, const std::string& name,
                             json arguments, int64_t timeout_ms = 60000) const;

private:
  std::vector<mcp_agent> agents_;
};

/// Runs one consensus over the mesh: every agent is a participant that calls
/// its MCP tool with the round's prompt. As in Python, `k` is capped at the
/// number of agents.
expected<state> run_mcp_consensus(const mcp_mesh& mesh,
                                  const std::string& prompt, params ps = {},
                                  run_options opts = {});

/// Builds a mesh from `id -> endpoint or command line` (Python:
/// `create_mesh`); values starting with `http://` or `https://` are
/// endpoints.
expected<mcp_mesh>
create_mesh(const std::map<std::string, std::string>& agents);

/// Python-style name.
using MCPMesh = mcp_mesh;

} // namespace caf::consensus::connectors

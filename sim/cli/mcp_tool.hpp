// caf-consensus sim: the `consensus` tool of `consensus-sim mcp-serve`, which
// runs a consensus among the configured agents for each tool call.

#pragma once

#include <atomic>

#include "caf/actor_system.hpp"

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_server.hpp"
#include "cli/agent_options.hpp"

namespace caf::consensus::cli {

/// Runs consensus runs for tool calls, at most `max_runs` at a time.
class consensus_service {
public:
  consensus_service(mesh_config cfg, actor_system& sys, int max_runs);

  /// Returns the tool's description, input schema and handler.
  connectors::mcp_tool tool();

  /// Runs one tool call; errors are tool results with `isError` set.
  connectors::json call(const connectors::json& args);

private:
  mesh_config cfg_;
  actor_system& sys_;
  int max_runs_;
  std::atomic<int> running_{0};
};

} // namespace caf::consensus::cli

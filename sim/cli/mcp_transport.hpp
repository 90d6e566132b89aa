// caf-consensus sim: the transports of `consensus-sim mcp-serve`: stdio and
// Streamable HTTP in front of one MCP server.

#pragma once

#include <signal.h>

#include <cstddef>
#include <string>
#include <vector>

#include "caf/consensus/connectors/mcp_server.hpp"

namespace caf::consensus::cli {

/// The largest request either transport accepts.
constexpr size_t max_request_bytes = 4 * 1024 * 1024;

/// Serves newline-delimited JSON-RPC on stdin/stdout until end of input; tool
/// calls run on threads of their own. Returns the exit status.
int serve_stdio(connectors::mcp_server& srv);

/// Serves Streamable HTTP on `host`:`port` (0: any free port) at `path`
/// until one of `stop_signals` arrives. Browsers may connect from localhost
/// and from `origins`. Returns the exit status.
int serve_http(connectors::mcp_server& srv, const std::string& host, int port,
               const std::string& path, const std::vector<std::string>& origins,
               const sigset_t& stop_signals);

} // namespace caf::consensus::cli

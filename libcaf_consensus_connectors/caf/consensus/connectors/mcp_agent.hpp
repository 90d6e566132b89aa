// caf-consensus: an agent that is an MCP server (Python: `MCPAgent`).

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// Tools tried in this order when `mcp_agent::tool` is empty (the Python
/// package's `discuss` fallbacks).
const std::vector<std::string>& default_tool_names();

/// An agent in an MCP mesh: an id plus either a command (stdio transport) or
/// an endpoint (Streamable HTTP transport), optional headers, and the tool
/// to call with the round's prompt.
struct mcp_agent {
  /// Participant id.
  std::string id;
  /// Server command (stdio): program and arguments.
  std::vector<std::string> command;
  /// Extra environment variables of the server process (stdio).
  std::map<std::string, std::string> env;
  /// Server endpoint (Streamable HTTP), e.g. `http://127.0.0.1:3000/mcp`.
  std::string endpoint;
  /// Extra HTTP headers (HTTP).
  std::map<std::string, std::string> headers;
  /// Name of an environment variable holding a bearer token; sent as
  /// `Authorization: Bearer <token>` (HTTP). Unset variable: an error.
  std::string bearer_env;
  /// Tool to call; empty: the first of `default_tool_names()` the server
  /// lists.
  std::string tool;
  /// Argument that carries the prompt.
  std::string prompt_argument = "prompt";
  /// Further fixed arguments of every call (an object).
  json arguments = json::object();
  /// Per-call timeout in milliseconds (0: the run's `params::timeout_ms`).
  int64_t timeout_ms = 0;
  /// Size limits on what the server may send.
  io_limits limits;

  /// Returns whether the agent uses the stdio transport.
  bool stdio() const noexcept {
    return !command.empty();
  }

  /// Checks the configuration (id, exactly one of command and endpoint, URL
  /// syntax, argument names).
  error validate() const;

  /// Returns `mcp+stdio: CMD` or `mcp+http: URL`.
  std::string describe() const;
};

/// An `agent` that talks to one MCP server. It connects on the first call,
/// picks the tool (checking that it takes the prompt argument), and calls it
/// once per request; a broken connection is re-opened on the next call. The
/// result's `ms` is the latency of the tool call.
class mcp_agent_connection : public agent {
public:
  /// `default_timeout_ms` applies when `cfg.timeout_ms` is 0.
  mcp_agent_connection(mcp_agent cfg, int64_t default_timeout_ms);

  ~mcp_agent_connection() override;

  const std::string& id() const override {
    return cfg_.id;
  }

  std::string describe() const override {
    return cfg_.describe();
  }

  result execute(const request& req) override;

  void close() override;

  /// Starts the server (stdio) or opens the session (HTTP), initializes it
  /// and resolves the tool, all within `timeout`; later calls use the
  /// per-call timeout. A missing tool or prompt argument is reported as a
  /// misconfiguration (`tool`, `prompt_argument`) and every later `execute`
  /// fails with the same message without contacting the server again.
  readiness prepare(std::chrono::milliseconds timeout) override;

  /// Connects (if needed) and resolves the tool; returns its name.
  expected<std::string> ensure_ready();

  /// Returns the client (null before the first connect).
  mcp_client* client() noexcept {
    return client_.get();
  }

private:
  /// Connects with requests bounded by `timeout` and resolves the tool.
  readiness resolve(std::chrono::milliseconds timeout);

  mcp_agent cfg_;
  int64_t timeout_ms_;
  std::unique_ptr<mcp_client> client_;
  std::string tool_;
  /// A misconfiguration found earlier (retrying cannot fix it).
  readiness misconfigured_;
};

/// Creates the transport that `cfg` describes.
expected<std::unique_ptr<mcp_transport>> make_transport(const mcp_agent& cfg);

/// Returns an agent for `cfg`.
agent_ptr make_agent(mcp_agent cfg, int64_t default_timeout_ms);

/// Python-style name.
using MCPAgent = mcp_agent;

} // namespace caf::consensus::connectors

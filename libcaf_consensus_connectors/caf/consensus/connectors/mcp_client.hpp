// caf-consensus: an MCP client (lifecycle, tools/list, tools/call).

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// A tool as listed by `tools/list`.
struct tool_info {
  std::string name;
  std::string description;
  /// JSON Schema of the arguments (an object schema).
  json input_schema;
};

/// The outcome of `tools/call`.
struct tool_result {
  /// The `text` of every text content item, joined with newlines.
  std::string text;
  /// The raw `content` array.
  json content;
  /// `structuredContent`, if any.
  json structured;
  /// Whether the tool reported an error (`isError`).
  bool is_error = false;
};

/// Options of an MCP client.
struct mcp_client_options {
  std::string client_name = "caf-consensus";
  std::string client_version = "0.3.0";
  /// Bound of every request (initialize, tools/list, tools/call).
  std::chrono::milliseconds timeout{60000};
  /// Most pages followed in `tools/list`.
  int32_t max_list_pages = 16;
};

/// An MCP client over any transport. Lifecycle (MCP 2025-06-18): `connect`
/// opens the transport, sends `initialize` with the newest protocol version
/// we speak, checks the server's choice against the versions we support and
/// sends `notifications/initialized`; `close` ends the connection (stdio:
/// close stdin, SIGTERM, SIGKILL; HTTP: DELETE the session).
///
/// Every request is bounded by `mcp_client_options::timeout`; on timeout the
/// client sends `notifications/cancelled` and fails the call, and a late
/// response is dropped. Server requests arriving meanwhile are answered
/// (`ping` with an empty result, anything else with "method not found");
/// server notifications are ignored. Errors from the server, malformed JSON,
/// oversized messages and a dead server are errors naming what went wrong;
/// after one that leaves the transport unusable, `connected()` is false.
class mcp_client {
public:
  // -- constructors -----------------------------------------------------------

  mcp_client(std::unique_ptr<mcp_transport> transport,
             mcp_client_options opts = {});

  ~mcp_client();

  mcp_client(const mcp_client&) = delete;
  mcp_client& operator=(const mcp_client&) = delete;

  // -- protocol versions ------------------------------------------------------

  /// Returns the protocol versions this client speaks, newest first.
  static const std::vector<std::string>& supported_versions();

  // -- lifecycle --------------------------------------------------------------

  /// Opens the transport and runs the initialization handshake.
  error connect();

  /// Returns whether the client is initialized and the transport usable.
  bool connected() const;

  /// Ends the connection (waits at most `grace` for a clean end).
  void close(std::chrono::milliseconds grace = std::chrono::milliseconds{500});

  // -- requests ---------------------------------------------------------------

  /// Lists all tools (follows `nextCursor`).
  expected<std::vector<tool_info>> list_tools();

  /// Calls tool `name` with `arguments` (an object). A tool that reports an
  /// error (`isError`) is a result with `is_error` set, not an error.
  expected<tool_result> call_tool(const std::string& name, json arguments);

  /// Sends request `method` and returns its result.
  expected<json> request(const std::string& method, json params);

  /// Sends notification `method`.
  error notify(const std::string& method, json params);

  // -- observers --------------------------------------------------------------

  /// Returns the negotiated protocol version (empty before `connect`).
  const std::string& protocol_version() const noexcept {
    return version_;
  }

  /// Returns the server's `serverInfo` (name, version).
  const json& server_info() const noexcept {
    return server_info_;
  }

  /// Returns the server's capabilities.
  const json& server_capabilities() const noexcept {
    return capabilities_;
  }

  mcp_transport& transport() noexcept {
    return *transport_;
  }

  const mcp_client_options& options() const noexcept {
    return opts_;
  }

  /// Sets the bound of the requests that follow (e.g. a generous one for
  /// start-up, then the per-call one).
  void set_timeout(std::chrono::milliseconds timeout) noexcept {
    opts_.timeout = timeout;
  }

private:
  expected<json> exchange(const std::string& method, json params,
                          time_point deadline);

  void answer_server_request(const json_rpc::message& msg, time_point deadline);

  std::unique_ptr<mcp_transport> transport_;
  mcp_client_options opts_;
  int64_t next_id_ = 1;
  bool initialized_ = false;
  std::string version_;
  json server_info_;
  json capabilities_;
};

/// Returns the text of a `tools/call` result; fails on a malformed one.
expected<tool_result> parse_tool_result(const json& result);

} // namespace caf::consensus::connectors

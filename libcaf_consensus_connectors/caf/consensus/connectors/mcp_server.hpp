// caf-consensus: the protocol side of an MCP server (transport-agnostic).

#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caf/consensus/connectors/json_rpc.hpp"

namespace caf::consensus::connectors {

/// A tool an MCP server offers.
struct mcp_tool {
  std::string name;
  std::string description;
  /// JSON Schema of the arguments (an object schema).
  json input_schema;
  /// Computes a `tools/call` result (`content`, `isError`,
  /// `structuredContent`). A thrown exception becomes an `isError` result.
  std::function<json(const json& arguments)> handler;
};

/// Returns a tool result with one text item.
json text_result(const std::string& text, bool is_error = false);

/// Answers MCP messages: `initialize` (version negotiation), `ping`,
/// `tools/list`, `tools/call`; notifications need no answer; anything else
/// is "method not found". Thread-safe: tool calls may run concurrently.
class mcp_server {
public:
  mcp_server(std::string name, std::string version);

  /// Returns the protocol versions this server speaks, newest first.
  static const std::vector<std::string>& supported_versions();

  /// Returns the version to answer a client that asks for `requested`: the
  /// same if we speak it, else our newest.
  static std::string negotiate(const std::string& requested);

  /// Adds a tool.
  void add_tool(mcp_tool x);

  /// Handles one message; returns the response (none for notifications and
  /// responses).
  std::optional<json> handle(const json& msg);

  /// Parses and handles one message; malformed JSON gets a parse error
  /// response with a null id.
  std::optional<json> handle_text(std::string_view text);

  /// Returns the version negotiated by the last `initialize` (empty before).
  std::string protocol_version() const;

private:
  json call_tool(const json& params);

  std::string name_;
  std::string version_;
  std::deque<mcp_tool> tools_; // stable addresses
  mutable std::mutex mtx_;
  std::string negotiated_;
  /// Set by the first `initialize`; other requests (but `ping`) fail before.
  bool initialized_ = false;
};

} // namespace caf::consensus::connectors

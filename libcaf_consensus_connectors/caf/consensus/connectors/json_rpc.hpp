// caf-consensus: JSON-RPC 2.0 messages, the wire format of MCP.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

namespace caf::consensus::connectors {

using json = nlohmann::json;

} // namespace caf::consensus::connectors

namespace caf::consensus::connectors::json_rpc {

// -- error codes
// ----------------------------------------------------------------

/// Invalid JSON was received.
constexpr int64_t parse_error = -32700;
/// The JSON sent is not a valid request object.
constexpr int64_t invalid_request = -32600;
/// The method does not exist or is not available.
constexpr int64_t method_not_found = -32601;
/// Invalid method parameters.
constexpr int64_t invalid_params = -32602;
/// Internal JSON-RPC error.
constexpr int64_t internal_error = -32603;

/// A request other than `initialize` and `ping` before `initialize` (in
/// JSON-RPC's range for server errors; LSP's ServerNotInitialized).
constexpr int64_t server_not_initialized = -32002;

/// Returns the standard name of a JSON-RPC error code (`method not found`) or
/// `server error` / `application error` for other codes.
std::string code_name(int64_t code);

// -- messages
// -------------------------------------------------------------------

/// The four kinds of JSON-RPC 2.0 messages.
enum class kind : uint8_t {
  /// A call that expects a response (`method` and `id`).
  request,
  /// A call without `id`: no response.
  notification,
  /// A successful response (`result` and `id`).
  response,
  /// A failed response (`error` and `id`, which may be null).
  error_response,
};

/// @relates kind
std::string to_string(kind x);

/// One validated JSON-RPC 2.0 message.
struct message {
  kind type = kind::notification;
  /// Request or response id: a string, an integer or null.
  json id;
  /// Method (requests and notifications).
  std::string method;
  /// Parameters (requests and notifications; null when absent).
  json params;
  /// Result (responses).
  json result;
  /// Error (error responses).
  int64_t error_code = 0;
  std::string error_message;
  json error_data;

  bool is_request() const noexcept {
    return type == kind::request;
  }

  bool is_notification() const noexcept {
    return type == kind::notification;
  }

  bool is_response() const noexcept {
    return type == kind::response || type == kind::error_response;
  }

  /// Returns `JSON-RPC error -32601 (method not found): <message>`.
  std::string describe_error() const;
};

/// Checks that `x` is one JSON-RPC 2.0 message (batches are not accepted) and
/// classifies it. The error names the offending member.
expected<message> classify(json x);

/// Parses untrusted JSON: malformed text and nesting deeper than
/// `max_depth` (which could exhaust the stack of code that walks the value)
/// are errors that quote the start of the text.
expected<json> parse_json(std::string_view text, size_t max_depth = 128);

/// Parses and classifies one message. Malformed JSON is an error that quotes
/// the start of the text.
expected<message> parse(std::string_view text);

/// Returns a request.
json make_request(const json& id, const std::string& method,
                  json params = nullptr);

/// Returns a notification.
json make_notification(const std::string& method, json params = nullptr);

/// Returns a successful response.
json make_response(const json& id, json result);

/// Returns an error response.
json make_error_response(const json& id, int64_t code, const std::string& msg,
                         json data = nullptr);

// -- utility
// --------------------------------------------------------------------

/// Returns at most `n` bytes of `text` for error messages, with control
/// characters escaped, an ellipsis when cut, and quotes around it.
std::string snippet(std::string_view text, size_t n = 80);

/// Returns a short text for an error reply body: its `error.message` (or a
/// string `error`) when the body is such JSON, else a snippet of the body.
std::string error_text(const std::string& body);

} // namespace caf::consensus::connectors::json_rpc

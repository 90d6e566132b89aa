// caf-consensus: the transport interface of the MCP client.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/json_rpc.hpp"

namespace caf::consensus::connectors {

// -- time
// -----------------------------------------------------------------------

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

/// Returns the milliseconds left until `deadline` (0 when it passed).
int64_t remaining_ms(time_point deadline);

/// Returns whether `err` is a timeout (CAF's `sec::request_timeout`).
bool is_timeout(const error& err);

/// Returns a timeout error with a context message.
error make_timeout(std::string what);

/// Returns the context message of `err` without the code name (for chaining
/// messages), or `render(err)` when it has none.
std::string error_text(const error& err);

// -- limits
// ---------------------------------------------------------------------

/// Size limits on what a server may send.
struct io_limits {
  /// Largest accepted message (one stdio line or one HTTP reply body).
  size_t max_message_bytes = 16 * 1024 * 1024;
  /// How much of a server's stderr is kept for error messages.
  size_t stderr_tail_bytes = 4096;
};

// -- transport
// ------------------------------------------------------------------

/// Moves JSON-RPC messages between an MCP client and one server. A transport
/// is used by one thread at a time. Every operation is bounded by a deadline;
/// none blocks past it.
class mcp_transport {
public:
  virtual ~mcp_transport();

  /// Returns a short description for error messages (command or URL).
  virtual std::string describe() const = 0;

  /// Connects (spawns the server process for stdio).
  virtual error open(time_point deadline) = 0;

  /// Sends one message. Over HTTP this POSTs it and queues every message of
  /// the reply (JSON or an SSE stream) for `receive`.
  virtual error send(const json& msg, time_point deadline) = 0;

  /// Returns the next message of the server. A malformed message is an
  /// error (`errc::malformed_input`); the transport stays usable unless
  /// `alive()` turns false.
  virtual expected<json> receive(time_point deadline) = 0;

  /// Returns whether the connection can still carry messages.
  virtual bool alive() const = 0;

  /// Tells the transport the negotiated protocol version (HTTP sends it as
  /// the `MCP-Protocol-Version` header).
  virtual void negotiated(const std::string& version);

  /// Ends the connection; waits at most until `deadline` for a clean end.
  virtual void close(time_point deadline) = 0;
};

} // namespace caf::consensus::connectors

// consensus-sim: the front door of `mcp-serve --http`: one thread that
// accepts connections and reads each request completely, within a deadline,
// before a handler thread sees it. Slow or idle clients cost a socket, never
// a thread, and new clients always find a slot.

#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "cli/http_workers.hpp"

namespace caf::consensus::cli {

/// The limits of the front door. The defaults suit a local MCP server.
struct http_front_limits {
  /// Time a client has, from connecting, to send its complete request
  /// (headers and body). Counted per request, not per read: dripping a
  /// byte now and then does not extend it.
  std::chrono::milliseconds request_timeout{5000};
  /// Time a client has to read its response.
  std::chrono::milliseconds write_timeout{30000};
  /// Time to wait for the client to close after its response, so that our
  /// close does not reset the connection before it read the response.
  std::chrono::milliseconds linger_timeout{1000};
  size_t max_header_bytes = 32 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  /// Requests being read from one address (IPv4, or IPv6 /64) at once. A
  /// new connection from an address at its cap closes the oldest one: an
  /// honest client sends its request at once and is never the oldest.
  size_t max_reading_per_address = 8;
  /// Connections at once; at the cap a new connection closes the oldest
  /// one that is not waiting for its handler.
  size_t max_connections = 256;
  /// Handler threads: requests handled at once (the others wait).
  size_t handler_threads = 16;
};

/// Serves HTTP/1.1, one request per connection (every response says
/// `Connection: close`). Answers 408 to a request not complete within the
/// deadline, 413 to a larger body, 431 to a larger header block, 411 to a
/// chunked body and 400 to a malformed request; everything else goes to the
/// handler.
class http_front {
public:
  http_front(http_handler fn, http_front_limits limits);

  http_front(const http_front&) = delete;
  http_front& operator=(const http_front&) = delete;

  ~http_front();

  /// Listens on `host`:`port` (0: any free port). Returns the port, or -1.
  int bind(const std::string& host, int port);

  /// Serves until `stop()`, then answers the requests that already reached
  /// a handler and returns.
  void run();

  /// Makes `run()` return; callable from any thread.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace caf::consensus::cli

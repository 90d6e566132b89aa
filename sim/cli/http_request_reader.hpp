// consensus-sim: reads one HTTP/1.x request from bytes as they arrive, with
// caps on the header block and the body (the front door of `mcp-serve
// --http`, see http_front.hpp).

#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <httplib.h>

namespace caf::consensus::cli {

/// Parses one request incrementally: feed it whatever the socket returned,
/// until it says the request is complete or refused. It never buffers more
/// than the header cap plus the body cap, so a client cannot make it grow.
class http_request_reader {
public:
  enum class state {
    /// More bytes needed.
    incomplete,
    /// `request()` holds the method, target, path, headers and body.
    complete,
    /// Refused: answer `error_status()` with `error_text()` and close.
    failed,
  };

  http_request_reader(size_t max_header_bytes, size_t max_body_bytes);

  /// Consumes `n` bytes. Bytes after a complete request are ignored: the
  /// front door answers one request per connection.
  state feed(const char* data, size_t n);

  state current() const noexcept {
    return state_;
  }

  /// Returns whether any byte arrived.
  bool started() const noexcept {
    return started_;
  }

  /// Returns true once, right after a header block with `Expect:
  /// 100-continue` and a body still to come: the client waits for an
  /// interim `100 Continue` before sending the body.
  bool take_continue() noexcept;

  const httplib::Request& request() const noexcept {
    return req_;
  }

  /// Moves the complete request out.
  httplib::Request take_request() {
    return std::move(req_);
  }

  int error_status() const noexcept {
    return error_status_;
  }

  const std::string& error_text() const noexcept {
    return error_text_;
  }

private:
  state fail(int status, std::string text);

  /// Parses the header block `buf_[0, end)`.
  state parse_head(size_t end);

  size_t max_header_bytes_;
  size_t max_body_bytes_;
  state state_ = state::incomplete;
  bool started_ = false;
  bool head_done_ = false;
  bool continue_pending_ = false;
  size_t body_length_ = 0;
  /// The header block while it arrives; emptied once parsed.
  std::string buf_;
  httplib::Request req_;
  int error_status_ = 0;
  std::string error_text_;
};

} // namespace caf::consensus::cli

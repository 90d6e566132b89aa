// caf-consensus: a small HTTP client (libcurl) with deadlines and size limits.

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// Header list; names keep their spelling on requests and are lower-cased on
/// responses.
using http_headers = std::vector<std::pair<std::string, std::string>>;

/// What the server sent back.
struct http_response {
  long status = 0;
  http_headers headers;
  std::string body;
  /// Set when the `on_data` callback stopped the transfer.
  bool stopped = false;

  /// Returns the value of header `name` (lower case) or an empty string.
  std::string header(std::string_view name) const;

  /// Returns the media type of `content-type` without parameters, lower-cased
  /// (`text/event-stream`).
  std::string media_type() const;
};

/// One HTTP exchange.
struct http_request {
  std::string method = "POST";
  std::string url;
  http_headers headers;
  std::string body;
  /// The whole exchange (connect, send, receive) ends at this point.
  time_point deadline;
  /// Largest accepted (decoded) body; more is an error.
  size_t max_body_bytes = 16 * 1024 * 1024;
  /// Optional streaming consumer: called with the status and headers known
  /// and each chunk of the body; returning false ends the transfer early
  /// (a success with `stopped` set). Chunks passed here are not stored in
  /// `body`.
  std::function<bool(const http_response&, std::string_view)> on_data;
};

/// One connection to one origin, reused across requests (keep-alive). Used
/// by one thread at a time.
class http_session {
public:
  http_session();
  ~http_session();

  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  /// Performs `req`. Transport failures (refused, reset, DNS, timeout,
  /// oversized body) are errors naming the method and URL; a timeout is a
  /// `sec::request_timeout` error. Any HTTP status is a response.
  expected<http_response> perform(const http_request& req);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// What `parse_retry_after` returns for a value that names a delay no client
/// can wait for: negative delta seconds, or more than 9 digits (over 31
/// years). A caller gives up at once instead of retrying.
constexpr int64_t retry_after_unusable = -2;

/// Returns the delay a `Retry-After` value asks for in milliseconds (delta
/// seconds or an HTTP date), -1 when the value is absent or malformed, or
/// `retry_after_unusable` when it is negative or does not fit.
int64_t parse_retry_after(const std::string& value);

/// Returns whether `url` starts with `http://` or `https://` and has a host.
bool is_http_url(const std::string& url);

} // namespace caf::consensus::connectors

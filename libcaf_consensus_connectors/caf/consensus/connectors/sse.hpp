// caf-consensus: an incremental parser for Server-Sent Events.

#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caf::consensus::connectors {

/// One dispatched event.
struct sse_event {
  /// The `event:` field (`message` when absent).
  std::string type = "message";
  /// The `data:` lines joined with `\n`.
  std::string data;
  /// The last `id:` seen.
  std::string id;
};

/// Parses a `text/event-stream` body fed in arbitrary chunks, following the
/// WHATWG rules: lines end with CR, LF or CRLF; `field: value` with one
/// optional space after the colon; lines starting with `:` are comments; an
/// empty line dispatches the event if it has data.
class sse_parser {
public:
  /// Feeds a chunk; returns the events it completed.
  std::vector<sse_event> feed(std::string_view chunk);

  /// Returns the bytes of the line not yet complete.
  size_t pending_bytes() const noexcept {
    return line_.size() + data_.size();
  }

private:
  void line(std::string_view x, std::vector<sse_event>& out);

  std::string line_;
  bool after_cr_ = false;
  std::string data_;
  bool has_data_ = false;
  std::string type_;
  std::string last_id_;
};

} // namespace caf::consensus::connectors

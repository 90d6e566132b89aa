// caf-consensus connectors: the MCP Streamable HTTP transport.

#include "caf/consensus/connectors/http_transport.hpp"

#include <algorithm>
#include <cstdio>

#include "caf/consensus/connectors/sse.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

std::string hex_byte(unsigned char c) {
  char buf[3];
  std::snprintf(buf, sizeof(buf), "%02x", c);
  return buf;
}

} // namespace

http_transport::http_transport(std::string endpoint, http_headers headers,
                               io_limits limits)
  : endpoint_(std::move(endpoint)),
    headers_(std::move(headers)),
    limits_(limits) {
  // nop
}

http_transport::~http_transport() {
  close(clock_type::now() + std::chrono::milliseconds{500});
}

std::string http_transport::describe() const {
  return "HTTP server " + endpoint_;
}

http_headers http_transport::request_headers(bool post) const {
  http_headers out;
  if (post) {
    out.emplace_back("Content-Type", "application/json");
    out.emplace_back("Accept", "application/json, text/event-stream");
  }
  if (!session_.empty())
    out.emplace_back("Mcp-Session-Id", session_);
  if (!version_.empty())
    out.emplace_back("MCP-Protocol-Version", version_);
  for (auto& h : headers_)
    out.push_back(h);
  return out;
}

error http_transport::open(time_point) {
  if (!is_http_url(endpoint_))
    return make_error(errc::invalid_params,
                      "not an http:// or https:// URL: "
                        + json_rpc::snippet(endpoint_, 200));
  http_ = std::make_unique<http_session>();
  session_.clear();
  version_.clear();
  inbox_.clear();
  open_ = true;
  return {};
}

error http_transport::send(const json& msg, time_point deadline) {
  if (!alive())
    return make_error(errc::execute_failed,
                      "the connection to the " + describe() + " is closed");
  // The id of the response that ends this exchange (requests only).
  json awaited;
  if (msg.contains("method") && msg.contains("id"))
    awaited = msg["id"];
  bool got_response = false;
  std::string raw; // non-SSE bodies
  sse_parser sse;
  auto push = [&](std::string_view text) {
    auto parsed = json_rpc::parse_json(text);
    if (!parsed) {
      inbox_.push_back(make_error(errc::malformed_input,
                                  error_text(parsed.error()) + " (from the "
                                    + describe() + ")"));
      return;
    }
    auto& x = *parsed;
    auto is_awaited = [&](const json& m) {
      return !awaited.is_null() && m.is_object() && !m.contains("method")
             && m.contains("id") && m["id"] == awaited;
    };
    if (x.is_array()) {
      for (auto& m : x) {
        got_response = got_response || is_awaited(m);
        inbox_.push_back(m);
      }
      return;
    }
    got_response = got_response || is_awaited(x);
    inbox_.push_back(std::move(x));
  };
  http_request req;
  req.method = "POST";
  req.url = endpoint_;
  req.headers = request_headers(true);
  req.body = msg.dump(-1, ' ', false, json::error_handler_t::replace);
  req.deadline = deadline;
  req.max_body_bytes = limits_.max_message_bytes;
  req.on_data = [&](const http_response& r, std::string_view chunk) {
    if (r.status == 200 && r.media_type() == "text/event-stream") {
      for (auto& ev : sse.feed(chunk))
        if (ev.type == "message" && !ev.data.empty())
          push(ev.data);
      if (sse.pending_bytes() > limits_.max_message_bytes)
        return false;
      // Stop reading once the response is in: the server may keep the
      // stream open.
      return !got_response;
    }
    raw.append(chunk.data(), chunk.size());
    return true;
  };
  auto resp = http_->perform(req);
  if (!resp) {
    if (is_timeout(resp.error()))
      return make_timeout(error_text(resp.error()));
    return std::move(resp.error());
  }
  if (auto sid = resp->header("mcp-session-id"); !sid.empty()) {
    // The MCP spec allows only visible ASCII (0x21 to 0x7E) in a session id;
    // we also cap its length, since the client sends it with every request.
    auto bad = std::find_if(sid.begin(), sid.end(),
                            [](char c) { return c < 0x21 || c > 0x7e; });
    if (sid.size() > max_session_id_bytes)
      return make_error(errc::malformed_input,
                        "the " + describe() + " sent an Mcp-Session-Id of "
                          + std::to_string(sid.size()) + " bytes (at most "
                          + std::to_string(max_session_id_bytes)
                          + " are accepted)");
    if (bad != sid.end())
      return make_error(errc::malformed_input,
                        "the " + describe()
                          + " sent an Mcp-Session-Id with a byte outside "
                            "visible ASCII (0x"
                          + hex_byte(static_cast<unsigned char>(*bad))
                          + " at offset " + std::to_string(bad - sid.begin())
                          + ")");
    session_ = sid;
  }
  auto status = resp->status;
  if (status == 200) {
    auto media = resp->media_type();
    if (media == "text/event-stream") {
      if (sse.pending_bytes() > limits_.max_message_bytes)
        return make_error(
          errc::malformed_input,
          "the " + describe() + " sent an SSE event larger than "
            + std::to_string(limits_.max_message_bytes) + " bytes");
      return {};
    }
    if (media == "application/json") {
      if (raw.empty() && awaited.is_null())
        return {};
      push(raw);
      return {};
    }
    return make_error(errc::malformed_input,
                      "the " + describe() + " answered with Content-Type '"
                        + resp->header("content-type")
                        + "' (expected application/json or "
                          "text/event-stream): "
                        + json_rpc::snippet(raw, 120));
  }
  if (status == 202 || status == 204) {
    if (!awaited.is_null())
      return make_error(errc::malformed_input,
                        "the " + describe() + " answered HTTP "
                          + std::to_string(status)
                          + " without a body to a request (expected a "
                            "JSON-RPC response)");
    return {};
  }
  if (status == 404 && !session_.empty()) {
    open_ = false;
    return make_error(errc::execute_failed,
                      "the " + describe() + " no longer knows session '"
                        + session_ + "' (HTTP 404: " + json_rpc::error_text(raw)
                        + ")");
  }
  return make_error(errc::execute_failed, "the " + describe()
                                            + " answered HTTP "
                                            + std::to_string(status) + ": "
                                            + json_rpc::error_text(raw));
}

expected<json> http_transport::receive(time_point) {
  if (inbox_.empty())
    return make_error(errc::malformed_input,
                      "the reply of the " + describe()
                        + " ended without the expected JSON-RPC response");
  auto x = std::move(inbox_.front());
  inbox_.pop_front();
  return x;
}

bool http_transport::alive() const {
  return open_;
}

void http_transport::negotiated(const std::string& version) {
  version_ = version;
}

void http_transport::close(time_point deadline) {
  if (!open_)
    return;
  open_ = false;
  inbox_.clear();
  if (session_.empty() || !http_)
    return;
  // End the session; servers that do not support it answer 405.
  http_request req;
  req.method = "DELETE";
  req.url = endpoint_;
  req.headers = request_headers(false);
  req.deadline = std::min(deadline,
                          clock_type::now() + std::chrono::milliseconds{1000});
  req.max_body_bytes = 64 * 1024;
  if (remaining_ms(req.deadline) > 0)
    static_cast<void>(http_->perform(req));
  session_.clear();
}

} // namespace caf::consensus::connectors

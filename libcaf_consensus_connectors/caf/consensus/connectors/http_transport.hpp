// caf-consensus: the MCP Streamable HTTP transport.

#pragma once

#include <cstddef>
#include <deque>
#include <string>

#include "caf/consensus/connectors/http.hpp"
#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// The longest `Mcp-Session-Id` the client accepts from a server (a longer one
/// fails the request that carried it).
constexpr size_t max_session_id_bytes = 1024;

/// MCP "Streamable HTTP" transport (protocol revisions 2025-03-26 and
/// later): every message is POSTed to one endpoint with
/// `Accept: application/json, text/event-stream`; a request's reply is either
/// one JSON object or an SSE stream whose `data:` events carry messages (the
/// response last). The stream is read only until the response to the request
/// arrives. The `Mcp-Session-Id` the server assigns at initialization is sent
/// on every later request, and the negotiated `MCP-Protocol-Version` too;
/// `close` ends the session with DELETE. HTTP errors, wrong content types
/// and bodies that are too large are errors naming the status and a snippet
/// of the body. A 404 on a session means the server dropped it: the
/// connection is then closed.
class http_transport : public mcp_transport {
public:
  http_transport(std::string endpoint, http_headers headers = {},
                 io_limits limits = {});

  ~http_transport() override;

  std::string describe() const override;

  error open(time_point deadline) override;

  error send(const json& msg, time_point deadline) override;

  expected<json> receive(time_point deadline) override;

  bool alive() const override;

  void negotiated(const std::string& version) override;

  void close(time_point deadline) override;

  /// Returns the session id assigned by the server (empty if none).
  const std::string& session_id() const noexcept {
    return session_;
  }

private:
  http_headers request_headers(bool post) const;

  std::string endpoint_;
  http_headers headers_;
  io_limits limits_;
  std::unique_ptr<http_session> http_;
  std::string session_;
  std::string version_;
  std::deque<expected<json>> inbox_;
  bool open_ = false;
};

} // namespace caf::consensus::connectors

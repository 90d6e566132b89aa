// caf-consensus sim: the Streamable HTTP transport of `consensus-sim
// mcp-serve`: sessions, origin checks and the MCP endpoint. The sockets are
// the front door's (http_front.hpp): it reads every request completely,
// within a deadline, before a handler here sees it.

#include "cli/mcp_transport.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "cli/http_front.hpp"

namespace caf::consensus::cli {

namespace {

using connectors::json;
namespace json_rpc = connectors::json_rpc;

/// The sessions of the HTTP transport.
class session_table {
public:
  std::string open() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (sessions_.size() >= max_sessions_) {
      // Drop the least recently used session.
      auto oldest = sessions_.begin();
      for (auto i = sessions_.begin(); i != sessions_.end(); ++i)
        if (i->second < oldest->second)
          oldest = i;
      sessions_.erase(oldest);
    }
    std::random_device rd;
    std::string id;
    static const char* hex = "0123456789abcdef";
    for (int i = 0; i < 32; ++i)
      id += hex[rd() % 16];
    sessions_[id] = ++tick_;
    return id;
  }

  bool touch(const std::string& id) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = sessions_.find(id);
    if (i == sessions_.end())
      return false;
    i->second = ++tick_;
    return true;
  }

  bool close(const std::string& id) {
    std::lock_guard<std::mutex> guard{mtx_};
    return sessions_.erase(id) > 0;
  }

private:
  std::mutex mtx_;
  std::map<std::string, uint64_t> sessions_;
  uint64_t tick_ = 0;
  size_t max_sessions_ = 256;
};

bool local_origin(const std::string& origin) {
  for (auto* prefix :
       {"http://localhost", "https://localhost", "http://127.0.0.1",
        "https://127.0.0.1", "http://[::1]", "https://[::1]"}) {
    std::string p{prefix};
    if (origin.rfind(p, 0) == 0
        && (origin.size() == p.size() || origin[p.size()] == ':'
            || origin[p.size()] == '/'))
      return true;
  }
  return false;
}

/// Returns whether `host` (a Host header: name or address, optional port)
/// names this machine's loopback interface.
bool local_host(const std::string& host) {
  auto name = host;
  if (!name.empty() && name.front() == '[') {
    name = name.substr(0, name.find(']') + 1);
  } else if (auto colon = name.rfind(':'); colon != std::string::npos) {
    name = name.substr(0, colon);
  }
  return name == "localhost" || name == "127.0.0.1" || name == "[::1]";
}

void json_error(httplib::Response& res, int status, int64_t code,
                const std::string& msg) {
  res.status = status;
  res.set_content(json_rpc::make_error_response(nullptr, code, msg)
                    .dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json");
}

} // namespace

int serve_http(connectors::mcp_server& srv, const std::string& host, int port,
               const std::string& path, const std::vector<std::string>& origins,
               const sigset_t& stop_signals) {
  session_table sessions;
  // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends
  // its own name as Host. A server on loopback answers loopback names only.
  auto loopback = host == "127.0.0.1" || host == "::1" || host == "localhost";
  auto host_ok = [&](const httplib::Request& req) {
    return !loopback || local_host(req.get_header_value("Host"));
  };
  auto origin_ok = [&](const httplib::Request& req) {
    if (!host_ok(req))
      return false;
    if (!req.has_header("Origin"))
      return true;
    auto origin = req.get_header_value("Origin");
    return local_origin(origin)
           || std::find(origins.begin(), origins.end(), origin)
                != origins.end();
  };
  auto post = [&](const httplib::Request& req, httplib::Response& res) {
    if (!host_ok(req))
      return json_error(res, 403, json_rpc::invalid_request,
                        "host '" + req.get_header_value("Host")
                          + "' is not allowed (a server on loopback answers "
                            "localhost, 127.0.0.1 and [::1] only)");
    if (!origin_ok(req))
      return json_error(res, 403, json_rpc::invalid_request,
                        "origin '" + req.get_header_value("Origin")
                          + "' is not allowed");
    auto ctype = req.get_header_value("Content-Type");
    if (ctype.find("application/json") == std::string::npos)
      return json_error(res, 415, json_rpc::invalid_request,
                        "Content-Type must be application/json");
    if (req.has_header("MCP-Protocol-Version")) {
      auto v = req.get_header_value("MCP-Protocol-Version");
      auto& xs = connectors::mcp_server::supported_versions();
      if (std::find(xs.begin(), xs.end(), v) == xs.end())
        return json_error(res, 400, json_rpc::invalid_request,
                          "unsupported MCP-Protocol-Version '" + v + "'");
    }
    auto msg = json_rpc::parse_json(req.body);
    if (!msg)
      return json_error(res, 400, json_rpc::parse_error,
                        connectors::error_text(msg.error()));
    auto is_init = msg->is_object() && msg->value("method", "") == "initialize";
    std::string sid;
    if (is_init) {
      sid = sessions.open();
    } else {
      sid = req.get_header_value("Mcp-Session-Id");
      if (sid.empty())
        return json_error(res, 400, json_rpc::invalid_request,
                          "missing Mcp-Session-Id header (send initialize "
                          "first)");
      if (!sessions.touch(sid))
        return json_error(res, 404, json_rpc::invalid_request,
                          "unknown or expired session '" + sid + "'");
    }
    auto reply = srv.handle(*msg);
    if (is_init)
      res.set_header("Mcp-Session-Id", sid);
    if (!reply) {
      res.status = 202; // notification or response: accepted, no body
      return;
    }
    res.status = 200;
    res.set_content(reply->dump(-1, ' ', false, json::error_handler_t::replace),
                    "application/json");
  };
  auto end_session = [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_ok(req)) {
      res.status = 403;
      return;
    }
    auto sid = req.get_header_value("Mcp-Session-Id");
    res.status = sid.empty() ? 400 : sessions.close(sid) ? 200 : 404;
  };
  auto route = [&](const httplib::Request& req, httplib::Response& res) {
    if (req.path != path) {
      res.status = 404;
    } else if (req.method == "POST") {
      post(req, res);
    } else if (req.method == "DELETE") {
      end_session(req, res);
    } else {
      // GET would open a server-initiated stream, which we do not offer:
      // the spec allows 405 for it. Other methods have no meaning here.
      res.status = 405;
      res.set_header("Allow", "POST, DELETE");
    }
  };
  http_front_limits limits;
  limits.max_body_bytes = max_request_bytes;
  http_front http{route, limits};
  int bound = http.bind(host, port);
  if (bound <= 0) {
    std::cerr << "consensus-sim mcp-serve: cannot listen on " << host << ':'
              << port << '\n';
    return 1;
  }
  auto shown_host = host.find(':') != std::string::npos ? "[" + host + "]"
                                                        : host;
  std::cerr << "consensus-sim mcp-serve: listening on http://" << shown_host
            << ':' << bound << path << std::endl;
  std::atomic<bool> stopping{false};
  std::thread waiter{[&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    stopping = true;
    http.stop();
  }};
  http.run();
  if (!stopping)
    ::kill(::getpid(), SIGTERM); // wake the waiter
  waiter.join();
  std::cerr << "consensus-sim mcp-serve: stopped" << std::endl;
  return 0;
}

} // namespace caf::consensus::cli

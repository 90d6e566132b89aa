// consensus-sim mcp-serve: the mesh as an MCP server with a `consensus`
// tool, over stdio or Streamable HTTP.

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <list>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <httplib.h>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/connectors/mcp_server.hpp"
#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "cli/agent_options.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

namespace {

using connectors::json;
namespace json_rpc = connectors::json_rpc;

constexpr size_t max_request_bytes = 4 * 1024 * 1024;

// -- the consensus tool
// ------------------------------------------------------------

/// Runs consensus runs for tool calls, at most `max_runs` at a time.
class consensus_service {
public:
  consensus_service(mesh_config cfg, actor_system& sys, int max_runs)
    : cfg_(std::move(cfg)), sys_(sys), max_runs_(max_runs) {
    // nop
  }

  connectors::mcp_tool tool() {
    json ids = json::array();
    for (auto& a : cfg_.agents)
      ids.push_back(connectors::id_of(a));
    json policies = json::array();
    for (auto& name : policy::names())
      policies.push_back(name);
    json schema{
      {"type", "object"},
      {"properties",
       {{"prompt",
         {{"type", "string"}, {"description", "the question to agree on"}}},
        {"participants",
         {{"type", "array"},
          {"items", {{"type", "string"}, {"enum", ids}}},
          {"description", "a subset of the configured agents (default: all)"}}},
        {"rounds", {{"type", "integer"}, {"minimum", 0}}},
        {"k", {{"type", "integer"}, {"minimum", 1}}},
        {"alpha", {{"type", "number"}}},
        {"beta_1", {{"type", "number"}}},
        {"beta_2", {{"type", "number"}}},
        {"policy", {{"type", "string"}, {"enum", policies}}},
        {"seed", {{"type", "integer"}}},
        {"timeout_ms",
         {{"type", "integer"},
          {"minimum", 1},
          {"maximum", cfg_.ps.timeout_ms}}}}},
      {"required", json::array({"prompt"})}};
    std::string desc = "Asks the agents ";
    for (size_t i = 0; i < ids.size(); ++i)
      desc += (i > 0 ? ", " : "") + ids[i].get<std::string>();
    desc += " the prompt and runs metastable consensus among them (policy "
            + cfg_.ps.policy + ", " + std::to_string(cfg_.ps.rounds)
            + " rounds by default); returns the agreed answer as text and "
              "the full outcome as structured content.";
    return {"consensus", desc, schema,
            [this](const json& args) { return call(args); }};
  }

  json call(const json& args) {
    using connectors::text_result;
    auto prompt = args.find("prompt");
    if (prompt == args.end() || !prompt->is_string()
        || prompt->get<std::string>().find_first_not_of(" \t\r\n")
             == std::string::npos)
      return text_result("argument 'prompt' must be a non-empty string", true);
    // Which agents.
    std::vector<const connectors::agent_spec*> chosen;
    if (auto ps = args.find("participants"); ps != args.end()) {
      if (!ps->is_array() || ps->empty())
        return text_result("argument 'participants' must be a non-empty "
                           "list of agent ids",
                           true);
      for (auto& id : *ps) {
        if (!id.is_string())
          return text_result("argument 'participants' must list strings", true);
        const connectors::agent_spec* hit = nullptr;
        for (auto& a : cfg_.agents)
          if (connectors::id_of(a) == id.get<std::string>())
            hit = &a;
        if (hit == nullptr)
          return text_result(
            "unknown participant '" + id.get<std::string>() + "'", true);
        if (std::find(chosen.begin(), chosen.end(), hit) != chosen.end())
          return text_result("participant '" + id.get<std::string>()
                               + "' is listed twice",
                             true);
        chosen.push_back(hit);
      }
    } else {
      for (auto& a : cfg_.agents)
        chosen.push_back(&a);
    }
    // Parameters: the server's, overridden by the call.
    auto ps = cfg_.ps;
    if (auto err = apply_params(args, ps, "arguments",
                                {"prompt", "participants"}))
      return text_result(connectors::error_text(err), true);
    if (ps.timeout_ms > cfg_.ps.timeout_ms)
      return text_result("timeout_ms " + std::to_string(ps.timeout_ms)
                           + " exceeds this server's limit of "
                           + std::to_string(cfg_.ps.timeout_ms) + " ms",
                         true);
    if (running_.fetch_add(1) >= max_runs_) {
      --running_;
      return text_result("server busy: " + std::to_string(max_runs_)
                           + " consensus runs are in progress; try again",
                         true);
    }
    struct release {
      std::atomic<int>& n;
      ~release() {
        --n;
      }
    } guard{running_};
    std::vector<connectors::agent_ptr> agents;
    for (auto* a : chosen)
      agents.push_back(connectors::make_agent(*a, ps.timeout_ms));
    connectors::run_options opts;
    opts.system = &sys_;
    auto st = connectors::run_agents(prompt->get<std::string>(),
                                     std::move(agents), ps, std::move(opts));
    if (!st)
      return text_result(connectors::error_text(st.error()), true);
    auto answer = connectors::agreed_answer(*st);
    json out;
    if (st->winner.empty()) {
      std::string why = "no agreed answer: no agent answered";
      for (auto& p : st->participants) {
        auto i = st->index_of(p);
        if (auto* r = i < st->responses.size() && !st->responses[i].empty()
                        ? &st->responses[i].back()
                        : nullptr)
          why += "; " + p + ": " + r->error;
      }
      out = text_result(why, true);
    } else {
      out = text_result(answer);
    }
    out["structuredContent"] = connectors::state_to_json(*st);
    return out;
  }

private:
  mesh_config cfg_;
  actor_system& sys_;
  int max_runs_;
  std::atomic<int> running_{0};
};

// -- stdio
// -------------------------------------------------------------------------

int serve_stdio(connectors::mcp_server& srv) {
  std::mutex out_mtx;
  auto write = [&](const json& x) {
    std::lock_guard<std::mutex> guard{out_mtx};
    std::cout << x.dump(-1, ' ', false, json::error_handler_t::replace) << '\n'
              << std::flush;
  };
  struct worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<worker> workers;
  auto reap = [&](bool all) {
    for (auto i = workers.begin(); i != workers.end();) {
      if (all || *i->done) {
        i->thread.join();
        i = workers.erase(i);
      } else {
        ++i;
      }
    }
  };
  auto dispatch = [&](std::string line) {
    auto msg = json_rpc::parse_json(line);
    if (!msg) {
      write(json_rpc::make_error_response(nullptr, json_rpc::parse_error,
                                          connectors::error_text(msg.error())));
      return;
    }
    // Tool calls run on their own thread so that pings and other calls are
    // answered meanwhile.
    if (msg->is_object() && msg->value("method", "") == "tools/call") {
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers.push_back({std::thread{[&srv, &write, done, m = std::move(*msg)] {
                           if (auto r = srv.handle(m))
                             write(*r);
                           *done = true;
                         }},
                         done});
      return;
    }
    if (auto r = srv.handle(*msg))
      write(*r);
  };
  std::string buf;
  bool skipping = false; // discarding the rest of an oversized line
  char chunk[65536];
  for (;;) {
    auto n = ::read(0, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    reap(false);
    size_t pos = 0;
    auto len = static_cast<size_t>(n);
    while (pos < len) {
      auto* nl = static_cast<char*>(std::memchr(chunk + pos, '\n', len - pos));
      auto end = nl != nullptr ? static_cast<size_t>(nl - chunk) : len;
      if (!skipping)
        buf.append(chunk + pos, end - pos);
      if (buf.size() > max_request_bytes && !skipping) {
        write(json_rpc::make_error_response(
          nullptr, json_rpc::invalid_request,
          "message larger than " + std::to_string(max_request_bytes)
            + " bytes"));
        buf.clear();
        skipping = true;
      }
      if (nl == nullptr)
        break;
      pos = end + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      auto line = std::move(buf);
      buf.clear();
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos)
        dispatch(std::move(line));
    }
  }
  // End of input: the client is gone; finish what runs, then exit.
  reap(true);
  return 0;
}

// -- Streamable HTTP
// -----------------------------------------------------------------

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

void json_error(httplib::Response& res, int status, int64_t code,
                const std::string& msg) {
  res.status = status;
  res.set_content(json_rpc::make_error_response(nullptr, code, msg)
                    .dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json");
}

int serve_http(connectors::mcp_server& srv, const std::string& host, int port,
               const std::string& path, const std::vector<std::string>& origins,
               const sigset_t& stop_signals) {
  httplib::Server http;
  session_table sessions;
  http.set_payload_max_length(max_request_bytes);
  // Idle keep-alive connections hold a worker until they time out, and
  // stopping waits for the workers: keep that short.
  http.set_keep_alive_timeout(1);
  auto origin_ok = [&](const httplib::Request& req) {
    if (!req.has_header("Origin"))
      return true;
    auto origin = req.get_header_value("Origin");
    return local_origin(origin)
           || std::find(origins.begin(), origins.end(), origin)
                != origins.end();
  };
  http.Post(path, [&](const httplib::Request& req, httplib::Response& res) {
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
  });
  http.Get(path, [&](const httplib::Request&, httplib::Response& res) {
    // No server-initiated stream: the spec allows 405 here.
    res.status = 405;
    res.set_header("Allow", "POST, DELETE");
  });
  http.Delete(path, [&](const httplib::Request& req, httplib::Response& res) {
    if (!origin_ok(req)) {
      res.status = 403;
      return;
    }
    auto sid = req.get_header_value("Mcp-Session-Id");
    res.status = sid.empty() ? 400 : sessions.close(sid) ? 200 : 404;
  });
  int bound = port == 0 ? http.bind_to_any_port(host)
                        : (http.bind_to_port(host, port) ? port : -1);
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
  http.listen_after_bind();
  if (!stopping)
    ::kill(::getpid(), SIGTERM); // wake the waiter
  waiter.join();
  std::cerr << "consensus-sim mcp-serve: stopped" << std::endl;
  return 0;
}

} // namespace

int mcp_serve(const args& xs) {
  po::options_description desc{"options"};
  mesh_flags fl;
  std::string http_addr;
  std::string path = "/mcp";
  std::vector<std::string> origins;
  int max_runs = 4;
  desc.add_options()("help,h", "show this help")(
    "http", po::value(&http_addr),
    "serve Streamable HTTP on HOST:PORT (port 0: any free port; the address "
    "is printed on stderr) instead of stdio")(
    "path", po::value(&path)->default_value("/mcp"),
    "HTTP endpoint path")("allow-origin", po::value(&origins)->composing(),
                          "an Origin allowed besides localhost (repeatable)")(
    "max-runs", po::value(&max_runs)->default_value(4),
    "consensus runs at a time (more calls get a 'busy' error)");
  add_agent_options(desc, fl);
  po::options_description proto{"default protocol parameters (a call may "
                                "override them)"};
  add_param_options(proto, fl);
  desc.add(proto);
  po::positional_options_description pos;
  po::variables_map vm;
  std::string synopsis
    = "--agent SPEC... [--agents FILE] [--http HOST:PORT] [options]\n\n"
      "An MCP server (stdio by default, or Streamable HTTP) with one tool, "
      "'consensus'\n(arguments: prompt, optional participants and protocol "
      "parameters), that runs\na consensus among the configured agents and "
      "returns the agreed answer.\n\n";
  synopsis += agents_help();
  if (auto rc = parse("mcp-serve", xs, desc, pos, vm, synopsis.c_str()))
    return *rc;
  auto fail = [](const std::string& what, int rc) {
    std::cerr << "consensus-sim mcp-serve: " << what << '\n';
    return rc;
  };
  if (max_runs < 1 || max_runs > 64)
    return fail("--max-runs must be in [1, 64]", 2);
  if (path.empty() || path[0] != '/')
    return fail("--path must start with '/'", 2);
  std::string host;
  int port = -1;
  if (!http_addr.empty()) {
    auto colon = http_addr.rfind(':');
    if (colon == std::string::npos || colon == 0)
      return fail("--http must be HOST:PORT, got '" + http_addr + "'", 2);
    host = http_addr.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    try {
      size_t used = 0;
      port = std::stoi(http_addr.substr(colon + 1), &used);
      if (used != http_addr.size() - colon - 1)
        port = -1;
    } catch (...) {
      port = -1;
    }
    if (port < 0 || port > 65535)
      return fail("--http: bad port in '" + http_addr + "'", 2);
  }
  auto mesh = resolve_mesh(fl);
  if (!mesh)
    return fail(connectors::error_text(mesh.error()), 1);
  // Block the stop signals in every thread (the actor system's included):
  // one thread waits for them. Writing to a client that left is no crash.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  if (port >= 0)
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  actor_system_config cfg;
  actor_system sys{cfg};
  consensus_service service{std::move(*mesh), sys, max_runs};
  connectors::mcp_server srv{"caf-consensus", "0.1.0"};
  srv.add_tool(service.tool());
  if (port < 0)
    return serve_stdio(srv);
  return serve_http(srv, host, port, path, origins, stop_signals);
}

} // namespace caf::consensus::cli

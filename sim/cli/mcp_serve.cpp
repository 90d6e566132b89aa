// consensus-sim mcp-serve: the mesh as an MCP server with a `consensus`
// tool, over stdio or Streamable HTTP. This file reads the flags; the tool is
// in mcp_tool.cpp, the transports in mcp_stdio.cpp and mcp_http.cpp.

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"

#include "caf/consensus/connectors/mcp_server.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "cli/agent_options.hpp"
#include "cli/mcp_tool.hpp"
#include "cli/mcp_transport.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

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
  connectors::mcp_server srv{"caf-consensus", "0.4.0"};
  srv.add_tool(service.tool());
  if (port < 0)
    return serve_stdio(srv);
  return serve_http(srv, host, port, path, origins, stop_signals);
}

} // namespace caf::consensus::cli

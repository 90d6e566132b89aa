// Helpers of the tests that run MCP servers on Node.js with the official MCP
// TypeScript SDK (installed into the build tree by the connectors.npm_ci
// fixture).

#pragma once

#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/process.hpp"

namespace caf::consensus::test {

inline bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

/// Returns the node executable; fails the test clearly when it is missing.
inline std::string node() {
  std::string path = CAF_CONSENSUS_NODE;
  if (path.empty() || path.find("NOTFOUND") != std::string::npos
      || !file_exists(path))
    ADD_FAILURE() << "node not found (CMake saw '" << path
                  << "'): these tests need Node.js; cmake/build.sh installs "
                     "it";
  if (!file_exists(std::string{CAF_CONSENSUS_NODE_DIR}
                   + "/node_modules/@modelcontextprotocol/sdk/package.json"))
    ADD_FAILURE() << "@modelcontextprotocol/sdk is not installed in "
                  << CAF_CONSENSUS_NODE_DIR
                  << ": run the connectors.npm_ci test (ctest runs it first)";
  return path;
}

inline std::string script(const std::string& name) {
  return std::string{CAF_CONSENSUS_NODE_DIR} + "/" + name;
}

/// An MCP agent that runs tool_server.mjs over stdio.
inline connectors::mcp_agent stdio_agent(const std::string& id,
                                         const std::string& answer,
                                         std::vector<std::string> extra = {}) {
  connectors::mcp_agent a;
  a.id = id;
  a.command = {node(), script("tool_server.mjs"), "--answer", answer};
  for (auto& x : extra)
    a.command.push_back(x);
  return a;
}

/// tool_server.mjs over Streamable HTTP in a child process.
struct http_server {
  connectors::process proc;
  std::string url;

  /// Starts the server and waits (at most 20 s) for its address; returns
  /// null (after a test failure) when it does not come up.
  static std::unique_ptr<http_server>
  start(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{node(), script("tool_server.mjs"), "--http"};
    for (auto& x : extra)
      argv.push_back(x);
    auto p = connectors::process::spawn(argv);
    if (!p) {
      ADD_FAILURE() << connectors::error_text(p.error());
      return nullptr;
    }
    std::string out;
    auto deadline = connectors::clock_type::now() + std::chrono::seconds{20};
    while (out.find('\n') == std::string::npos) {
      auto chunk = p->read_some(deadline);
      if (!chunk || chunk->empty()) {
        p->drain_stderr();
        ADD_FAILURE() << "the HTTP test server did not start: "
                      << p->stderr_tail();
        return nullptr;
      }
      out += *chunk;
    }
    auto at = out.find("LISTENING ");
    if (at == std::string::npos) {
      ADD_FAILURE() << "unexpected first line of the HTTP test server: " << out;
      return nullptr;
    }
    auto url = out.substr(at + 10, out.find('\n', at) - at - 10);
    return std::unique_ptr<http_server>{
      new http_server{std::move(*p), std::move(url)}};
  }
};

} // namespace caf::consensus::test

// Tests: helpers of the MCP SDK tests (mcp_sdk_test): agents, runs, clients.

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/stdio_transport.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::test {

/// Returns an MCP agent that runs `argv` over stdio.
inline connectors::mcp_agent command_agent(const std::string& id,
                                           std::vector<std::string> argv) {
  connectors::mcp_agent a;
  a.id = id;
  a.command = std::move(argv);
  return a;
}

inline const std::string answer = "The answer is 42";
inline const std::string dissent = "It is 41";

inline params test_params(int64_t timeout_ms = 20000) {
  params ps;
  ps.rounds = 2;
  ps.k = 2;
  ps.timeout_ms = timeout_ms;
  return ps;
}

inline request ask(const std::string& prompt) {
  request req;
  req.prompt = prompt;
  return req;
}

inline connectors::mcp_agent http_agent(const std::string& id,
                                        const std::string& url,
                                        const std::string& x_answer) {
  connectors::mcp_agent a;
  a.id = id;
  a.endpoint = url;
  a.headers["X-Answer"] = x_answer;
  return a;
}

/// The latest response of `id`.
inline const response* last(const state& st, const std::string& id) {
  auto i = st.index_of(id);
  return i < st.participants.size() ? st.latest(i) : nullptr;
}

/// The response of `id` in `round` (null if none).
inline const response* in_round(const state& st, const std::string& id,
                                int32_t round) {
  auto i = st.index_of(id);
  if (i >= st.participants.size())
    return nullptr;
  for (auto& r : st.responses[i])
    if (r.round == round)
      return &r;
  return nullptr;
}

inline std::unique_ptr<connectors::mcp_client>
stdio_client(std::vector<std::string> argv,
             std::chrono::milliseconds timeout = std::chrono::seconds{15}) {
  connectors::mcp_client_options opts;
  opts.timeout = timeout;
  return std::make_unique<connectors::mcp_client>(
    std::make_unique<connectors::stdio_transport>(std::move(argv)), opts);
}

} // namespace caf::consensus::test

// Tests: helpers of the consensus-sim command tests (cli_agents_test).

#pragma once

#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/process.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "node_fixture.hpp"

namespace caf::consensus::test {

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs consensus-sim with `args` (at most 60 s) and collects its output.
inline run_result sim(std::vector<std::string> args,
                      std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), CAF_CONSENSUS_SIM);
  run_result res;
  auto p = connectors::process::spawn(args, env, 1 << 20);
  if (!p) {
    res.err = connectors::error_text(p.error());
    return res;
  }
  p->close_stdin();
  auto deadline = connectors::clock_type::now() + std::chrono::seconds{60};
  for (;;) {
    auto chunk = p->read_some(deadline);
    if (!chunk) {
      ADD_FAILURE() << "consensus-sim did not finish: "
                    << connectors::error_text(chunk.error());
      break;
    }
    if (chunk->empty())
      break;
    res.out += *chunk;
  }
  p->wait_until(deadline);
  p->drain_stderr();
  res.err = p->stderr_tail();
  res.status = p->exit_code().value_or(-1);
  return res;
}

inline std::string agent_spec_text(const std::string& id,
                                   const std::string& answer,
                                   const std::string& extra = "") {
  return id + "=mcp+stdio:" + node() + " " + script("tool_server.mjs")
         + " --answer '" + answer + "'" + (extra.empty() ? "" : " " + extra);
}

inline bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline std::string temp_file(const std::string& name,
                             const std::string& content) {
  auto path = std::string{::testing::TempDir()} + "/" + name;
  std::ofstream{path} << content;
  return path;
}

} // namespace caf::consensus::test

// Tests: run_agents rejects bad input before contacting anyone (suite
// run_agents).

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/agent.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/error.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

namespace {

/// Returns an MCP agent that runs `argv` over stdio.
mcp_agent command_agent(const std::string& id, std::vector<std::string> argv) {
  mcp_agent a;
  a.id = id;
  a.command = std::move(argv);
  return a;
}

} // namespace

TEST(run_agents, rejects_bad_input_before_contacting_anyone) {
  std::vector<agent_ptr> agents;
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  agents.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  auto st = run_agents("q", std::move(agents), params{});
  ASSERT_FALSE(st);
  EXPECT_NE(text_of(st.error()).find("appears twice"), std::string::npos);
  std::vector<agent_ptr> one;
  one.push_back(make_agent(command_agent("x", {"/bin/false"}), 1000));
  params ps;
  ps.policy = "no-such-policy";
  auto bad = run_agents("q", std::move(one), ps);
  ASSERT_FALSE(bad);
  EXPECT_NE(text_of(bad.error()).find("no-such-policy"), std::string::npos);
}

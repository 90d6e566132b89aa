// Tests: MCP agents validate their configuration (suite mcp_agent).

#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/mcp_agent.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

TEST(mcp_agent, validates_its_configuration) {
  mcp_agent a;
  a.id = "a";
  EXPECT_TRUE(a.validate()); // neither command nor endpoint
  a.command = {"x"};
  a.endpoint = "http://h";
  EXPECT_TRUE(a.validate()); // both
  a.endpoint.clear();
  EXPECT_FALSE(a.validate());
  a.headers["Bad Name"] = "v";
  EXPECT_TRUE(a.validate());
  a.headers.clear();
  a.arguments = json::array();
  EXPECT_TRUE(a.validate());
  // An agent with a broken config fails every call with that error.
  mcp_agent b;
  b.id = "b";
  b.endpoint = "http://127.0.0.1:1/mcp";
  b.bearer_env = "CAF_CONSENSUS_SURELY_UNSET_TOKEN";
  auto agent = make_agent(b, 1000);
  request req;
  req.prompt = "q";
  auto r = agent->execute(req);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("CAF_CONSENSUS_SURELY_UNSET_TOKEN"), std::string::npos)
    << r.error;
}

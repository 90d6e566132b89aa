// Tests: an MCP mesh keeps its agents in order and checks them (suite
// mcp_mesh).

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/mcp_agent.hpp"
#include "caf/consensus/connectors/mcp_mesh.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;

TEST(mcp_mesh, keeps_agents_in_order_and_checks_them) {
  auto mesh
    = create_mesh({{"b", "http://127.0.0.1:1/mcp"}, {"a", "node server.mjs"}});
  ASSERT_TRUE(mesh) << text_of(mesh.error());
  EXPECT_EQ(mesh->participant_ids(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(mesh->get("a")->stdio());
  EXPECT_FALSE(mesh->get("b")->stdio());
  mesh->remove("a");
  EXPECT_EQ(mesh->size(), 1u);
  EXPECT_EQ(mesh->get("a"), nullptr);
  EXPECT_FALSE(create_mesh({{"c", "x | y"}}));
  MCPMesh empty;
  auto st = run_mcp_consensus(empty, "q");
  ASSERT_FALSE(st);
  EXPECT_NE(text_of(st.error()).find("no agents"), std::string::npos);
}

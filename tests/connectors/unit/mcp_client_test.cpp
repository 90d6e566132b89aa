// Tests: an MCP client times out on a silent server (suite mcp_client).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/mcp_client.hpp"
#include "caf/consensus/connectors/stdio_transport.hpp"
#include "caf/consensus/connectors/transport.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

TEST(mcp_client, a_silent_server_times_out_at_initialize) {
  mcp_client_options opts;
  opts.timeout = 400ms;
  mcp_client c{std::make_unique<stdio_transport>(
                 std::vector<std::string>{"/bin/sh", "-c", "sleep 30"}),
               opts};
  auto t0 = clock_type::now();
  auto err = c.connect();
  ASSERT_TRUE(err);
  EXPECT_TRUE(is_timeout(err)) << text_of(err);
  EXPECT_NE(text_of(err).find("no reply to 'initialize'"), std::string::npos)
    << text_of(err);
  // Far below the 30 s the silent child would keep it waiting.
  EXPECT_LT(clock_type::now() - t0, 15s);
  EXPECT_FALSE(c.connected());
}

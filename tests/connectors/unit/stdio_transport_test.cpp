// Tests: the stdio transport with /bin/sh as the "server": deaths, oversized
// lines, garbage and silence (suite stdio_transport).

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/stdio_transport.hpp"
#include "caf/consensus/connectors/transport.hpp"

#include "unit_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace caf::consensus::test;
using namespace std::chrono_literals;

TEST(stdio_transport, a_server_that_dies_is_an_error_with_its_status) {
  stdio_transport t{{"/bin/sh", "-c", "read x; echo 'dying now' >&2; exit 3"}};
  ASSERT_FALSE(t.open(in(1000ms)));
  ASSERT_FALSE(t.send(json_rpc::make_request(1, "ping"), in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  auto msg = text_of(x.error());
  EXPECT_NE(msg.find("exited with status 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dying now"), std::string::npos) << msg;
  EXPECT_FALSE(t.alive());
  // Writing to the dead server is an error, not a SIGPIPE.
  EXPECT_TRUE(t.send(json_rpc::make_request(2, "ping"), in(1000ms)));
}

TEST(stdio_transport, oversized_lines_close_the_connection) {
  io_limits lim;
  lim.max_message_bytes = 1024;
  stdio_transport t{{"/bin/sh", "-c",
                     "head -c 200000 /dev/zero | tr '\\0' a; sleep 30"},
                    {},
                    lim};
  ASSERT_FALSE(t.open(in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  EXPECT_NE(text_of(x.error()).find("larger than 1024 bytes"),
            std::string::npos)
    << text_of(x.error());
  EXPECT_FALSE(t.alive());
}

TEST(stdio_transport, garbage_is_malformed_json_and_silence_a_timeout) {
  stdio_transport t{{"/bin/sh", "-c", "echo 'hello there'; sleep 30"}};
  ASSERT_FALSE(t.open(in(1000ms)));
  auto x = t.receive(in(5000ms));
  ASSERT_FALSE(x);
  EXPECT_NE(text_of(x.error()).find("malformed JSON: 'hello there'"),
            std::string::npos)
    << text_of(x.error());
  EXPECT_TRUE(t.alive());
  auto t0 = clock_type::now();
  auto y = t.receive(in(300ms));
  ASSERT_FALSE(y);
  EXPECT_TRUE(is_timeout(y.error()));
  EXPECT_GE(clock_type::now() - t0, 290ms);
  // Far below the 30 s the silent child would keep the receive waiting.
  EXPECT_LT(clock_type::now() - t0, 15s);
}

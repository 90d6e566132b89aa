// Tests: the MCP Streamable HTTP transport against a local server that
// assigns hostile session ids (oversized, control characters).

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "caf/consensus/error.hpp"
#include "chat_server.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::chat_reply;
using test::chat_server;

namespace {

const char* init_reply
  = R"({"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18"}})";

nlohmann::json init_request() {
  return {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}};
}

/// Sends one request to a server that answers with session id `sid` and
/// returns the transport's verdict (empty: accepted).
std::string send_with_session_id(const std::string& sid,
                                 std::string* kept = nullptr) {
  chat_server srv;
  srv.fallback({200, init_reply, {{"Mcp-Session-Id", sid}}, {}});
  http_transport t{srv.base() + "/chat/completions"};
  auto deadline = clock_type::now() + 5s;
  if (auto err = t.open(deadline))
    return "open failed: " + render(err);
  auto err = t.send(init_request(), deadline);
  if (kept != nullptr)
    *kept = t.session_id();
  return err ? render(err) : std::string{};
}

} // namespace

TEST(http_transport, accepts_a_visible_ascii_session_id_up_to_the_limit) {
  std::string kept;
  auto sid = std::string(max_session_id_bytes, 'a');
  EXPECT_EQ(send_with_session_id(sid, &kept), "");
  EXPECT_EQ(kept, sid);
}

TEST(http_transport, refuses_an_oversized_session_id) {
  std::string kept;
  auto why = send_with_session_id(std::string(max_session_id_bytes + 1, 'a'),
                                  &kept);
  EXPECT_NE(why.find("sent an Mcp-Session-Id of 1025 bytes (at most 1024 are "
                     "accepted)"),
            std::string::npos)
    << why;
  EXPECT_EQ(kept, "");
}

TEST(http_transport, refuses_a_session_id_with_control_characters) {
  for (auto bad : {std::string{"abc\x01"}, std::string{"abc\x7f"},
                   std::string{"ab\x1b]0;pwned\x07"}}) {
    std::string kept;
    auto why = send_with_session_id(bad, &kept);
    EXPECT_NE(why.find("sent an Mcp-Session-Id with a byte outside visible "
                       "ASCII"),
              std::string::npos)
      << why;
    EXPECT_EQ(kept, "");
  }
}

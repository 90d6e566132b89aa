// Tests: the SSE parser across chunks and line endings (suite sse).

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/sse.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

TEST(sse, parses_events_across_chunks_and_line_endings) {
  sse_parser p;
  std::vector<sse_event> all;
  auto feed = [&](std::string_view x) {
    for (auto& ev : p.feed(x))
      all.push_back(ev);
  };
  feed(": comment\r\nevent: message\r\nid: 1\r\nda");
  EXPECT_TRUE(all.empty());
  feed("ta: {\"a\":\r\ndata:1}\r\n\r\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].data, "{\"a\":\n1}");
  EXPECT_EQ(all[0].id, "1");
  feed("data: two\r");
  feed("\r");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].data, "two");
  EXPECT_EQ(all[1].type, "message");
  feed("event: ping\n\n"); // no data: nothing dispatched
  feed("event: custom\ndata: x\n\n");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].type, "custom");
}

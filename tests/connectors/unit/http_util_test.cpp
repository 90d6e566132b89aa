// Tests: Retry-After and HTTP URLs (suite http_util).

#include <gtest/gtest.h>

#include "caf/consensus/connectors/http.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;

TEST(http_util, parses_retry_after_and_urls) {
  EXPECT_EQ(parse_retry_after("3"), 3000);
  EXPECT_EQ(parse_retry_after(" 0 "), 0);
  EXPECT_EQ(parse_retry_after(""), -1);
  EXPECT_EQ(parse_retry_after("soon"), -1);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), 0); // past
  EXPECT_TRUE(is_http_url("http://127.0.0.1:8/x"));
  EXPECT_TRUE(is_http_url("HTTPS://h"));
  EXPECT_FALSE(is_http_url("ftp://h"));
  EXPECT_FALSE(is_http_url("http://"));
  EXPECT_FALSE(is_http_url("http://h x"));
}

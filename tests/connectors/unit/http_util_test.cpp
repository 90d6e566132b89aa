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

TEST(http_util, a_negative_or_oversized_retry_after_is_unusable) {
  EXPECT_EQ(parse_retry_after("-5"), retry_after_unusable);
  EXPECT_EQ(parse_retry_after("-0"), retry_after_unusable);
  EXPECT_EQ(parse_retry_after("1000000000"), retry_after_unusable);
  EXPECT_EQ(parse_retry_after("99999999999999999999999"), retry_after_unusable);
  EXPECT_EQ(parse_retry_after("999999999"), 999999999000);
  EXPECT_EQ(parse_retry_after("0000000000007"), 7000);
  EXPECT_EQ(parse_retry_after("00000000000"), 0);
  EXPECT_EQ(parse_retry_after("-"), -1);
}

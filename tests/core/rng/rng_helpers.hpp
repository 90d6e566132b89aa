// Tests: helpers of the rng tests (rng_test): bits of doubles, hex literals.

#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace caf::consensus::test {

inline uint64_t bits_of(double x) {
  uint64_t result;
  std::memcpy(&result, &x, sizeof(result));
  return result;
}

inline double parse_hex_double(const std::string& str) {
  char* end = nullptr;
  auto result = std::strtod(str.c_str(), &end);
  EXPECT_EQ(end, str.c_str() + str.size()) << "cannot parse " << str;
  return result;
}

} // namespace caf::consensus::test

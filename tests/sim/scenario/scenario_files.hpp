// Helpers of the scenario tests: the test data files, and loading or parsing
// a scenario with its failure reported.

#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::test {

/// The scenario files of the tests (`good/` and `bad/`).
inline const std::string data_dir = CAF_CONSENSUS_TEST_DATA "/scenarios";

inline std::string good(const std::string& file) {
  return data_dir + "/good/" + file;
}

inline std::string bad(const std::string& file) {
  return data_dir + "/bad/" + file;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// Loads a file that must be valid (fails the test otherwise).
inline sim::scenario must_load(const std::string& path) {
  auto s = sim::load_scenario(path);
  if (!s) {
    ADD_FAILURE() << path << ": " << render(s.error());
    return {};
  }
  return std::move(*s);
}

/// Parses text that must be valid.
inline sim::scenario must_parse(const std::string& text) {
  auto s = sim::parse_scenario(text, "inline.yaml");
  if (!s) {
    ADD_FAILURE() << render(s.error());
    return {};
  }
  return std::move(*s);
}

/// Returns the error message of parsing `text` (empty if it parsed).
inline std::string parse_error(const std::string& text,
                               const std::string& origin = "inline.yaml") {
  auto s = sim::parse_scenario(text, origin);
  if (s)
    return {};
  EXPECT_EQ(s.error().category(), errc_category);
  EXPECT_EQ(s.error().code(), static_cast<uint8_t>(errc::malformed_input));
  return render(s.error());
}

/// The smallest valid scenario, to append keys to.
inline const std::string base = "ground_truth: correct\n"
                                "agents:\n"
                                "  - name: solo\n";

} // namespace caf::consensus::test

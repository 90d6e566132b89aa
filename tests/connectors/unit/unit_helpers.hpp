// Tests: helpers of the connectors unit tests (connectors_unit_test): error
// texts and deadlines.

#pragma once

#include <chrono>
#include <string>

#include "caf/error.hpp"

#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::test {

inline std::string text_of(const caf::error& err) {
  return connectors::error_text(err);
}

/// Returns the deadline `d` from now.
inline connectors::time_point in(std::chrono::milliseconds d) {
  return connectors::clock_type::now() + d;
}

} // namespace caf::consensus::test

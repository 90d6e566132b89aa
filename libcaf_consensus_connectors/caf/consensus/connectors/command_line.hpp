// caf-consensus: command lines split into words like a shell, without
// running anything.

#pragma once

#include <string>
#include <vector>

#include "caf/expected.hpp"

namespace caf::consensus::connectors {

/// Splits a command line into words like a POSIX shell (quotes, backslashes,
/// `$VAR`), without running commands: `$(...)` and backticks are errors, and
/// so is an undefined variable.
expected<std::vector<std::string>> split_command(const std::string& line);

} // namespace caf::consensus::connectors

// consensus-sim: the subcommands. Each takes the arguments after its name
// and returns the process exit status.

#pragma once

#include <string>
#include <vector>

namespace caf::consensus::cli {

using args = std::vector<std::string>;

int conform(const args& xs);
int replay(const args& xs);
int validate(const args& xs);
int run(const args& xs);

} // namespace caf::consensus::cli

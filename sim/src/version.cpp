// caf-consensus sim: the program version.

#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

const char* program_version = "caf-consensus 0.2.0";

} // namespace caf::consensus::sim

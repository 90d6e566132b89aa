// caf-consensus sim: the program version.

#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

const char* program_version = "caf-consensus 0.4.0";

#ifdef CAF_CONSENSUS_COMMIT
const char* program_commit = CAF_CONSENSUS_COMMIT;
#else
const char* program_commit = "unknown";
#endif

} // namespace caf::consensus::sim

// caf-consensus sim: the program version written into manifests, stores and
// the distributed handshake.

#pragma once

namespace caf::consensus::sim {

/// The program version (`caf-consensus 0.2.0`). Stores and remote workers
/// accept only results written by the same version.
extern const char* program_version;

} // namespace caf::consensus::sim

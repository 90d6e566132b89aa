// caf-consensus sim: the program version written into manifests, stores and
// the distributed handshake.

#pragma once

namespace caf::consensus::sim {

/// The program version (`caf-consensus 0.4.0`). Stores and remote workers
/// accept only results written by the same version.
extern const char* program_version;

/// The git commit the build was configured from ("unknown" outside a git
/// checkout); shown by `consensus-sim --version`, not part of any check.
extern const char* program_commit;

} // namespace caf::consensus::sim

// consensus-sim: the command-line flags of distributed sweeps (shared secret
// and TLS), shared by `run`, `tune` and `worker`.

#pragma once

#include <memory>
#include <string>

#include "caf/expected.hpp"

#include "caf/consensus/sim/sweep/distributed.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

/// The secret and TLS flags.
struct remote_flags {
  std::string secret_file;
  /// Set only to refuse it: secrets never go on the command line.
  std::string secret_on_command_line;
  sim::tls_options tls;

  /// Adds --secret-file, --tls-cert, --tls-key, --tls-ca (and --secret,
  /// which is refused) to `desc`.
  void add(po::options_description& desc);

  /// Loads the shared secret from --secret-file or CONSENSUS_SECRET and
  /// checks the TLS files. Refuses --secret. Warns on stderr (without
  /// showing the secret) when the secret file is readable by others.
  expected<std::string> load(const po::variables_map& vm) const;

  /// Returns the remote options of `--workers HOST:PORT,...` (`workers`)
  /// with the loaded secret and TLS files, or nullptr without workers; then
  /// a secret or TLS flag is an error (they only apply with --workers).
  /// Errors carry the whole message (`context_text`).
  expected<std::shared_ptr<sim::remote_options>>
  remote(const po::variables_map& vm, const std::string& workers) const;
};

} // namespace caf::consensus::cli

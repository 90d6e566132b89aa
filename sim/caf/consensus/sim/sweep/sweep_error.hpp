// caf-consensus sim: error codes of durable and distributed sweeps.

#pragma once

#include <cstdint>
#include <string>

#include "caf/atom.hpp"
#include "caf/error.hpp"

namespace caf::consensus::sim {

/// Error codes of the results store and of distributed sweeps. Category
/// atom: `cs_sweep`.
enum class sweep_errc : uint8_t {
  /// No error.
  none = 0,
  /// A worker refused us (wrong shared secret, different program version).
  refused,
  /// A peer sent a request or reply that is malformed or too large.
  bad_message,
  /// The worker cannot run this sweep (the scenario does not resolve to the
  /// same sweep there).
  incompatible,
  /// A worker failed (connection lost, no reply within the deadline).
  worker_failed,
  /// No worker is left that could run the remaining batches.
  no_workers,
  /// The results store cannot be read or written (I/O, SQLite).
  store_failed,
  /// The results store belongs to a different sweep.
  store_mismatch,
  /// The directory holds no results store, or not a valid one.
  no_store,
  /// The shared secret or the TLS files are missing or unusable.
  bad_credentials,
  /// Cannot listen on or connect to an address.
  network_failed,
};

/// The category atom of #sweep_errc.
constexpr atom_value sweep_errc_category = atom("cs_sweep");

/// Returns the name of `x`.
/// @relates sweep_errc
std::string to_string(sweep_errc x);

/// Creates an error with code `x` and a human readable context message.
/// @relates sweep_errc
error make_error(sweep_errc x, std::string what);

/// Renders any error as one line: `sweep_errc` errors as `NAME: MESSAGE`,
/// everything else like `caf::consensus::render`.
std::string render_sweep_error(const error& x);

} // namespace caf::consensus::sim

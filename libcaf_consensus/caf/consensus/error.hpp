// caf-consensus: error codes of the library (CAF 0.17 style: enum + category).

#pragma once

#include <cstdint>
#include <string>

#include "caf/atom.hpp"
#include "caf/error.hpp"
#include "caf/make_message.hpp"

namespace caf::consensus {

/// Error codes of caf-consensus. Category atom: `consensus`.
enum class errc : uint8_t {
  /// No error.
  none = 0,
  /// A protocol parameter is out of its domain.
  invalid_params,
  /// The participant list is empty.
  no_participants,
  /// Two participants share an id.
  duplicate_participant,
  /// A participant id is the empty string.
  empty_participant_id,
  /// The policy name is unknown.
  unknown_policy,
  /// An input file or message is malformed.
  malformed_input,
  /// The coordinator is already running a consensus.
  busy,
  /// The participant's execute failed.
  execute_failed,
};

/// The category atom of #errc.
constexpr atom_value errc_category = atom("consensus");

/// Returns the name of `x`.
/// @relates errc
std::string to_string(errc x);

/// Creates an error with code `x` and a human readable context message.
/// @relates errc
error make_error(errc x, std::string what);

/// Creates an error with code `x` and no context.
/// @relates errc
error make_error(errc x);

/// Renders `x` (any category) as a one-line human readable message.
std::string render(const error& x);

/// Returns the context message of `x` without the code name (for chaining
/// messages), `render(x)` when it has none, and "no error" for no error.
std::string context_text(const error& x);

} // namespace caf::consensus

// caf-consensus: what one call of `execute` returns.

#pragma once

#include <cstdint>
#include <string>

#include "caf/meta/omittable_if_empty.hpp"
#include "caf/meta/type_name.hpp"

#include "caf/consensus/shared_text.hpp"
#include "caf/consensus/word_set.hpp"

namespace caf::consensus {

/// Outcome of one `execute` call (Python: `Result`).
struct result {
  /// Participant id. The engine files a result under the participant that was
  /// called; a differing id is flagged in `mismatched_id`.
  std::string id;
  /// Text answer. The engine stores it in the state and shows it to peers
  /// without copying it.
  shared_text output;
  /// The answer's token set without its text (see `word_set`): set by agents
  /// that answer in tokens, such as the simulator's synthetic ones. When set,
  /// token-based policies read it instead of tokenizing `output`, which may
  /// then be empty; choice policies need `label` for such an answer.
  word_set words;
  /// Whether the call succeeded.
  bool ok = false;
  /// Error text of a failed call (empty when ok).
  std::string error;
  /// Latency in (real or simulated) milliseconds.
  int64_t ms = 0;
  /// Round of the call (0 = initial proposal).
  int32_t round = 0;
  /// Optional choice key (answer label) for choice-based policies. Empty means
  /// "derive it from `output` with the configured extractor".
  std::string label;
  /// Set when the call ran out of time (no answer before the deadline).
  bool timed_out = false;
  /// Set when `execute` returned a result carrying another participant's id.
  bool mismatched_id = false;
  /// Tokens the call consumed, when the agent reports them (0: unknown).
  uint64_t tokens = 0;
};

/// @relates result
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, result& x) {
  return f(meta::type_name("caf::consensus::result"), x.id, x.output, x.ok,
           x.error, x.ms, x.round, x.label, x.timed_out, x.mismatched_id,
           x.tokens, meta::omittable_if_empty(), x.words);
}

/// Returns a failed result for participant `id` in `round`.
result make_failure(std::string id, int32_t round, std::string error,
                    int64_t ms = 0);

/// Returns a successful result.
result make_ok(std::string id, shared_text output, int64_t ms = 0,
               int32_t round = 0);

bool operator==(const result& x, const result& y);

} // namespace caf::consensus

// caf-consensus: what one round of a run looked like (agreement, confidence,
// decisions), computed from the state.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/type_name.hpp"

#include "caf/consensus/state.hpp"

namespace caf::consensus {

/// One round of a run (0 = initial proposals) in numbers. Counts, not
/// shares, so that nothing is rounded: the share of live participants that
/// agree with the reference answer is `with_reference / live`.
struct round_summary {
  int32_t round = 0;
  /// Participants that answered ok in this round.
  uint32_t live = 0;
  /// Calls made in this round, and how many of them failed.
  uint32_t calls = 0;
  uint32_t failures = 0;
  /// Live participants whose answer has the reference choice key (in a
  /// finished run: the eventual winner's).
  uint32_t with_reference = 0;
  /// Live participants whose answer has the true choice key (when known).
  uint32_t with_truth = 0;
  /// Live participants holding the most common choice key of the round
  /// (answers without a choice key count for none).
  uint32_t with_plurality = 0;
  /// Mean and largest confidence over all participants after the round, by
  /// the policy's own definition (0 when the round has no trace).
  double mean_confidence = 0;
  double max_confidence = 0;
  /// Participants decided by the end of the round (snowball); -1 when the
  /// policy has no per-participant decisions.
  int32_t decided = -1;
  /// The stop rule (beta_1, every participant decided, unanimity) fired
  /// after this round.
  bool stopped = false;
};

/// @relates round_summary
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, round_summary& x) {
  return f(meta::type_name("caf::consensus::round_summary"), x.round, x.live,
           x.calls, x.failures, x.with_reference, x.with_truth,
           x.with_plurality, x.mean_confidence, x.max_confidence, x.decided,
           x.stopped);
}

/// Returns round `round` of `st` in numbers, comparing answers with the
/// choice keys `reference` and `truth` (an empty key matches nothing). Works
/// on a finished state and, from a round observer, on the state so far (pass
/// the current leader's key as `reference`).
round_summary summarize_round(const state& st, int32_t round,
                              const std::string& reference,
                              const std::string& truth);

/// Returns every executed round of a finished run (0 .. rounds_executed),
/// with the winner's choice key as the reference.
std::vector<round_summary> summarize_rounds(const state& st,
                                            const std::string& truth);

} // namespace caf::consensus

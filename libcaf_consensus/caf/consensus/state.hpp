// caf-consensus: the outcome of a consensus run.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/meta/omittable_if_empty.hpp"
#include "caf/meta/type_name.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/sample_list.hpp"
#include "caf/consensus/shared_text.hpp"
#include "caf/consensus/word_set.hpp"

namespace caf::consensus {

/// Why a run stopped sampling.
enum class stop_reason : uint8_t {
  /// Not stopped (run in progress).
  none,
  /// `rounds` <= 0: only the initial proposals were collected.
  no_rounds,
  /// Every refinement round ran.
  rounds_exhausted,
  /// Phase I threshold: max confidence reached beta_1.
  beta_1,
  /// Snowball: every live participant decided.
  all_decided,
  /// Every live participant gave the same choice key.
  unanimity,
  /// Sequential: the leading answer was certified as the most likely one.
  certificate,
  /// Sequential: the call budget (`max_calls`) would be exceeded.
  budget,
};

/// @relates stop_reason
std::string to_string(stop_reason x);

/// One response of a participant in the round it answered.
struct response {
  int32_t round = 0;
  /// The output (shared with the result it came from and the prompts that
  /// show it).
  shared_text text;
  bool ok = false;
  std::string label;
  int64_t ms = 0;
  /// Error text of a failed call (empty when ok).
  std::string error;
  /// The answer's token set when it came without text (`result::words`).
  word_set words;
};

/// @relates response
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, response& x) {
  return f(meta::type_name("caf::consensus::response"), x.round, x.text, x.ok,
           x.label, x.ms, x.error, meta::omittable_if_empty(), x.words);
}

/// One scored result: who, against which sample, with what agreement.
struct agreement_record {
  uint32_t participant = 0;
  sample_list sampled;
  double agreement = 0;
};

/// @relates agreement_record
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agreement_record& x) {
  return f(meta::type_name("caf::consensus::agreement_record"), x.participant,
           x.sampled, x.agreement);
}

/// What happened in one round (0 = initial proposals).
struct round_trace {
  int32_t round = 0;
  /// Samples drawn for this round, as participant indexes. A policy with one
  /// shared sample (hanzo) stores one entry; otherwise one per participant.
  std::vector<sample_list> samples;
  /// Sampling weights used for this round (policy-specific meaning).
  std::vector<double> weights;
  /// Scored results in scoring order.
  std::vector<agreement_record> agreements;
  /// Confidence of every participant after the round.
  std::vector<double> confidence;
  uint32_t calls = 0;
  uint32_t failures = 0;
  uint32_t timeouts = 0;
  /// Largest latency among the round's calls, capped at the timeout.
  int64_t duration_ms = 0;
};

/// @relates round_trace
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, round_trace& x) {
  return f(meta::type_name("caf::consensus::round_trace"), x.round, x.samples,
           x.weights, x.agreements, x.confidence, x.calls, x.failures,
           x.timeouts, x.duration_ms);
}

/// Consensus state (Python: `State`). Per-participant vectors are aligned
/// with `participants`.
struct state {
  // -- inputs -----------------------------------------------------------------

  shared_text prompt;
  std::vector<std::string> participants;
  int32_t rounds = 0;
  /// Effective sample size (hanzo: min(k, n); others: as given).
  int32_t k = 0;
  double alpha = 0;
  double beta_1 = 0;
  double beta_2 = 0;
  std::string policy;

  // -- per participant --------------------------------------------------------

  /// Responses per participant, one entry per round it was called.
  std::vector<std::vector<response>> responses;
  std::vector<double> confidence;
  std::vector<double> luminance;
  std::vector<double> scores;
  /// Snowball: current preference (choice key) per participant.
  std::vector<std::string> preference;
  /// Snowball: refinement round in which the participant decided (-1: never).
  std::vector<int32_t> decided_round;

  // -- outcome ----------------------------------------------------------------

  bool finalized = false;
  /// Winner's id (empty when there is no winner).
  std::string winner;
  /// The winner's choice key (may be empty).
  std::string winner_label;
  std::string synthesis;
  int32_t rounds_executed = 0;
  stop_reason stop = stop_reason::none;
  /// First refinement round in which all live participants gave the same
  /// choice key (-1: never) and that key.
  int32_t unanimity_round = -1;
  std::string unanimity_label;

  // -- accounting -------------------------------------------------------------

  std::vector<round_trace> trace;
  uint64_t calls = 0;
  uint64_t failures = 0;
  uint64_t timeouts = 0;
  /// Sum of the rounds' durations.
  int64_t elapsed_ms = 0;
  /// Tokens of all calls, as far as the agents report them.
  uint64_t tokens = 0;

  // -- observers --------------------------------------------------------------

  /// Returns the index of participant `id` or `participants.size()`.
  size_t index_of(const std::string& id) const;

  /// Returns the texts of all responses of participant `i` (Python's
  /// `responses[id]`).
  std::vector<std::string> texts(size_t i) const;

  /// Returns the latest response of `i` or nullptr.
  const response* latest(size_t i) const;

  /// Returns the latest ok response of `i` or nullptr.
  const response* latest_ok(size_t i) const;
};

/// @relates state
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, state& x) {
  return f(meta::type_name("caf::consensus::state"), x.prompt, x.participants,
           x.rounds, x.k, x.alpha, x.beta_1, x.beta_2, x.policy, x.responses,
           x.confidence, x.luminance, x.scores, x.preference, x.decided_round,
           x.finalized, x.winner, x.winner_label, x.synthesis,
           x.rounds_executed, x.stop, x.unanimity_round, x.unanimity_label,
           x.trace, x.calls, x.failures, x.timeouts, x.elapsed_ms, x.tokens);
}

} // namespace caf::consensus

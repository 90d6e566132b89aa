// caf-consensus: protocol parameters.

#pragma once

#include <cstdint>
#include <string>

#include "caf/error.hpp"
#include "caf/meta/type_name.hpp"

#include "caf/consensus/rng/seed.hpp"

namespace caf::consensus {

/// How choice-based policies (`snowball`, `vote`) turn a response into a
/// choice key when the result carries no label.
enum class extractor_kind : uint8_t {
  /// Lower-cased text with runs of whitespace collapsed (default).
  normalized_text,
  /// The last number in the text (digits with optional sign and decimals).
  last_number,
  /// The first match of `params::extractor_pattern` (group 1 if present).
  regex,
};

/// @relates extractor_kind
std::string to_string(extractor_kind x);

/// Parses an extractor name (`text`, `last-number`, `regex`).
bool from_string(const std::string& str, extractor_kind& x);

/// Protocol parameters (Python: the keyword arguments of `Consensus`).
struct params {
  // -- shared by all policies -------------------------------------------------

  /// Number of refinement rounds after the initial proposals.
  int32_t rounds = 3;
  /// Sample size per round.
  int32_t k = 3;
  /// Agreement threshold (similarity at or above which a peer agrees).
  double alpha = 0.6;
  /// Phase I threshold: stop sampling when max confidence reaches it.
  double beta_1 = 0.5;
  /// Phase II threshold: finalize when the winner's score reaches it.
  double beta_2 = 0.8;
  /// Policy name: `metastable` (default), `hanzo`, `snowball`, `vote`,
  /// `sequential`, or the
  /// name of a user policy registered with `policy::register_policy`.
  std::string policy = "metastable";
  /// Seed of every random draw of a run: any integer (`hanzo` seeds like
  /// Python's `random.seed(n)`, for every n Python accepts; see `rng::seed`).
  rng::seed seed = 0;
  /// Per-call timeout in milliseconds (also the per-round deadline).
  int64_t timeout_ms = 60000;

  // -- snowball ---------------------------------------------------------------

  /// Votes needed to change preference (0: ceil(alpha * k)).
  int32_t alpha_preference = 0;
  /// Votes for the preference needed to extend the streak
  /// (0: ceil(alpha * k)).
  int32_t alpha_confidence = 0;
  /// Consecutive successful polls needed to decide.
  int32_t beta = 2;
  /// Sample peers with probability proportional to luminance (default:
  /// uniformly).
  bool luminance_weighted = false;

  // -- sequential -------------------------------------------------------------

  /// Error budget of the stopping certificate: the chance that a run
  /// certifies an answer that is not the most likely one is at most `delta`.
  double delta = 0.05;
  /// Call budget: stop (not finalized) when the next round would take the
  /// run's calls past it (0: no budget but `rounds`).
  int64_t max_calls = 0;

  // -- choice extraction (snowball, vote, sequential) -------------------------

  extractor_kind extractor = extractor_kind::normalized_text;
  std::string extractor_pattern;

  // -- extra stop condition ---------------------------------------------------

  /// Stop at the first refinement round in which every live participant gives
  /// the same choice key.
  bool stop_on_unanimity = false;
};

/// @relates params
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, params& x) {
  return f(meta::type_name("caf::consensus::params"), x.rounds, x.k, x.alpha,
           x.beta_1, x.beta_2, x.policy, x.seed, x.timeout_ms,
           x.alpha_preference, x.alpha_confidence, x.beta, x.luminance_weighted,
           x.extractor, x.extractor_pattern, x.stop_on_unanimity, x.delta,
           x.max_calls);
}

/// Returns whether all fields of `x` and `y` are equal.
/// @relates params
bool operator==(const params& x, const params& y);

/// @relates params
inline bool operator!=(const params& x, const params& y) {
  return !(x == y);
}

/// Returns ceil(alpha * k) clamped to [1, max(k, 1)] (snowball default quorum).
int32_t default_quorum(double alpha, int32_t k);

} // namespace caf::consensus

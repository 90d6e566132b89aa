// caf-consensus sim: effect sizes with 95% intervals, and the rules that turn
// them into verdicts on a claim.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caf::consensus::sim {

/// A difference `to - from` of a metric between two sweep cells, with its
/// 95% interval.
struct effect {
  /// False when it cannot be computed (e.g. a cell without finalized runs).
  bool valid = false;
  double value = 0;
  double lo = 0;
  double hi = 0;
  /// Pairs of runs the effect is computed from.
  uint64_t n = 0;
  /// `paired t` or `paired bootstrap` (see below).
  std::string method;
};

/// Returns the mean of the paired differences `to[i] - from[i]` with its
/// Student-t 95% interval (the runs of the two cells share their run seeds,
/// so pairing removes the variation both share). Invalid when the sizes
/// differ or fewer than 2 pairs exist.
effect paired_difference(const std::vector<double>& from,
                         const std::vector<double>& to);

/// Returns the difference of two ratios over paired runs,
/// `sum(num_to) / sum(den_to) - sum(num_from) / sum(den_from)` (e.g.
/// accuracy among finalized runs: `num` = finalized and correct, `den` =
/// finalized), with the 95% percentile interval of `resamples` paired
/// bootstrap resamples (run indices drawn with replacement, the same draw for
/// both cells; the generator is seeded with `seed`, so the interval is
/// reproducible). Invalid when the four vectors differ in size, a full-sample
/// denominator is 0, or more than 2.5% of the resamples have a zero
/// denominator.
effect paired_ratio_difference(const std::vector<double>& num_from,
                               const std::vector<double>& den_from,
                               const std::vector<double>& num_to,
                               const std::vector<double>& den_to, uint64_t seed,
                               size_t resamples = 2000);

/// How a claim fared.
enum class verdict : uint8_t {
  holds,
  holds_only_when,
  does_not_hold,
  inconclusive,
  not_testable,
};

/// Returns `holds`, `holds only when`, `does not hold`, `inconclusive` or
/// `not testable`.
std::string to_string(verdict x);

/// The sign of the effect a claim predicts.
enum class direction : int8_t { up = 1, down = -1 };

/// Classifies an effect against a claim that predicts direction `d`, where
/// `delta` > 0 is the smallest effect that matters:
/// - does not hold: the 95% interval excludes every effect of size `delta`
///   or more in the claimed direction (no effect, a negligible one, or one
///   of the opposite sign);
/// - holds: otherwise, when the interval lies entirely on the claimed side
///   of 0 (a real effect that may reach `delta`);
/// - inconclusive: otherwise (the interval is too wide to tell);
/// - not testable: the effect is not valid.
verdict classify(const effect& e, direction d, double delta);

/// Combines the verdicts of one claim under several conditions: all
/// testable ones hold: holds; some hold: holds only when (the caller names
/// the conditions); none holds and every testable one does not hold: does
/// not hold; otherwise inconclusive. Conditions that are not testable are
/// ignored (all of them not testable: not testable).
verdict combine(const std::vector<verdict>& xs);

} // namespace caf::consensus::sim

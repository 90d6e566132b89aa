// caf-consensus: the anytime-valid test behind policy `sequential`.

#pragma once

#include <cstdint>

namespace caf::consensus::detail {

/// Returns the logarithm of the e-value for "answer A is more likely than
/// answer B" after `a` votes for A and `b` votes for B (votes for other
/// answers do not enter).
///
/// Among the calls that answered A or B, a vote is A with probability q. The
/// e-value is the likelihood ratio of the data under q against q = 1/2,
/// mixed over a uniform prior on q in [1/2, 1]:
///
///   E(a, b) = 2 * 2^(a+b) * integral_{1/2}^{1} q^a (1-q)^b dq
///           = 2^(a+b+1) * B(a+1, b+1) * P(Binomial(a+b+1, 1/2) <= a).
///
/// Whenever A is not more likely than B (q <= 1/2), E is a nonnegative
/// supermartingale with E_0 = 1 over any sequence of calls, so by Ville's
/// inequality P(E ever reaches 1/d) <= d.
double log_mode_evalue(uint64_t a, uint64_t b);

/// Returns the log threshold that the leader's e-value must reach when the
/// leader was the `rank`-th distinct answer to appear (1-based) and the
/// error budget is `delta`: log(rank * (rank + 1) / delta). The weights
/// 1 / (rank (rank + 1)) sum to 1 over all ranks, so the chance that any
/// answer other than the most likely one is ever certified is at most
/// `delta`, whatever the number of answers.
double log_mode_threshold(uint64_t rank, double delta);

/// Returns whether a leader with `a` votes, first seen at `rank`, is
/// certified as the most likely answer against a runner-up with `b` votes
/// (the largest count among all other answers, 0 if none): a > b and
/// log_mode_evalue(a, b) >= log_mode_threshold(rank, delta).
bool mode_certified(uint64_t a, uint64_t b, uint64_t rank, double delta);

} // namespace caf::consensus::detail

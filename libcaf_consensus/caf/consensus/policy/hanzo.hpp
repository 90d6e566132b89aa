// caf-consensus: policy `hanzo`, the exact behaviour of hanzo-consensus 0.1.0.

#pragma once

#include <optional>

#include "caf/consensus/detail/token_bits.hpp"
#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/rng/python_random.hpp"

namespace caf::consensus::policy {

/// Reproduces hanzo-consensus 0.1.0 bit for bit, its random draws included.
///
/// - Luminance starts at 1; after round 0 only, an ok result with ms > 0 sets
///   `lum = 1 / (1 + ms/1000)`.
/// - `k' = min(k, n)`; one sample per round shared by all participants:
///   `random.choices(participants, [l / sum(l)], k=k')` on a generator seeded
///   like `random.seed(seed)` (with replacement, self allowed).
/// - Every participant gets the same prompt built from the latest responses.
/// - Results are scored in participant order, each after its own output was
///   appended: agreement = mean over the sample (repeats counted) of
///   Jaccard(output, peer's latest response); `c = c/2 + a/2` for ok results.
/// - Stop when max confidence >= beta_1. Score = c * lum; winner = first
///   maximum; finalized = score >= beta_2; synthesis = winner's latest
///   response verbatim. alpha is ignored.
class hanzo : public policy_base {
public:
  /// Takes the scratch buffers the last `hanzo` destroyed on this thread.
  hanzo();

  hanzo(const hanzo&) = delete;
  hanzo& operator=(const hanzo&) = delete;

  /// Leaves the scratch buffers to the next `hanzo` made on this thread.
  ~hanzo() override;

  std::string name() const override;

  std::vector<std::string> reads() const override;

  error validate(const params& ps, size_t n) const override;

  void start(state& st, const params& ps,
             std::shared_ptr<const text::similarity> sim) override;

  std::vector<request> plan(state& st, int32_t round) override;

  void plan_into(state& st, int32_t round, std::vector<request>& out) override;

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override;

  stop_reason stop(const state& st) const override;

  void finish(state& st) override;

  /// Sums the luminance weights left to right without compensation, as
  /// CPython before 3.12 does in `sum()` (default: 3.12's compensated sum,
  /// `rng::python_fsum`).
  void uncompensated_sum(bool on) noexcept {
    naive_sum_ = on;
  }

  /// Returns the generator of the run (null before `start`). A caller that
  /// owns the random state (the Python drop-in, which continues the global
  /// `random` module) sets it before a round is planned and reads it back
  /// after.
  rng::python_random* generator() noexcept {
    return gen_ ? &*gen_ : nullptr;
  }

private:
  /// A run's scratch space. A run makes and destroys its policy; the buffers
  /// stay on the thread for its next run (see `hanzo()` and `~hanzo()`).
  struct scratch {
    sample_list sample;
    /// `random.choices`' cumulative weights and draws.
    std::vector<double> cum;
    std::vector<size_t> drawn;
    /// The round's peer views (one sample for everyone).
    std::vector<peer_view> peers;
    /// Token sets of this round's and the previous round's responses.
    std::vector<detail::token_index::id_set> now;
    std::vector<detail::token_index::id_set> before;
    /// The same sets as 64-bit words where the vocabulary allows.
    std::vector<detail::token_word> now_word;
    std::vector<detail::token_word> before_word;
    /// Which entries of `now` the latest absorbed round filled: they are the
    /// next round's `before` (every round appends one response each).
    std::vector<uint8_t> have_now;
    std::vector<uint8_t> have_before;
  };

  bool naive_sum_ = false;
  std::optional<rng::python_random> gen_;
  double beta_1_ = 0;
  double beta_2_ = 0;
  /// Token sets of this run's responses (Jaccard on interned ids).
  detail::token_index tokens_;
  std::unique_ptr<scratch> buf_;
};

} // namespace caf::consensus::policy

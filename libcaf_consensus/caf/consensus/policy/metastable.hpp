// caf-consensus: policy `metastable` (the default).

#pragma once

#include "caf/consensus/detail/latest_answers.hpp"
#include "caf/consensus/detail/luminance.hpp"
#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/detail/token_bits.hpp"
#include "caf/consensus/detail/token_index.hpp"
#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// The documented two-phase design of hanzo-consensus, with the defects of
/// its code repaired. See docs/protocol.md for the derivations.
///
/// - Luminance: EWMA of call latencies (weight 1/2 on the newest; failures
///   count as the timeout), `l = 1/(1 + ms/1000)`, relative
///   `L_i = l_i / max_j l_j` over participants with an ok call (else 0).
/// - Sampling: participant i draws min(k, m-1) distinct peers, never itself,
///   among the m participants with an ok response, with probability ∝ L
///   (successive sampling, `detail::weighted_sampler`), each from its own
///   stream `derive(seed, {round, i, sample})`. Its prompt lists its own
///   sample.
/// - Agreement: after the barrier, peer j agrees with i when both answered ok
///   this round and similarity(out_i, out_j) >= alpha; a_i = agreeing/|S_i|.
/// - Confidence: first poll `c = a`; afterwards `c = c/2 + a/2`.
/// - Stop when max confidence >= beta_1.
/// - Score `s = c * L`; winner = highest score, ties by higher confidence
///   then list order, among participants with an ok response; finalized =
///   s >= beta_2; synthesis = winner's latest ok response.
class metastable : public policy_base {
public:
  /// Takes the scratch buffers the last `metastable` destroyed on this
  /// thread.
  metastable();

  metastable(const metastable&) = delete;
  metastable& operator=(const metastable&) = delete;

  /// Leaves the scratch buffers to the next `metastable` made on this thread.
  ~metastable() override;

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

private:
  /// A run's per-participant state and scratch space. A run makes and
  /// destroys its policy; the buffers stay on the thread for its next run.
  struct scratch {
    detail::luminance_tracker lum;
    std::vector<uint8_t> polled;
    /// Latest ok answer per participant (what `state::latest_ok` returns),
    /// in flat arrays: `plan` reads random peers' texts, and walking
    /// `st.responses` for each costs cache misses in large runs.
    detail::latest_answers latest;
    /// Per-round scratch: live participants and their sampler.
    std::vector<uint32_t> live;
    detail::weighted_sampler sampler;
    /// The round's token sets, one flat buffer reused across rounds:
    /// participant j's ids are `ids[id_begin[j]]` up to `ids[id_begin[j +
    /// 1]]` (no heap block per participant: less memory, one cache line per
    /// peer read).
    std::vector<uint32_t> ids;
    std::vector<size_t> id_begin;
    /// The same sets as bit sets when the vocabulary is small (`token_bits`).
    detail::token_bits bits;
  };

  params ps_;
  std::shared_ptr<const text::similarity> sim_;
  const text::token_similarity* token_sim_ = nullptr;
  std::vector<text::token_set> tokens_;
  /// Per round, for a similarity on texts: the joined tokens of answers
  /// given as words only.
  std::vector<std::string> joined_;
  /// The default similarity (Jaccard) runs on interned token ids.
  bool jaccard_ = false;
  detail::token_index index_;
  std::unique_ptr<scratch> buf_;
};

} // namespace caf::consensus::policy

// caf-consensus: policy `vote`, the majority-vote baseline.

#pragma once

#include <string_view>
#include <unordered_map>

#include "caf/consensus/detail/latest_answers.hpp"
#include "caf/consensus/detail/luminance.hpp"
#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// Plurality vote over choice keys after round 0 (self-consistency) or after
/// `rounds` refinement rounds (debate-then-vote; each participant is shown
/// min(k, m-1) distinct peers with an ok response, drawn uniformly).
///
/// - Each participant's vote is the key of its latest ok response.
/// - Winning key = most votes, ties broken by the earliest participant
///   holding a key; winner = the first participant voting for it.
/// - Confidence of i = share of votes equal to i's vote; score = confidence.
/// - Finalized = the winning key has more than half of all participants'
///   votes (a strict majority of n).
/// - Never stops early (except on unanimity when asked).
class vote : public policy_base {
public:
  std::string name() const override;

  std::vector<std::string> reads() const override;

  error validate(const params& ps, size_t n) const override;

  bool needs_labels() const override;

  void start(state& st, const params& ps,
             std::shared_ptr<const text::similarity> sim) override;

  std::vector<request> plan(state& st, int32_t round) override;

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override;

  stop_reason stop(const state& st) const override;

  void finish(state& st) override;

private:
  params ps_;
  std::unique_ptr<detail::luminance_tracker> lum_;
  /// Latest ok answers: the votes, and what the prompts show of random peers.
  detail::latest_answers latest_;
  /// Per-round scratch: live participants, votes per key.
  std::vector<uint32_t> live_;
  std::unordered_map<std::string_view, size_t> votes_;
};

} // namespace caf::consensus::policy

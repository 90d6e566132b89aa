// caf-consensus: policy `sequential`, polling until an anytime-valid test
// certifies the most likely answer.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/detail/luminance.hpp"
#include "caf/consensus/detail/plurality.hpp"
#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// Sequential polling with an error guarantee.
///
/// - Every round asks every participant the prompt alone (no peers, no own
///   previous answer): each call is a fresh vote. Votes are choice keys
///   (labels, or keys extracted from text) and pile up over all rounds,
///   round 0 included; failed calls carry no vote.
/// - After every round (round 0 included) the leader (most votes; ties: the
///   answer seen first) is tested against the runner-up (the most votes of
///   any other answer, 0 if none) with `detail::mode_certified`: the run
///   stops with `stop_reason::certificate` when the mixture e-value reaches
///   rank (rank + 1) / delta, rank being the order in which the leader first
///   appeared. If the calls are independent draws from one answer
///   distribution (more generally: if the rounds' calls are independent and
///   the leader is not more likely than the most likely answer on average
///   over the participants asked), the chance that a run ever certifies an
///   answer other than the most likely one is at most `delta`.
/// - Otherwise it stops with `stop_reason::budget` when one more round would
///   take its calls past `max_calls` (when set), or after `rounds` rounds.
/// - Finalized = certified. Winner = the leader (also when not certified);
///   the winner is the first participant whose latest ok vote is the
///   leader, synthesis its response. Confidence of i = share of all votes
///   equal to i's latest vote; score = confidence.
class sequential : public policy_base {
public:
  std::string name() const override;

  std::vector<std::string> reads() const override;

  error validate(const params& ps, size_t n) const override;

  bool needs_labels() const override;

  bool stops_after_proposals() const override;

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
  /// Every vote of the run, answers in order of first appearance.
  detail::plurality tally_;
  /// Per participant: the tally index of the key of its latest ok answer, or
  /// `no_vote` (no ok answer yet, or one without a key). Flat, so that the
  /// confidence pass reads no response history.
  static constexpr uint32_t no_vote = UINT32_MAX;
  std::vector<uint32_t> latest_vote_;
};

} // namespace caf::consensus::policy

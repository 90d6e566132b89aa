// caf-consensus: policy `snowball`, the Avalanche reference.

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "caf/consensus/detail/latest_answers.hpp"
#include "caf/consensus/detail/luminance.hpp"
#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// Snowball over discrete choice keys (answer labels, or keys extracted from
/// text).
///
/// - Each participant polls min(k, n-1) distinct other participants per
///   round, drawn from all of them, live or not (uniformly, or ∝ luminance
///   with `luminance_weighted`). A peer that fails or times out in that round
///   is a nil vote: it counts in the sample but for no choice.
/// - Quorums `alpha_preference` and `alpha_confidence` (default both
///   ceil(alpha * k'), k' = min(k, n-1) the sample actually drawn): the choice
///   with the most votes (ties: first in sample order) becomes the preference
///   when it has >= alpha_preference votes (a change resets the streak); then
///   >= alpha_confidence votes for the preference extend the streak, otherwise
///   the streak resets to 0.
/// - A participant decides when its streak reaches `beta`; its preference is
///   then frozen. Only participants that answered ok in a round poll in it.
/// - Stop when every participant that answered ok this round has decided.
/// - Confidence = streak / beta (1 once decided), score = confidence.
///   Finalized = at least one participant decided and all decided the same
///   choice. The winning choice is the most decided one (ties: earliest
///   decider in list order), or the plurality of preferences if none
///   decided; the winner is the first participant preferring it (a decider,
///   if any decided); synthesis = the winner's latest ok response with the
///   winning key (else anyone's, else the winner's latest ok response).
class snowball : public policy_base {
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
  int32_t alpha_pref_ = 1;
  int32_t alpha_conf_ = 1;
  std::unique_ptr<detail::luminance_tracker> lum_;
  std::vector<int32_t> streak_;
  std::vector<uint8_t> live_;
  /// Latest ok answers (the prompts show random peers' answers).
  detail::latest_answers latest_;
  /// Every participant: the population of both samplers.
  std::vector<uint32_t> everyone_;
  /// Uniform sampling draws from everyone in every round: one sampler per
  /// run; weighted sampling resets its sampler every round.
  std::optional<detail::uniform_sampler> uniform_;
  detail::weighted_sampler weighted_;
  /// This round's votes, flat: the choice keys of the round (views into the
  /// round's results, in order of first appearance) and per participant the
  /// index of its key, or `nil` (failed call or no key). `absorb` reads
  /// random peers' votes here instead of their whole results.
  static constexpr uint32_t nil = UINT32_MAX;
  std::vector<std::string_view> keys_;
  std::unordered_map<std::string_view, uint32_t> key_ids_;
  std::vector<uint32_t> vote_;
  std::vector<std::pair<uint32_t, int32_t>> votes_;
};

} // namespace caf::consensus::policy

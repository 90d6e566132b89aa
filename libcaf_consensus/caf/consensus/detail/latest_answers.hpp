// caf-consensus: every participant's latest ok answer in flat arrays.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/sample_list.hpp"
#include "caf/consensus/shared_text.hpp"

namespace caf::consensus::detail {

/// The latest ok response of every participant, i.e. the text and label of
/// what `state::latest_ok(i)` returns, in flat arrays indexed by participant.
/// Policies read random peers' latest answers every round (the prompt shows
/// them); walking `state::responses` (one heap block per participant) for
/// each costs a cache miss per peer in large runs, and the arrays here are
/// read sequentially or at one position per peer.
class latest_answers {
public:
  /// Prepares `n` participants without an answer.
  void reset(size_t n);

  /// Records the ok results of one round (aligned with the participants, as
  /// the engine passes them to `policy_base::absorb`).
  void update(const std::vector<result>& results);

  /// Returns whether participant `i` answered ok at least once.
  bool has(size_t i) const noexcept {
    return has_[i] != 0;
  }

  /// Returns the text of `i`'s latest ok answer (empty before it has one).
  const shared_text& text(size_t i) const noexcept {
    return text_[i];
  }

  /// Returns the label of `i`'s latest ok answer (empty before it has one).
  const std::string& label(size_t i) const noexcept {
    return label_[i];
  }

  /// Shows participant `i` its `sample` in `req`: the peers are the sampled
  /// participants with an ok answer (their latest text and label, in sample
  /// order; `participants` gives their ids), its own text and label its
  /// latest ok answer (empty before it has one). Keeps the capacity of
  /// `req.peers`.
  void show(const std::vector<std::string>& participants, size_t i,
            const sample_list& sample, request& req) const;

  size_t size() const noexcept {
    return has_.size();
  }

private:
  std::vector<shared_text> text_;
  std::vector<std::string> label_;
  std::vector<uint8_t> has_;
};

} // namespace caf::consensus::detail

// caf-consensus sim: one Snow-family node's counters, with selectable
// semantics (avalanchego's Snowflake and Snowball, luxfi's variant).

#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace caf::consensus::sim::snow {

/// How a node's confidence counter moves after a poll.
enum class semantics : uint8_t {
  /// avalanchego's n-ary Snowflake (one termination condition). Let `c` be
  /// the poll's mode and `m` its votes: `m < alpha_preference` resets the
  /// counter to 0 (unsuccessful poll); otherwise `c` becomes the preference
  /// (a change resets the counter first) and the counter then grows by one
  /// when `m >= alpha_confidence` and resets to 0 when not. So an
  /// alpha-confidence poll for the preference increments it, one for another
  /// choice sets it to 1, an alpha-preference-only poll resets it to 0.
  snowflake,
  /// avalanchego's n-ary Snowball: Snowflake plus preference strengths. A
  /// poll with `m >= alpha_preference` adds one to `c`'s strength; the
  /// preference is the choice whose strength first exceeded every other
  /// (ties keep the older one). The counter is Snowflake's; once finalized
  /// the answer is Snowflake's choice.
  snowball,
  /// luxfi/consensus's counter (`focus.Confidence`): the preference moves as
  /// in Snowflake (a change resets the counter to 0); then with
  /// `v` = the poll's votes for the preference out of `k`, the counter grows
  /// by one when `v >= alpha_confidence` and resets to 0 only when
  /// `v / k <= 1 - alpha_confidence / k` (i.e. `v <= k - alpha_confidence`);
  /// in between it stays where it was.
  luxfi,
};

/// Returns the name of `x` as written in study files.
std::string to_string(semantics x);

/// Parses `snowflake`, `snowball` or `luxfi`; false for anything else.
bool from_string(const std::string& str, semantics& x);

/// Poll quorums and the decision threshold.
struct quorum {
  int32_t k = 20;
  int32_t alpha_preference = 15;
  int32_t alpha_confidence = 15;
  int32_t beta = 20;
};

/// One honest node: preference, confidence counter, decision. Choices are
/// colour indices `0 .. colours - 1`. Pure: no randomness, no allocation
/// after construction.
class node {
public:
  node() = default;

  node(semantics sem, const quorum& q, uint32_t colours, uint32_t initial);

  /// Records a poll whose mode is `choice` with `count` votes and that gave
  /// `for_pref` votes to the current preference (needed by `luxfi` only;
  /// the avalanchego semantics ignore it). No effect once finalized, except
  /// for `snowball`'s strengths, which keep counting as upstream.
  void record_poll(int32_t count, uint32_t choice, int32_t for_pref);

  /// avalanchego's form: `for_pref` is `count` when `choice` is the
  /// preference, else 0 (exact for two colours and for every upstream test).
  void record_poll(int32_t count, uint32_t choice) {
    record_poll(count, choice, choice == flake_pref_ ? count : 0);
  }

  /// Records a poll with no usable result: the counter resets to 0.
  void record_unsuccessful_poll();

  /// Records a whole poll: `votes[c]` is the number of votes for colour `c`
  /// (`k` in all at most). The mode is the colour with the most votes, the
  /// lowest index among equals.
  void record_votes(const int32_t* votes);

  /// The answer the node gives when queried.
  uint32_t preference() const {
    return sem_ == semantics::snowball && !finalized_ ? ball_pref_
                                                      : flake_pref_;
  }

  bool finalized() const {
    return finalized_;
  }

  int32_t confidence() const {
    return confidence_;
  }

  /// Snowball's strength of `choice` (0 for the other semantics).
  int32_t strength(uint32_t choice) const {
    return choice < strength_.size() ? strength_[choice] : 0;
  }

private:
  semantics sem_ = semantics::snowflake;
  quorum q_;
  uint32_t colours_ = 0;
  uint32_t flake_pref_ = 0;
  uint32_t ball_pref_ = 0;
  int32_t confidence_ = 0;
  int32_t max_strength_ = 0;
  bool finalized_ = false;
  std::vector<int32_t> strength_;
};

} // namespace caf::consensus::sim::snow

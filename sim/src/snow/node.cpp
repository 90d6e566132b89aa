// caf-consensus sim: Snow-family node counters (see snow/node.hpp).

#include "caf/consensus/sim/snow/node.hpp"

namespace caf::consensus::sim::snow {

std::string to_string(semantics x) {
  switch (x) {
    case semantics::snowflake:
      return "snowflake";
    case semantics::snowball:
      return "snowball";
    case semantics::luxfi:
      return "luxfi";
  }
  return "?";
}

bool from_string(const std::string& str, semantics& x) {
  for (auto s : {semantics::snowflake, semantics::snowball, semantics::luxfi})
    if (to_string(s) == str) {
      x = s;
      return true;
    }
  return false;
}

node::node(semantics sem, const quorum& q, uint32_t colours, uint32_t initial)
  : sem_(sem),
    q_(q),
    colours_(colours),
    flake_pref_(initial),
    ball_pref_(initial) {
  if (sem == semantics::snowball)
    strength_.assign(colours, 0);
}

void node::record_poll(int32_t count, uint32_t choice, int32_t for_pref) {
  if (sem_ == semantics::snowball && count >= q_.alpha_preference
      && choice < strength_.size()) {
    auto s = ++strength_[choice];
    if (s > max_strength_) {
      max_strength_ = s;
      ball_pref_ = choice;
    }
  }
  if (finalized_)
    return;
  if (sem_ != semantics::luxfi) {
    if (count < q_.alpha_preference) {
      confidence_ = 0;
      return;
    }
    if (choice != flake_pref_) {
      confidence_ = 0;
      flake_pref_ = choice;
    }
    if (count >= q_.alpha_confidence)
      ++confidence_;
    else
      confidence_ = 0;
  } else {
    if (count >= q_.alpha_preference && choice != flake_pref_) {
      confidence_ = 0;
      flake_pref_ = choice;
      for_pref = count;
    }
    if (for_pref >= q_.alpha_confidence)
      ++confidence_;
    else if (for_pref <= q_.k - q_.alpha_confidence)
      confidence_ = 0;
  }
  if (confidence_ >= q_.beta)
    finalized_ = true;
}

void node::record_unsuccessful_poll() {
  confidence_ = 0; // as upstream, also once finalized (it no longer matters)
}

void node::record_votes(const int32_t* votes) {
  uint32_t mode = 0;
  for (uint32_t c = 1; c < colours_; ++c)
    if (votes[c] > votes[mode])
      mode = c;
  record_poll(votes[mode], mode, votes[flake_pref_]);
}

} // namespace caf::consensus::sim::snow

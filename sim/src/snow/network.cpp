// caf-consensus sim: Snow-family networks (see snow/network.hpp).

#include "caf/consensus/sim/snow/network.hpp"

#include <algorithm>
#include <numeric>

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim::snow {

std::string to_string(schedule x) {
  return x == schedule::async ? "async" : "sync";
}

std::string to_string(adversary x) {
  switch (x) {
    case adversary::fixed:
      return "fixed";
    case adversary::balancing:
      return "balancing";
    case adversary::equivocating:
      return "equivocating";
  }
  return "?";
}

bool from_string(const std::string& str, schedule& x) {
  if (str != "async" && str != "sync")
    return false;
  x = str == "async" ? schedule::async : schedule::sync;
  return true;
}

bool from_string(const std::string& str, adversary& x) {
  for (auto a :
       {adversary::fixed, adversary::balancing, adversary::equivocating})
    if (to_string(a) == str) {
      x = a;
      return true;
    }
  return false;
}

error validate(const config& x) {
  auto bad = [](const char* key, int64_t value, const std::string& why) {
    return make_error(errc::invalid_params, std::string{key} + " = "
                                              + std::to_string(value) + ": "
                                              + why);
  };
  if (x.nodes < 1 || x.nodes > 1000000)
    return bad("nodes", x.nodes, "must be in [1, 1000000]");
  if (x.colours < 1 || x.colours > 256)
    return bad("colours", x.colours, "must be in [1, 256]");
  if (x.q.k < 1 || static_cast<uint32_t>(x.q.k) > x.nodes)
    return bad("k", x.q.k, "must be in [1, nodes]");
  if (x.q.alpha_preference < 1 || x.q.alpha_preference > x.q.k)
    return bad("alpha_preference", x.q.alpha_preference, "must be in [1, k]");
  if (x.q.alpha_confidence < x.q.alpha_preference
      || x.q.alpha_confidence > x.q.k)
    return bad("alpha_confidence", x.q.alpha_confidence,
               "must be in [alpha_preference, k]");
  if (x.q.beta < 1)
    return bad("beta", x.q.beta, "must be >= 1");
  if (x.adversaries >= x.nodes)
    return bad("adversaries", x.adversaries, "must leave an honest node");
  if (x.wrong >= x.colours)
    return bad("wrong", x.wrong, "must be a colour in [0, colours - 1]");
  if (x.max_polls_per_node < 1)
    return bad("max_polls_per_node", x.max_polls_per_node, "must be >= 1");
  if (x.checkpoints > 100000)
    return bad("checkpoints", x.checkpoints, "must be <= 100000");
  return {};
}

namespace {

/// The state of one run: nodes, honest preference counts, scratch space.
class net {
public:
  net(const config& x, uint64_t run_seed)
    : x_(x),
      honest_(x.nodes - x.adversaries),
      gen_(rng::derive(run_seed, {2})),
      pool_(x.nodes),
      votes_(x.colours),
      holders_(x.colours) {
    rng::rng64 init{rng::derive(run_seed, {1})};
    nodes_.reserve(honest_);
    for (uint32_t i = 0; i < honest_; ++i) {
      auto c = static_cast<uint32_t>(init.below(x.colours));
      nodes_.emplace_back(x.sem, x.q, x.colours, c);
      ++holders_[c];
      running_.push_back(i);
    }
    std::iota(pool_.begin(), pool_.end(), 0u);
    answers_.resize(x.nodes);
    out_.decided.assign(x.checkpoints, 0);
  }

  outcome run() {
    if (x_.sched == schedule::async)
      run_async();
    else
      run_sync();
    out_.finished = running_.empty() && !out_.disagreement;
    // Runs that stopped early keep their last count.
    for (auto t = next_checkpoint_; t < x_.checkpoints; ++t)
      out_.decided[t] = decided_;
    return std::move(out_);
  }

private:
  /// The adversary's answer now.
  uint32_t adversary_answer() const {
    if (x_.attack != adversary::balancing || x_.colours < 2)
      return x_.wrong; // equivocating answers are drawn per querier
    uint32_t a = 0;
    uint32_t b = 1;
    if (holders_[b] > holders_[a])
      std::swap(a, b);
    for (uint32_t c = 2; c < x_.colours; ++c)
      if (holders_[c] > holders_[a]) {
        b = a;
        a = c;
      } else if (holders_[c] > holders_[b]) {
        b = c;
      }
    // a: most preferred, b: second; answer the one with fewer holders.
    if (holders_[a] == holders_[b])
      return std::max(a, b);
    return b;
  }

  uint32_t answer(uint32_t j) const {
    return j < honest_ ? nodes_[j].preference() : adversary_answer();
  }

  /// Draws the poll of honest node `i` into votes_ (answers from `snapshot`
  /// when given, live otherwise).
  void draw_poll(uint32_t i, const uint32_t* snapshot) {
    auto own = nodes_[i].preference();
    auto equivocate = x_.attack == adversary::equivocating;
    std::fill(votes_.begin(), votes_.end(), 0);
    auto n = x_.nodes;
    auto k = static_cast<uint32_t>(x_.q.k);
    for (uint32_t t = 0; t < k; ++t) {
      auto s = t + static_cast<uint32_t>(gen_.below(n - t));
      std::swap(pool_[t], pool_[s]);
      auto j = pool_[t];
      if (equivocate && j >= honest_)
        ++votes_[own];
      else
        ++votes_[snapshot != nullptr ? snapshot[j] : answer(j)];
    }
  }

  /// Records the poll in votes_ for honest node i; returns whether it
  /// decided now.
  bool record(uint32_t i) {
    auto& nd = nodes_[i];
    auto before = nd.preference();
    nd.record_votes(votes_.data());
    auto after = nd.preference();
    if (after != before) {
      --holders_[before];
      ++holders_[after];
    }
    ++out_.polls;
    if (!nd.finalized())
      return false;
    ++decided_;
    if (out_.decided_colour < 0)
      out_.decided_colour = static_cast<int32_t>(after);
    else if (static_cast<uint32_t>(out_.decided_colour) != after)
      out_.disagreement = true;
    return true;
  }

  /// Records checkpoints up to time `t` (in polls per honest node).
  void checkpoint(int64_t t) {
    while (next_checkpoint_ < x_.checkpoints
           && static_cast<int64_t>(next_checkpoint_) + 1 <= t)
      out_.decided[next_checkpoint_++] = decided_;
  }

  void run_async() {
    auto cap = x_.max_polls_per_node * static_cast<int64_t>(honest_);
    while (!running_.empty() && !out_.disagreement) {
      if (out_.steps >= cap) {
        out_.capped = true;
        return;
      }
      auto r = static_cast<size_t>(gen_.below(running_.size()));
      auto i = running_[r];
      draw_poll(i, nullptr);
      if (record(i)) {
        running_[r] = running_.back();
        running_.pop_back();
      }
      ++out_.steps;
      if (out_.steps % honest_ == 0)
        checkpoint(out_.steps / honest_);
    }
  }

  void run_sync() {
    while (!running_.empty() && !out_.disagreement) {
      if (out_.steps >= x_.max_polls_per_node) {
        out_.capped = true;
        return;
      }
      for (uint32_t j = 0; j < x_.nodes; ++j)
        answers_[j] = answer(j);
      // Polls in node order (running_ stays sorted), all against the
      // round's answers.
      size_t keep = 0;
      for (auto i : running_) {
        draw_poll(i, answers_.data());
        if (!record(i))
          running_[keep++] = i;
      }
      running_.resize(keep);
      ++out_.steps;
      checkpoint(out_.steps);
    }
  }

  const config& x_;
  uint32_t honest_;
  rng::rng64 gen_;
  std::vector<node> nodes_;
  std::vector<uint32_t> running_;
  std::vector<uint32_t> pool_;
  std::vector<int32_t> votes_;
  std::vector<uint32_t> holders_;
  std::vector<uint32_t> answers_;
  uint32_t decided_ = 0;
  uint32_t next_checkpoint_ = 0;
  outcome out_;
};

} // namespace

outcome run_network(const config& x, uint64_t run_seed) {
  net state{x, run_seed};
  return state.run();
}

} // namespace caf::consensus::sim::snow

#include "caf/consensus/policy/snowball.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::policy {

std::string snowball::name() const {
  return "snowball";
}

std::vector<std::string> snowball::reads() const {
  return {"k",
          "alpha",
          "beta",
          "alpha_preference",
          "alpha_confidence",
          "luminance_weighted"};
}

bool snowball::needs_labels() const {
  return true;
}

namespace {

/// Sample size actually drawn: k distinct peers among the n - 1 others.
int32_t effective_k(int32_t k, size_t n) {
  return static_cast<int32_t>(
    std::min<int64_t>(k, std::max<int64_t>(static_cast<int64_t>(n) - 1, 1)));
}

} // namespace

error snowball::validate(const params& ps, size_t n) const {
  if (auto err = validate_common(ps))
    return err;
  auto bad = [](std::string what) {
    return make_error(errc::invalid_params, std::move(what));
  };
  if (ps.k < 1)
    return bad("k must be >= 1 for policy snowball, got "
               + std::to_string(ps.k));
  if (ps.beta < 1)
    return bad("beta (consecutive successful polls) must be >= 1, got "
               + std::to_string(ps.beta));
  // Quorums refer to the sample actually drawn: min(k, n - 1) peers.
  auto k = n > 0 ? effective_k(ps.k, n) : ps.k;
  auto pref = ps.alpha_preference > 0 ? ps.alpha_preference
                                      : default_quorum(ps.alpha, k);
  auto conf = ps.alpha_confidence > 0 ? ps.alpha_confidence
                                      : default_quorum(ps.alpha, k);
  auto ks = std::to_string(k) + (k < ps.k ? " (k capped at n - 1)" : "");
  if (ps.alpha_preference < 0 || pref > k)
    return bad("alpha_preference must be in [1, k=" + ks + "], got "
               + std::to_string(pref));
  if (ps.alpha_confidence < 0 || conf > k)
    return bad("alpha_confidence must be in [1, k=" + ks + "], got "
               + std::to_string(conf));
  if (conf < pref)
    return bad("alpha_confidence (" + std::to_string(conf)
               + ") must be >= alpha_preference (" + std::to_string(pref)
               + ")");
  return {};
}

void snowball::start(state& st, const params& ps,
                     std::shared_ptr<const text::similarity>) {
  auto n = st.participants.size();
  ps_ = ps;
  auto k = effective_k(ps.k, n);
  alpha_pref_ = ps.alpha_preference > 0 ? ps.alpha_preference
                                        : default_quorum(ps.alpha, k);
  alpha_conf_ = ps.alpha_confidence > 0 ? ps.alpha_confidence
                                        : default_quorum(ps.alpha, k);
  lum_ = std::make_unique<detail::luminance_tracker>(n, ps.timeout_ms);
  streak_.assign(n, 0);
  live_.assign(n, 0);
  latest_.reset(n);
  everyone_.resize(n);
  for (uint32_t j = 0; j < n; ++j)
    everyone_[j] = j;
  uniform_.reset();
  if (!ps.luminance_weighted)
    uniform_.emplace(everyone_);
  vote_.assign(n, nil);
  st.confidence.assign(n, 0.0);
  st.luminance.assign(n, 0.0);
  st.preference.assign(n, std::string{});
  st.decided_round.assign(n, -1);
}

std::vector<request> snowball::plan(state& st, int32_t round) {
  auto n = st.participants.size();
  auto& tr = st.trace.back();
  tr.weights = st.luminance;
  tr.samples.resize(n);
  std::vector<request> out(n);
  // Participant i draws among all others, live or not.
  if (ps_.luminance_weighted)
    weighted_.reset(everyone_, st.luminance);
  auto m = std::min<size_t>(static_cast<size_t>(ps_.k), n - 1);
  for (size_t i = 0; i < n; ++i) {
    rng::rng64 gen{rng::derive(
      ps_.seed.low64(), {static_cast<uint64_t>(round), i,
                         static_cast<uint64_t>(detail::stream::sample)})};
    // The trace keeps the sample; `absorb` reads it from there.
    if (uniform_)
      uniform_->draw(static_cast<uint32_t>(i), m, gen, tr.samples[i]);
    else
      weighted_.draw(static_cast<uint32_t>(i), m, gen, tr.samples[i]);
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    req.query = st.prompt;
    latest_.show(st.participants, i, tr.samples[i], req);
    req.prompt = render_prompt(st.prompt, req.peers);
    req.preference = st.preference[i];
  }
  return out;
}

void snowball::absorb(state& st, int32_t round,
                      const std::vector<result>& results) {
  auto n = st.participants.size();
  for (size_t i = 0; i < n; ++i)
    live_[i] = results[i].ok ? 1 : 0;
  if (round == 0) {
    for (size_t i = 0; i < n; ++i)
      if (results[i].ok)
        st.preference[i] = results[i].label;
  } else {
    // One sequential pass files every vote of the round.
    keys_.clear();
    key_ids_.clear();
    for (size_t j = 0; j < n; ++j) {
      auto& r = results[j];
      if (!r.ok || r.label.empty()) {
        vote_[j] = nil; // nil vote
        continue;
      }
      auto [k, added] = key_ids_.emplace(r.label,
                                         static_cast<uint32_t>(keys_.size()));
      if (added)
        keys_.push_back(r.label);
      vote_[j] = k->second;
    }
    auto& tr = st.trace.back();
    tr.agreements.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (!results[i].ok)
        continue;
      if (st.preference[i].empty())
        st.preference[i] = results[i].label; // first ok answer
      auto& sample = tr.samples[i];
      // Votes per key in order of first appearance in the sample.
      votes_.clear();
      int32_t yes = 0;
      for (auto j : sample) {
        auto v = vote_[j];
        if (v == nil)
          continue;
        ++yes;
        auto k = std::find_if(votes_.begin(), votes_.end(),
                              [v](auto& x) { return x.first == v; });
        if (k == votes_.end())
          votes_.emplace_back(v, 1);
        else
          ++k->second;
      }
      tr.agreements.push_back(agreement_record{
        static_cast<uint32_t>(i), sample,
        sample.empty()
          ? 0.0
          : static_cast<double>(yes) / static_cast<double>(sample.size())});
      if (st.decided_round[i] >= 0)
        continue; // decided: preference frozen
      const std::pair<uint32_t, int32_t>* best = nullptr;
      for (auto& v : votes_)
        if (best == nullptr || v.second > best->second)
          best = &v;
      auto& pref = st.preference[i];
      if (best != nullptr && best->second >= alpha_pref_
          && keys_[best->first] != pref) {
        pref = std::string{keys_[best->first]};
        streak_[i] = 0;
      }
      int32_t for_pref = 0;
      for (auto& v : votes_)
        if (keys_[v.first] == pref)
          for_pref = v.second;
      if (for_pref >= alpha_conf_)
        ++streak_[i];
      else
        streak_[i] = 0;
      if (streak_[i] >= ps_.beta)
        st.decided_round[i] = round;
    }
  }
  for (size_t i = 0; i < n; ++i)
    st.confidence[i] = st.decided_round[i] >= 0
                         ? 1.0
                         : std::min(1.0, static_cast<double>(streak_[i])
                                           / static_cast<double>(ps_.beta));
  latest_.update(results);
  lum_->update(results);
  lum_->relative(st.luminance);
}

stop_reason snowball::stop(const state& st) const {
  size_t live = 0;
  for (size_t i = 0; i < live_.size(); ++i) {
    if (!live_[i])
      continue;
    ++live;
    if (st.decided_round[i] < 0)
      return stop_reason::none;
  }
  return live > 0 ? stop_reason::all_decided : stop_reason::none;
}

void snowball::finish(state& st) {
  auto n = st.participants.size();
  st.scores = st.confidence;
  // Winning choice: most decided, else plurality of preferences.
  std::vector<std::pair<std::string, size_t>> tally;  // choice -> count
  std::unordered_map<std::string_view, size_t> where; // choice -> index
  auto count = [&](const std::string& c) {
    // Keys are views into st.preference, which does not change here.
    auto [k, added] = where.emplace(c, tally.size());
    if (added)
      tally.emplace_back(c, 1);
    else
      ++tally[k->second].second;
  };
  size_t decided = 0;
  for (size_t i = 0; i < n; ++i)
    if (st.decided_round[i] >= 0) {
      ++decided;
      count(st.preference[i]);
    }
  if (decided == 0)
    for (size_t i = 0; i < n; ++i)
      if (!st.preference[i].empty())
        count(st.preference[i]);
  if (tally.empty())
    return; // no ok answer with a choice key: no winner
  auto best = tally.begin();
  for (auto k = tally.begin(); k != tally.end(); ++k)
    if (k->second > best->second)
      best = k;
  st.finalized = decided > 0 && tally.size() == 1;
  st.winner_label = best->first;
  for (size_t i = 0; i < n; ++i) {
    if (st.preference[i] != best->first
        || (decided > 0 && st.decided_round[i] < 0))
      continue;
    st.winner = st.participants[i];
    break;
  }
  // Synthesis: the winner's latest ok response carrying the winning key,
  // else the latest ok response with that key of anyone (list order), else
  // the winner's latest ok response.
  auto w = st.index_of(st.winner);
  auto with_key = [&](size_t i) -> const response* {
    auto& xs = st.responses[i];
    for (auto j = xs.rbegin(); j != xs.rend(); ++j)
      if (j->ok && j->label == best->first)
        return &*j;
    return nullptr;
  };
  const response* r = w < n ? with_key(w) : nullptr;
  for (size_t i = 0; r == nullptr && i < n; ++i)
    r = with_key(i);
  if (r == nullptr && w < n)
    r = st.latest_ok(w);
  if (r != nullptr)
    st.synthesis = r->text;
}

} // namespace caf::consensus::policy

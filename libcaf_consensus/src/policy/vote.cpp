#include "caf/consensus/policy/vote.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::policy {

std::string vote::name() const {
  return "vote";
}

std::vector<std::string> vote::reads() const {
  return {"k"};
}

bool vote::needs_labels() const {
  return true;
}

error vote::validate(const params& ps, size_t) const {
  if (auto err = validate_common(ps))
    return err;
  if (ps.rounds > 0 && ps.k < 1)
    return make_error(errc::invalid_params,
                      "k must be >= 1 for policy vote with rounds > 0, got "
                        + std::to_string(ps.k));
  return {};
}

void vote::start(state& st, const params& ps,
                 std::shared_ptr<const text::similarity>) {
  auto n = st.participants.size();
  ps_ = ps;
  lum_ = std::make_unique<detail::luminance_tracker>(n, ps.timeout_ms);
  latest_.reset(n);
  st.confidence.assign(n, 0.0);
  st.luminance.assign(n, 0.0);
}

std::vector<request> vote::plan(state& st, int32_t round) {
  auto n = st.participants.size();
  auto& tr = st.trace.back();
  tr.samples.resize(n);
  std::vector<request> out(n);
  // Participant i draws among the live participants other than itself.
  live_.clear();
  for (uint32_t j = 0; j < n; ++j)
    if (lum_->has_ok(j))
      live_.push_back(j);
  detail::uniform_sampler sampler{live_};
  for (size_t i = 0; i < n; ++i) {
    rng::rng64 gen{rng::derive(
      ps_.seed.low64(), {static_cast<uint64_t>(round), i,
                         static_cast<uint64_t>(detail::stream::sample)})};
    sampler.draw(static_cast<uint32_t>(i),
                 static_cast<size_t>(std::max(ps_.k, 0)), gen, tr.samples[i]);
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    req.query = st.prompt;
    latest_.show(st.participants, i, tr.samples[i], req);
    req.prompt = render_prompt(st.prompt, req.peers);
  }
  return out;
}

void vote::absorb(state& st, int32_t, const std::vector<result>& results) {
  lum_->update(results);
  lum_->relative(st.luminance);
  latest_.update(results);
  // Confidence: share of current votes equal to one's own vote. One pass
  // counts the votes per key (the keys live in `latest_`).
  auto n = st.participants.size();
  votes_.clear();
  size_t voters = 0;
  for (size_t i = 0; i < n; ++i)
    if (latest_.has(i) && !latest_.label(i).empty()) {
      ++voters;
      ++votes_[latest_.label(i)];
    }
  for (size_t i = 0; i < n; ++i) {
    if (!latest_.has(i) || latest_.label(i).empty() || voters == 0) {
      st.confidence[i] = 0;
      continue;
    }
    st.confidence[i] = static_cast<double>(votes_[latest_.label(i)])
                       / static_cast<double>(voters);
  }
}

stop_reason vote::stop(const state&) const {
  return stop_reason::none;
}

void vote::finish(state& st) {
  auto n = st.participants.size();
  st.scores = st.confidence;
  std::vector<std::pair<std::string, size_t>> tally;  // in first-holder order
  std::unordered_map<std::string_view, size_t> where; // key -> tally index
  for (size_t i = 0; i < n; ++i) {
    if (!latest_.has(i) || latest_.label(i).empty())
      continue;
    auto& label = latest_.label(i);
    auto [k, added] = where.emplace(label, tally.size());
    if (added)
      tally.emplace_back(label, 1);
    else
      ++tally[k->second].second;
  }
  if (tally.empty())
    return;
  auto best = tally.begin();
  for (auto k = tally.begin(); k != tally.end(); ++k)
    if (k->second > best->second)
      best = k;
  st.winner_label = best->first;
  st.finalized = 2 * best->second > n;
  for (size_t i = 0; i < n; ++i)
    if (latest_.has(i) && latest_.label(i) == best->first) {
      st.winner = st.participants[i];
      st.synthesis = latest_.text(i);
      break;
    }
}

} // namespace caf::consensus::policy

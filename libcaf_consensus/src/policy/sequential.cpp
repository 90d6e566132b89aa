#include "caf/consensus/policy/sequential.hpp"

#include <cmath>
#include <sstream>

#include "caf/consensus/detail/mode_certificate.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::policy {

std::string sequential::name() const {
  return "sequential";
}

std::vector<std::string> sequential::reads() const {
  return {"delta", "max_calls"};
}

bool sequential::needs_labels() const {
  return true;
}

bool sequential::stops_after_proposals() const {
  return true;
}

error sequential::validate(const params& ps, size_t n) const {
  if (auto err = validate_common(ps))
    return err;
  if (!(ps.delta > 0 && ps.delta < 1))
    return make_error(
      errc::invalid_params,
      "delta must be in (0, 1) for policy sequential, got " + [&] {
        std::ostringstream os;
        os << ps.delta;
        return os.str();
      }());
  if (ps.max_calls < 0 || (ps.max_calls > 0 && ps.max_calls < int64_t(n)))
    return make_error(errc::invalid_params,
                      "max_calls must be 0 (no budget) or at least the "
                      "number of participants ("
                        + std::to_string(n) + ") for policy sequential, got "
                        + std::to_string(ps.max_calls));
  return {};
}

void sequential::start(state& st, const params& ps,
                       std::shared_ptr<const text::similarity>) {
  auto n = st.participants.size();
  ps_ = ps;
  lum_ = std::make_unique<detail::luminance_tracker>(n, ps.timeout_ms);
  st.confidence.assign(n, 0.0);
  st.luminance.assign(n, 0.0);
  tally_ = detail::plurality{};
  latest_vote_.assign(n, no_vote);
}

std::vector<request> sequential::plan(state& st, int32_t round) {
  auto n = st.participants.size();
  st.trace.back().samples.assign(n, {});
  std::vector<request> out(n);
  for (size_t i = 0; i < n; ++i) {
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    req.prompt = st.prompt;
    req.query = st.prompt;
  }
  return out;
}

void sequential::absorb(state& st, int32_t,
                        const std::vector<result>& results) {
  lum_->update(results);
  lum_->relative(st.luminance);
  auto n = st.participants.size();
  for (size_t i = 0; i < n && i < results.size(); ++i) {
    auto& r = results[i];
    if (r.ok)
      latest_vote_[i] = r.label.empty()
                          ? no_vote
                          : static_cast<uint32_t>(tally_.add(r.label));
  }
  for (size_t i = 0; i < n; ++i) {
    auto v = latest_vote_[i];
    st.confidence[i] = v == no_vote || tally_.total() == 0
                         ? 0.0
                         : static_cast<double>(tally_.votes(v))
                             / static_cast<double>(tally_.total());
  }
}

stop_reason sequential::stop(const state& st) const {
  if (!tally_.empty()) {
    auto top = tally_.leader();
    if (detail::mode_certified(tally_.votes(top), tally_.most_except(top),
                               top + 1, ps_.delta))
      return stop_reason::certificate;
  }
  auto n = static_cast<uint64_t>(st.participants.size());
  if (ps_.max_calls > 0 && st.calls + n > static_cast<uint64_t>(ps_.max_calls))
    return stop_reason::budget;
  return stop_reason::none;
}

void sequential::finish(state& st) {
  st.scores = st.confidence;
  st.finalized = st.stop == stop_reason::certificate;
  if (tally_.empty())
    return;
  auto& key = tally_.key(tally_.leader());
  st.winner_label = key;
  auto n = st.participants.size();
  for (size_t i = 0; i < n; ++i)
    if (auto r = st.latest_ok(i); r && r->label == key) {
      st.winner = st.participants[i];
      st.synthesis = r->text;
      return;
    }
  // Nobody's latest vote is the leader: the first response that voted for it.
  for (size_t i = 0; i < n; ++i)
    for (auto& r : st.responses[i])
      if (r.ok && r.label == key) {
        st.winner = st.participants[i];
        st.synthesis = r.text;
        return;
      }
}

} // namespace caf::consensus::policy

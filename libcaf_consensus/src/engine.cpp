#include "caf/consensus/engine.hpp"

#include <algorithm>
#include <exception>
#include <string_view>
#include <unordered_set>

#include "caf/consensus/choice.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/text/pattern.hpp"

namespace caf::consensus {

namespace {

error check_participants(const std::vector<std::string>& xs) {
  if (xs.empty())
    return make_error(errc::no_participants, "no participants given");
  auto duplicate = [](const std::string& id) {
    return make_error(errc::duplicate_participant,
                      "participant id '" + id + "' appears twice");
  };
  // Few participants: compare pairwise instead of building a hash set.
  constexpr size_t pairwise_limit = 16;
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < xs.size(); ++i) {
    if (xs[i].empty())
      return make_error(errc::empty_participant_id, "participant #"
                                                      + std::to_string(i + 1)
                                                      + " has an empty id");
    if (xs.size() <= pairwise_limit) {
      for (size_t j = 0; j < i; ++j)
        if (xs[j] == xs[i])
          return duplicate(xs[i]);
    } else if (!seen.insert(xs[i]).second) {
      return duplicate(xs[i]);
    }
  }
  return {};
}

} // namespace

expected<engine> engine::make(std::string prompt,
                              std::vector<std::string> participants, params ps,
                              engine_options opts) {
  if (auto err = check_participants(participants))
    return err;
  std::unique_ptr<policy::policy_base> pol;
  if (opts.factory) {
    pol = opts.factory();
    if (!pol)
      return make_error(errc::unknown_policy, "policy factory returned null");
  } else {
    auto x = policy::make(ps.policy);
    if (!x)
      return std::move(x.error());
    pol = std::move(*x);
  }
  if (auto err = pol->validate(ps, participants.size()))
    return err;
  if (ps.extractor == extractor_kind::regex) {
    if (auto why = text::pattern_error(ps.extractor_pattern); !why.empty())
      return make_error(errc::invalid_params,
                        "extractor pattern '"
                          + ps.extractor_pattern.substr(0, 80)
                          + "' is not a valid regex: " + why);
  }
  engine eng;
  auto n = participants.size();
  auto& st = eng.st_;
  st.prompt = std::move(prompt);
  st.participants = std::move(participants);
  st.rounds = ps.rounds;
  st.k = ps.k;
  st.alpha = ps.alpha;
  st.beta_1 = ps.beta_1;
  st.beta_2 = ps.beta_2;
  st.policy = pol->name();
  st.responses.resize(n);
  // One response per round: reserve for the usual round counts.
  auto expected
    = static_cast<size_t>(std::clamp<int64_t>(int64_t{ps.rounds} + 1, 1, 16));
  for (auto& xs : st.responses)
    xs.reserve(expected);
  st.trace.reserve(expected);
  st.confidence.assign(n, 0.0);
  st.luminance.assign(n, 0.0);
  st.scores.assign(n, 0.0);
  eng.labels_ = pol->needs_labels() || ps.stop_on_unanimity;
  pol->start(st, ps, std::move(opts.similarity));
  eng.ps_ = std::move(ps);
  eng.policy_ = std::move(pol);
  // Round 0: the user prompt unchanged, to everyone.
  eng.pending_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& req = eng.pending_[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = 0;
    req.prompt = st.prompt;
    req.query = st.prompt;
  }
  st.trace.emplace_back();
  return eng;
}

void engine::normalize(std::vector<result>& results) const {
  auto n = st_.participants.size();
  results.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = results[i];
    auto& id = st_.participants[i];
    if (r.id != id) {
      r.mismatched_id = !r.id.empty() || r.ok;
      r.id = id;
    }
    r.round = round_;
    if (r.ms < 0)
      r.ms = 0;
    if (r.timed_out) {
      r.ok = false;
      r.ms = ps_.timeout_ms;
      if (r.error.empty())
        r.error = "timeout: no answer within " + std::to_string(ps_.timeout_ms)
                  + " ms";
    }
    if (!r.ok && r.error.empty())
      r.error = "failed";
    if (r.ok && labels_ && r.label.empty())
      r.label = extract_choice(r.output, ps_.extractor, ps_.extractor_pattern);
  }
}

void engine::record(const std::vector<result>& results) {
  auto& tr = st_.trace.back();
  tr.round = round_;
  for (size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    st_.responses[i].push_back(
      response{r.round, r.output, r.ok, r.label, r.ms, r.error, r.words});
    ++tr.calls;
    st_.tokens += r.tokens;
    if (!r.ok)
      ++tr.failures;
    if (r.timed_out)
      ++tr.timeouts;
    tr.duration_ms = std::max(tr.duration_ms, std::min(r.ms, ps_.timeout_ms));
  }
  st_.calls += tr.calls;
  st_.failures += tr.failures;
  st_.timeouts += tr.timeouts;
  st_.elapsed_ms += tr.duration_ms;
}

void engine::complete(std::vector<result> results) {
  complete_round(results);
}

void engine::complete_round(std::vector<result>& results) {
  if (done_)
    return;
  // The round's requests stay until the policy plans the next round into
  // them (`plan_into`): a policy that reuses them rewrites them in place, the
  // default frees them first, so one round of requests is alive at a time.
  normalize(results);
  record(results);
  policy_->absorb(st_, round_, results);
  st_.trace.back().confidence = st_.confidence;
  // Unanimity: every participant that answered ok gave the same key.
  auto why = stop_reason::none;
  if (round_ > 0 && labels_ && st_.unanimity_round < 0) {
    const std::string* key = nullptr;
    bool same = true;
    for (auto& r : results) {
      if (!r.ok)
        continue;
      if (r.label.empty() || (key != nullptr && *key != r.label)) {
        same = false;
        break;
      }
      key = &r.label;
    }
    if (same && key != nullptr) {
      st_.unanimity_round = round_;
      st_.unanimity_label = *key;
      if (ps_.stop_on_unanimity)
        why = stop_reason::unanimity;
    }
  }
  if (round_ > 0 || policy_->stops_after_proposals()) {
    st_.rounds_executed = round_;
    if (why == stop_reason::none)
      why = policy_->stop(st_);
  }
  if (why != stop_reason::none) {
    finish(why);
    return;
  }
  if (round_ >= ps_.rounds) {
    finish(ps_.rounds <= 0 ? stop_reason::no_rounds
                           : stop_reason::rounds_exhausted);
    return;
  }
  next_round();
}

void engine::next_round() {
  ++round_;
  st_.trace.emplace_back();
  st_.trace.back().round = round_;
  policy_->plan_into(st_, round_, pending_);
}

void engine::finish(stop_reason why) {
  st_.stop = why;
  policy_->finish(st_);
  std::vector<request>{}.swap(pending_);
  done_ = true;
}

state engine::take() {
  return std::move(st_);
}

state run_inline(engine& eng,
                 const std::function<result(const request&)>& call) {
  // One result vector for every round (cleared after each: the outputs
  // live on in the state).
  std::vector<result> results;
  while (!eng.done()) {
    auto& reqs = eng.requests();
    results.reserve(reqs.size());
    for (auto& req : reqs) {
      try {
        results.push_back(call(req));
      } catch (const std::exception& e) {
        results.push_back(make_failure(req.participant, req.round,
                                       std::string{"exception: "} + e.what()));
      } catch (...) {
        results.push_back(
          make_failure(req.participant, req.round, "exception: unknown"));
      }
    }
    eng.complete_round(results);
    results.clear();
  }
  return eng.take();
}

} // namespace caf::consensus

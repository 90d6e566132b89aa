#include "caf/consensus/policy/metastable.hpp"

#include <algorithm>
#include <typeinfo>

#include "caf/consensus/detail/sampling.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/internal/thread_spare.hpp"
#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::policy {

metastable::metastable() : buf_(internal::take_scratch<scratch>()) {
  // nop
}

metastable::~metastable() {
  if (!buf_)
    return;
  // Keep the capacity, not the answers.
  buf_->latest.reset(0);
  internal::give_scratch(buf_, buf_->polled.size());
}

std::string metastable::name() const {
  return "metastable";
}

std::vector<std::string> metastable::reads() const {
  return {"k", "alpha", "beta_1", "beta_2"};
}

error metastable::validate(const params& ps, size_t) const {
  if (auto err = validate_common(ps))
    return err;
  if (ps.k < 1)
    return make_error(errc::invalid_params,
                      "k must be >= 1 for policy metastable, got "
                        + std::to_string(ps.k));
  return {};
}

void metastable::start(state& st, const params& ps,
                       std::shared_ptr<const text::similarity> sim) {
  auto n = st.participants.size();
  ps_ = ps;
  sim_ = sim ? std::move(sim) : text::default_similarity();
  token_sim_ = dynamic_cast<const text::token_similarity*>(sim_.get());
  // Exactly the default measure (not a subclass): interned ids give the same
  // values faster.
  jaccard_ = typeid(*sim_) == typeid(text::jaccard_similarity);
  // Room for a round's token ids of short texts, 48 per participant (the
  // buffer would otherwise grow by doubling in the first scored round);
  // large runs grow it once. For a few participants this stays below 1 KiB,
  // which glibc serves from its per-thread cache.
  if (jaccard_)
    buf_->ids.reserve(std::min<size_t>(n, 1024) * 48);
  buf_->lum.reset(n, ps.timeout_ms);
  buf_->polled.assign(n, 0);
  buf_->latest.reset(n);
  st.confidence.assign(n, 0.0);
  st.luminance.assign(n, 0.0);
}

std::vector<request> metastable::plan(state& st, int32_t round) {
  std::vector<request> out;
  plan_into(st, round, out);
  return out;
}

void metastable::plan_into(state& st, int32_t round,
                           std::vector<request>& out) {
  auto n = st.participants.size();
  auto& b = *buf_;
  auto& tr = st.trace.back();
  tr.weights = st.luminance;
  b.live.clear();
  b.live.reserve(n);
  for (uint32_t j = 0; j < n; ++j)
    if (b.lum.has_ok(j))
      b.live.push_back(j);
  // One sampler (reset per round, buffers reused): participant i draws among
  // the live participants other than itself.
  b.sampler.reset(b.live, st.luminance);
  tr.samples.resize(n);
  for (size_t i = 0; i < n; ++i) {
    rng::rng64 gen{rng::derive(
      ps_.seed.low64(), {static_cast<uint64_t>(round), i,
                         static_cast<uint64_t>(detail::stream::sample)})};
    // The trace keeps the sample; `absorb` reads it from there.
    b.sampler.draw(static_cast<uint32_t>(i), static_cast<size_t>(ps_.k), gen,
                   tr.samples[i]);
  }
  // The previous round's requests are rewritten in place: their peer vectors
  // keep their capacity and a prompt no agent kept keeps its buffer.
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& sample = tr.samples[i];
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    if (!req.query.same_storage(st.prompt))
      req.query = st.prompt;
    b.latest.show(st.participants, i, sample, req);
    render_prompt(st.prompt, req.peers, req.prompt);
    req.preference.clear();
  }
}

void metastable::absorb(state& st, int32_t round,
                        const std::vector<result>& results) {
  auto n = st.participants.size();
  auto& b = *buf_;
  if (round > 0) {
    auto& tr = st.trace.back();
    if (jaccard_) {
      b.ids.clear();
      b.id_begin.resize(n + 1);
      for (size_t j = 0; j < n; ++j) {
        b.id_begin[j] = b.ids.size();
        if (results[j].ok)
          index_.append(results[j].output, results[j].words, b.ids);
      }
      b.id_begin[n] = b.ids.size();
      b.bits.assign(b.ids.data(), b.id_begin.data(), n, index_.size());
    } else if (token_sim_) {
      tokens_.assign(n, {});
      for (size_t j = 0; j < n; ++j)
        if (results[j].ok)
          tokens_[j] = results[j].words ? results[j].words.tokens()
                                        : text::tokenize(results[j].output);
    } else {
      // A similarity on texts: an answer given as words only (no text) is
      // compared as its tokens joined by spaces, joined once per round.
      joined_.assign(n, {});
      for (size_t j = 0; j < n; ++j)
        if (results[j].ok && results[j].words && results[j].output.empty())
          joined_[j] = results[j].words.joined();
    }
    auto text_of = [&](size_t j) -> std::string_view {
      return results[j].words && results[j].output.empty()
               ? std::string_view{joined_[j]}
               : results[j].output.view();
    };
    tr.agreements.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      auto& r = results[i];
      auto& sample = tr.samples[i];
      if (!r.ok || sample.empty())
        continue;
      size_t agreeing = 0;
      auto dense = jaccard_ && b.bits.active();
      if (jaccard_ && !dense)
        index_.mark(b.ids.data() + b.id_begin[i],
                    b.id_begin[i + 1] - b.id_begin[i]);
      for (auto j : sample) {
        if (!results[j].ok)
          continue;
        auto s
          = dense ? b.bits.jaccard(i, j)
            : jaccard_
              ? index_.jaccard_with_marked(b.ids.data() + b.id_begin[j],
                                           b.id_begin[j + 1] - b.id_begin[j])
            : token_sim_ ? token_sim_->on_tokens(tokens_[i], tokens_[j])
                         : (*sim_)(text_of(i), text_of(j));
        if (s >= ps_.alpha)
          ++agreeing;
      }
      auto a = static_cast<double>(agreeing)
               / static_cast<double>(sample.size());
      if (b.polled[i])
        st.confidence[i] = st.confidence[i] / 2 + a / 2;
      else
        st.confidence[i] = a;
      b.polled[i] = 1;
      tr.agreements.push_back(
        agreement_record{static_cast<uint32_t>(i), sample, a});
    }
  }
  b.latest.update(results);
  b.lum.update(results);
  b.lum.relative(st.luminance);
}

stop_reason metastable::stop(const state& st) const {
  auto i = std::max_element(st.confidence.begin(), st.confidence.end());
  if (i != st.confidence.end() && *i >= ps_.beta_1)
    return stop_reason::beta_1;
  return stop_reason::none;
}

void metastable::finish(state& st) {
  auto n = st.participants.size();
  st.scores.resize(n);
  for (size_t i = 0; i < n; ++i)
    st.scores[i] = st.confidence[i] * st.luminance[i];
  size_t best = n;
  for (size_t i = 0; i < n; ++i) {
    if (!buf_->lum.has_ok(i))
      continue;
    if (best == n || st.scores[i] > st.scores[best]
        || (st.scores[i] == st.scores[best]
            && st.confidence[i] > st.confidence[best]))
      best = i;
  }
  if (best == n)
    return; // nobody ever answered ok: no winner, not finalized
  st.winner = st.participants[best];
  st.finalized = st.scores[best] >= ps_.beta_2;
  if (auto r = st.latest_ok(best)) {
    st.synthesis = r->text;
    st.winner_label = r->label;
  }
}

} // namespace caf::consensus::policy

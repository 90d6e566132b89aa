#include "caf/consensus/policy/hanzo.hpp"

#include <algorithm>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/python_random.hpp"

namespace caf::consensus::policy {

std::string hanzo::name() const {
  return "hanzo";
}

std::vector<std::string> hanzo::reads() const {
  return {"k", "beta_1", "beta_2"};
}

error hanzo::validate(const params&, size_t) const {
  // The reference accepts any value; so does this policy (it must reproduce
  // the reference, including k <= 0 and rounds <= 0).
  return {};
}

void hanzo::start(state& st, const params& ps,
                  std::shared_ptr<const text::similarity>) {
  auto n = st.participants.size();
  st.k = std::min<int64_t>(ps.k, static_cast<int64_t>(n));
  st.luminance.assign(n, 1.0);
  st.confidence.assign(n, 0.0);
  gen_.emplace(ps.seed);
  beta_1_ = ps.beta_1;
  beta_2_ = ps.beta_2;
}

std::vector<request> hanzo::plan(state& st, int32_t round) {
  std::vector<request> out;
  plan_into(st, round, out);
  return out;
}

void hanzo::plan_into(state& st, int32_t round, std::vector<request>& out) {
  auto n = st.participants.size();
  auto& tr = st.trace.back();
  // weights = [lum[p] for p in participants]; total = sum(weights)
  auto total = 0.0;
  if (naive_sum_)
    for (auto x : st.luminance)
      total += x;
  else
    total = rng::python_fsum(st.luminance);
  tr.weights.resize(n);
  for (size_t i = 0; i < n; ++i)
    tr.weights[i] = st.luminance[i] / total;
  sample_.clear();
  if (auto xs = gen_->choices(tr.weights, st.k)) {
    for (auto x : *xs)
      sample_.push_back(static_cast<uint32_t>(x));
  }
  // else: the reference raises; luminance is always positive, so this
  // cannot happen for valid input.
  tr.samples.assign(1, sample_);
  // Build context from the sampled peers' latest responses.
  peers_.clear();
  for (auto j : sample_)
    if (auto r = st.latest(j))
      peers_.push_back(peer_view{st.participants[j], r->text, r->label});
  // One prompt for everyone: the requests share it. The previous round's
  // requests are rewritten in place (their peer vectors keep their
  // capacity); the old shared prompt is dropped first, so that its buffer is
  // reused when no agent kept it.
  out.resize(n);
  shared_text prompt = std::move(out[0].prompt);
  for (auto& req : out)
    req.prompt = shared_text{};
  render_prompt(st.prompt, peers_, prompt);
  for (size_t i = 0; i < n; ++i) {
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    req.prompt = prompt;
    if (!req.query.same_storage(st.prompt))
      req.query = st.prompt;
    req.peers = peers_;
    if (auto r = st.latest(i)) {
      req.own_text = r->text;
      req.own_label = r->label;
    } else {
      req.own_text = shared_text{};
      req.own_label.clear();
    }
    req.preference.clear();
  }
}

void hanzo::absorb(state& st, int32_t round,
                   const std::vector<result>& results) {
  auto n = st.participants.size();
  if (round == 0) {
    for (size_t i = 0; i < n; ++i) {
      auto& r = results[i];
      if (r.ok && r.ms > 0)
        st.luminance[i] = 1.0 / (1.0 + static_cast<double>(r.ms) / 1000.0);
    }
    return;
  }
  // The engine appended every result already. The reference appends and
  // scores one result at a time, so while scoring participant i a peer j > i
  // still shows its response from before this round.
  auto& tr = st.trace.back();
  // The previous round's tokens of a response are this round's "before"
  // tokens: reuse them instead of tokenizing the same text again.
  // A set is also kept as one 64-bit word (`token_word`) while the run's
  // vocabulary has at most 64 tokens: Jaccard is then two popcounts.
  now_.resize(n);
  before_.resize(n);
  now_word_.resize(n);
  before_word_.resize(n);
  have_now_.resize(n, 0);
  std::swap(now_, before_);
  std::swap(now_word_, before_word_);
  std::vector<uint8_t> have_before(n, 0);
  have_before.swap(have_now_);
  auto& have_now = have_now_;
  auto tokenize = [this](const response& r, detail::token_index::id_set& ids,
                         detail::token_word& word) {
    tokens_.tokenize(r.text, r.words, ids);
    word.assign(ids.data(), ids.size());
  };
  // Participant j's tokens as participant i sees them: index 0 = this
  // round's, 1 = the round before's.
  auto peer_tokens = [&](uint32_t j, size_t i) -> int {
    auto& rs = st.responses[j];
    if (j <= i) {
      if (!have_now[j]) {
        tokenize(rs.back(), now_[j], now_word_[j]);
        have_now[j] = 1;
      }
      return 0;
    }
    if (!have_before[j]) {
      tokenize(rs[rs.size() - 2], before_[j], before_word_[j]);
      have_before[j] = 1;
    }
    return 1;
  };
  tr.agreements.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = results[i];
    if (!r.ok)
      continue;
    double agreement = 0.0;
    if (!sample_.empty()) {
      if (!have_now[i]) {
        tokenize(st.responses[i].back(), now_[i], now_word_[i]);
        have_now[i] = 1;
      }
      bool marked = false;
      double total = 0.0;
      for (auto j : sample_) {
        auto before = peer_tokens(j, i) == 1;
        auto& word = before ? before_word_[j] : now_word_[j];
        if (now_word_[i].ok && word.ok) {
          total += detail::jaccard(now_word_[i], word);
          continue;
        }
        if (!marked) {
          tokens_.mark(now_[i]);
          marked = true;
        }
        total += tokens_.jaccard_with_marked(before ? before_[j] : now_[j]);
      }
      agreement = total / static_cast<double>(sample_.size());
    }
    st.confidence[i] = st.confidence[i] * 0.5 + agreement * 0.5;
    tr.agreements.push_back(
      agreement_record{static_cast<uint32_t>(i), sample_, agreement});
  }
}

stop_reason hanzo::stop(const state& st) const {
  auto i = std::max_element(st.confidence.begin(), st.confidence.end());
  if (i != st.confidence.end() && *i >= beta_1_)
    return stop_reason::beta_1;
  return stop_reason::none;
}

void hanzo::finish(state& st) {
  auto n = st.participants.size();
  st.scores.resize(n);
  for (size_t i = 0; i < n; ++i)
    st.scores[i] = st.confidence[i] * st.luminance[i];
  size_t best = 0;
  for (size_t i = 1; i < n; ++i)
    if (st.scores[i] > st.scores[best])
      best = i;
  st.winner = st.participants[best];
  st.finalized = st.scores[best] >= beta_2_;
  if (auto r = st.latest(best)) {
    st.synthesis = r->text;
    st.winner_label = r->label;
  }
}

} // namespace caf::consensus::policy

#include "caf/consensus/policy/hanzo.hpp"

#include <algorithm>

#include "caf/consensus/error.hpp"
#include "caf/consensus/internal/thread_spare.hpp"
#include "caf/consensus/rng/python_random.hpp"

namespace caf::consensus::policy {

hanzo::hanzo() : buf_(internal::take_scratch<scratch>()) {
  // nop
}

hanzo::~hanzo() {
  if (!buf_)
    return;
  // Keep the capacity, not the answers the views share.
  buf_->peers.clear();
  internal::give_scratch(buf_, buf_->now.size());
}

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
  // The buffers may come from an earlier run on this thread: no set is
  // filled yet.
  buf_->have_now.assign(n, 0);
  buf_->have_before.assign(n, 0);
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
  auto& sample = buf_->sample;
  sample.clear();
  // On error (the reference raises), `drawn` is empty; luminance is always
  // positive, so this cannot happen for valid input.
  static_cast<void>(
    gen_->choices_into(tr.weights, st.k, buf_->cum, buf_->drawn));
  for (auto x : buf_->drawn)
    sample.push_back(static_cast<uint32_t>(x));
  tr.samples.assign(1, sample);
  // Build context from the sampled peers' latest responses.
  auto& peers = buf_->peers;
  peers.clear();
  for (auto j : sample)
    if (auto r = st.latest(j))
      peers.push_back(peer_view{st.participants[j], r->text, r->label});
  // One prompt for everyone: the requests share it. The previous round's
  // requests are rewritten in place (their peer vectors keep their
  // capacity); the old shared prompt is dropped first, so that its buffer is
  // reused when no agent kept it.
  out.resize(n);
  shared_text prompt = std::move(out[0].prompt);
  for (auto& req : out)
    req.prompt = shared_text{};
  render_prompt(st.prompt, peers, prompt);
  for (size_t i = 0; i < n; ++i) {
    auto& req = out[i];
    req.participant = st.participants[i];
    req.index = static_cast<uint32_t>(i);
    req.round = round;
    req.prompt = prompt;
    if (!req.query.same_storage(st.prompt))
      req.query = st.prompt;
    req.peers = peers;
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
  auto& b = *buf_;
  b.now.resize(n);
  b.before.resize(n);
  b.now_word.resize(n);
  b.before_word.resize(n);
  std::swap(b.now, b.before);
  std::swap(b.now_word, b.before_word);
  std::swap(b.have_now, b.have_before);
  std::fill(b.have_now.begin(), b.have_now.end(), uint8_t{0});
  auto& have_now = b.have_now;
  auto& have_before = b.have_before;
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
        tokenize(rs.back(), b.now[j], b.now_word[j]);
        have_now[j] = 1;
      }
      return 0;
    }
    if (!have_before[j]) {
      tokenize(rs[rs.size() - 2], b.before[j], b.before_word[j]);
      have_before[j] = 1;
    }
    return 1;
  };
  auto& sample = b.sample;
  tr.agreements.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto& r = results[i];
    if (!r.ok)
      continue;
    double agreement = 0.0;
    if (!sample.empty()) {
      if (!have_now[i]) {
        tokenize(st.responses[i].back(), b.now[i], b.now_word[i]);
        have_now[i] = 1;
      }
      bool marked = false;
      double total = 0.0;
      for (auto j : sample) {
        auto before = peer_tokens(j, i) == 1;
        auto& word = before ? b.before_word[j] : b.now_word[j];
        if (b.now_word[i].ok && word.ok) {
          total += detail::jaccard(b.now_word[i], word);
          continue;
        }
        if (!marked) {
          tokens_.mark(b.now[i]);
          marked = true;
        }
        total += tokens_.jaccard_with_marked(before ? b.before[j] : b.now[j]);
      }
      agreement = total / static_cast<double>(sample.size());
    }
    st.confidence[i] = st.confidence[i] * 0.5 + agreement * 0.5;
    tr.agreements.push_back(
      agreement_record{static_cast<uint32_t>(i), sample, agreement});
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

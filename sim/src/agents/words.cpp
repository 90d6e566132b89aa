// caf-consensus sim: synthetic answers as token sets. A template's words are
// tokenized once per scenario; an answer applies the noise model to word
// indexes (the same draws as the text path) and collects their token ids.

#include "caf/consensus/sim/agents/internal/words.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "caf/consensus/text/tokenizer.hpp"

#include "caf/consensus/sim/agents/internal/text.hpp"

namespace caf::consensus::sim {

namespace {

/// Builds the vocabulary while the words are added.
class words_builder {
public:
  explicit words_builder(answer_words& out) : out_(out) {
    // nop
  }

  answer_words::word add(std::string_view w) {
    answer_words::word x;
    x.first = static_cast<uint32_t>(out_.ids.size());
    for (auto& token : text::tokenize(w)) {
      auto [i, added] = index_.emplace(token,
                                       static_cast<uint32_t>(tokens_.size()));
      if (added)
        tokens_.push_back(token);
      out_.ids.push_back(i->second);
    }
    x.size = static_cast<uint32_t>(out_.ids.size()) - x.first;
    return x;
  }

  std::shared_ptr<const vocabulary> finish() {
    return std::make_shared<const vocabulary>(std::move(tokens_));
  }

private:
  answer_words& out_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<std::string> tokens_;
};

} // namespace

void prepare_words(agent_world& world) {
  auto out = std::make_shared<answer_words>();
  words_builder b{*out};
  std::string buf;
  for (auto& label : world.labels) {
    auto& tmpl = agents_internal::template_of(world, label, buf);
    std::vector<answer_words::word> ws;
    for (auto& w : agents_internal::split_words(tmpl))
      ws.push_back(b.add(w));
    out->templates.push_back(std::move(ws));
  }
  for (size_t i = 0; i < agents_internal::filler_count; ++i)
    out->fillers.push_back(b.add(agents_internal::filler_word(i)));
  out->vocab = b.finish();
  rng::rng64 unused{0};
  for (size_t i = 0; i < out->templates.size(); ++i)
    out->plain.push_back(agents_internal::noisy_words(*out, i, 0, unused));
  world.words = std::move(out);
}

namespace agents_internal {

word_set noisy_words(const answer_words& words, size_t label, double rate,
                     rng::rng64& gen) {
  if (!(rate > 0) && label < words.plain.size())
    return words.plain[label];
  auto& ws = words.templates[label];
  // Distinct ids in first-appearance order: a per-thread mark per id.
  thread_local std::vector<uint32_t> seen;
  thread_local uint32_t epoch = 0;
  auto n_tokens = words.vocab->size();
  if (seen.size() < n_tokens)
    seen.resize(n_tokens, 0);
  if (++epoch == 0) {
    std::fill(seen.begin(), seen.end(), 0);
    epoch = 1;
  }
  std::vector<uint32_t> ids;
  ids.reserve(ws.size() + 4);
  auto emit = [&](const answer_words::word& w) {
    for (auto i = w.first; i < w.first + w.size; ++i) {
      auto id = words.ids[i];
      if (seen[id] != epoch) {
        seen[id] = epoch;
        ids.push_back(id);
      }
    }
  };
  if (!(rate > 0)) {
    for (auto& w : ws)
      emit(w);
    return word_set{words.vocab, std::move(ids)};
  }
  // The draws of `add_noise`, in the same order; a swap keeps both words.
  agents_internal::noise_walk(
    ws.size(), rate, gen, [&](size_t i) { emit(ws[i]); },
    [&](size_t f) { emit(words.fillers[f]); });
  return word_set{words.vocab, std::move(ids)};
}

} // namespace agents_internal

} // namespace caf::consensus::sim

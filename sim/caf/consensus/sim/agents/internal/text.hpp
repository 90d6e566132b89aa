// caf-consensus sim: the text of a synthetic agent's answer: its label's
// template with word-level noise (private header, not installed).

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caf/consensus/rng/rng64.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim::agents_internal {

/// Applies word-level noise: each word, with probability `rate`, is dropped,
/// swapped with the next word (which then is not noised itself; a swap of the
/// last word is a no-op) or followed by a filler word, the three equally
/// likely. The result joins words with single spaces. With `rate <= 0` the
/// text is returned unchanged.
std::string add_noise(const std::string& text, double rate, rng::rng64& gen);

/// Splits `text` into words at ASCII whitespace (the words `add_noise` works
/// on).
std::vector<std::string> split_words(const std::string& text);

/// Number of filler words `add_noise` inserts from.
constexpr size_t filler_count = 32;

/// Returns filler word `i` (< `filler_count`).
std::string_view filler_word(size_t i);

/// Walks the noise model over `n` words, making its draws from `gen`: each
/// word, with probability `rate`, is dropped, swapped with the next word
/// (which then is not noised itself; a swap of the last word is a no-op) or
/// followed by a filler word, the three equally likely. Calls `word(i)` for
/// every word the output holds and `filler(f)` for every inserted filler
/// (`f` < `filler_count`), in output order. `add_noise` (texts) and
/// `noisy_words` (token sets) both walk with it, so they draw alike.
template <class Word, class Filler>
void noise_walk(size_t n, double rate, rng::rng64& gen, Word&& word,
                Filler&& filler) {
  for (size_t i = 0; i < n; ++i) {
    if (!gen.bernoulli(rate)) {
      word(i);
      continue;
    }
    switch (gen.below(3)) {
      case 0: // Drop.
        break;
      case 1: // Swap with the next word.
        if (i + 1 < n) {
          word(i + 1);
          word(i);
          ++i;
        } else {
          word(i);
        }
        break;
      default: // Insert a filler after the word.
        word(i);
        filler(static_cast<size_t>(gen.below(filler_count)));
    }
  }
}

/// Returns the index of `label` in `world.labels` (`world.labels.size()`
/// when absent).
size_t label_index(const agent_world& world, const std::string& label);

/// Returns the template of `label` in `world`, or its default template
/// (stored in `buf`) when the world has none.
const std::string& template_of(const agent_world& world,
                               const std::string& label, std::string& buf);

} // namespace caf::consensus::sim::agents_internal

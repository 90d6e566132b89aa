// caf-consensus sim: a synthetic agent's answer as a token set, without
// making its text (private header, not installed).

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/word_set.hpp"

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim {

/// The words of a world's templates and of the noise model's filler words,
/// as token ids of one vocabulary (see `prepare_words`).
struct answer_words {
  /// One word of a template (as `agents_internal::split_words` cuts it): its
  /// tokens (`text::tokenize` of the word; usually one) are
  /// `ids[first .. first + size)`.
  struct word {
    uint32_t first = 0;
    uint32_t size = 0;
  };
  std::shared_ptr<const vocabulary> vocab;
  /// Token ids of all words.
  std::vector<uint32_t> ids;
  /// Per label of the world (same order): its template's words.
  std::vector<std::vector<word>> templates;
  /// The filler words, in `agents_internal::filler_word` order.
  std::vector<word> fillers;
  /// Per label: the token set of its template without noise (shared by
  /// every answer without noise).
  std::vector<word_set> plain;
};

namespace agents_internal {

/// Returns the token set of `add_noise(template, rate, gen)` for the template
/// of label `label` (an index into `words.templates`), making the same draws
/// from `gen` without making the text.
word_set noisy_words(const answer_words& words, size_t label, double rate,
                     rng::rng64& gen);

} // namespace agents_internal

} // namespace caf::consensus::sim

// caf-consensus: an answer's token set given without its text, as ids into a
// shared vocabulary (the simulator's synthetic agents answer this way).

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "caf/error.hpp"
#include "caf/meta/load_callback.hpp"

namespace caf::consensus {

/// A fixed list of tokens, each as `text::tokenize` yields them (lower-cased,
/// without whitespace). Answers refer to its tokens by index. Immutable, so
/// one vocabulary serves any number of answers on any thread.
class vocabulary {
public:
  explicit vocabulary(std::vector<std::string> tokens)
    : tokens_(std::move(tokens)) {
    // nop
  }

  size_t size() const noexcept {
    return tokens_.size();
  }

  const std::string& operator[](uint32_t id) const {
    return tokens_[id];
  }

  const std::vector<std::string>& tokens() const noexcept {
    return tokens_;
  }

private:
  std::vector<std::string> tokens_;
};

/// The token set of an answer without its text: distinct ids into a
/// `vocabulary`. Policies that compare token sets (`metastable`, `hanzo`
/// with the default Jaccard similarity) read it instead of tokenizing
/// `result::output`; for them an answer with these words and an answer whose
/// text tokenizes to the same set are the same answer.
///
/// A handle: copying it copies a pointer; empty (no words) by default.
class word_set {
public:
  word_set() noexcept = default;

  /// Makes a word set of the `ids` into `vocab`: distinct ids (a repeated id
  /// counts once wherever the set is read). Ids outside the vocabulary, all
  /// of them when `vocab` is null, are dropped.
  word_set(std::shared_ptr<const vocabulary> vocab, std::vector<uint32_t> ids);

  /// Returns whether this answer came as words.
  explicit operator bool() const noexcept {
    return ptr_ != nullptr;
  }

  /// Returns whether this is an empty handle (the answer came as text).
  bool empty() const noexcept {
    return ptr_ == nullptr;
  }

  /// Returns the vocabulary (nullptr for an empty handle).
  const vocabulary* vocab() const noexcept {
    return ptr_ ? ptr_->vocab.get() : nullptr;
  }

  /// Returns the shared vocabulary (empty for an empty handle).
  std::shared_ptr<const vocabulary> shared_vocab() const noexcept {
    return ptr_ ? ptr_->vocab : nullptr;
  }

  /// Returns the token ids (none for an empty handle).
  const std::vector<uint32_t>& ids() const noexcept {
    return ptr_ ? ptr_->ids : no_ids();
  }

  /// Returns the tokens, sorted and without duplicates: what
  /// `text::tokenize` returns for a text made of these tokens.
  std::vector<std::string> tokens() const;

  /// Returns the tokens joined by single spaces, in id order: a text that
  /// tokenizes to this set (for similarities that need a text).
  std::string joined() const;

private:
  struct data {
    std::shared_ptr<const vocabulary> vocab;
    std::vector<uint32_t> ids;
  };

  static const std::vector<uint32_t>& no_ids() noexcept {
    static const std::vector<uint32_t> none;
    return none;
  }

  std::shared_ptr<const data> ptr_;
};

/// Two word sets are equal when both are empty handles or both hold the same
/// tokens (whatever their vocabularies and ids).
bool operator==(const word_set& x, const word_set& y);

inline bool operator!=(const word_set& x, const word_set& y) {
  return !(x == y);
}

// -- serialization: a flag and the tokens -------------------------------------

/// @relates word_set
template <class Inspector>
std::enable_if_t<Inspector::reads_state, typename Inspector::result_type>
inspect(Inspector& f, word_set& x) {
  bool present = static_cast<bool>(x);
  std::vector<std::string> tokens;
  if (present)
    for (auto id : x.ids())
      tokens.push_back((*x.vocab())[id]);
  return f(present, tokens);
}

/// @relates word_set
template <class Inspector>
std::enable_if_t<Inspector::writes_state, typename Inspector::result_type>
inspect(Inspector& f, word_set& x) {
  bool present = false;
  std::vector<std::string> tokens;
  auto assign = meta::load_callback([&]() -> error {
    if (!present) {
      x = word_set{};
      return {};
    }
    std::vector<uint32_t> ids(tokens.size());
    for (size_t i = 0; i < ids.size(); ++i)
      ids[i] = static_cast<uint32_t>(i);
    x = word_set{std::make_shared<const vocabulary>(std::move(tokens)),
                 std::move(ids)};
    return {};
  });
  return f(present, tokens, assign);
}

} // namespace caf::consensus

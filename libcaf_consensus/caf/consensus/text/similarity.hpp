// caf-consensus: pluggable similarity between two responses.

#pragma once

#include <memory>
#include <string_view>

#include "caf/consensus/text/tokenizer.hpp"

namespace caf::consensus::text {

/// Jaccard(A, B) = |A ∩ B| / |A ∪ B|, and 0 when either set is empty.
double jaccard(const token_set& a, const token_set& b);

/// A similarity in [0, 1] between two texts. Implement this to plug another
/// measure (embeddings, edit distance, ...) into policy `metastable`.
class similarity {
public:
  virtual ~similarity();

  /// Returns the similarity of `a` and `b`.
  virtual double operator()(std::string_view a, std::string_view b) const = 0;
};

/// A similarity defined on token sets. Policies tokenize every response once
/// and call `on_tokens` for each pair.
class token_similarity : public similarity {
public:
  ~token_similarity() override;

  /// Returns the similarity of two token sets.
  virtual double on_tokens(const token_set& a, const token_set& b) const = 0;

  double operator()(std::string_view a, std::string_view b) const override;
};

/// The default: Jaccard over `tokenize` sets.
class jaccard_similarity : public token_similarity {
public:
  ~jaccard_similarity() override;

  double on_tokens(const token_set& a, const token_set& b) const override;
};

/// Returns a shared instance of the default similarity.
std::shared_ptr<const similarity> default_similarity();

} // namespace caf::consensus::text

// caf-consensus: Jaccard similarity over token sets.

#include "caf/consensus/text/similarity.hpp"

namespace caf::consensus::text {

// -- free functions -----------------------------------------------------------

double jaccard(const token_set& a, const token_set& b) {
  if (a.empty() || b.empty())
    return 0.0;
  // Both sets are sorted and duplicate-free: count the intersection by
  // merging, |A ∪ B| = |A| + |B| - |A ∩ B|.
  size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    auto cmp = i->compare(*j);
    if (cmp < 0) {
      ++i;
    } else if (cmp > 0) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  auto total = a.size() + b.size() - common;
  return static_cast<double>(common) / static_cast<double>(total);
}

std::shared_ptr<const similarity> default_similarity() {
  static const std::shared_ptr<const similarity> instance
    = std::make_shared<const jaccard_similarity>();
  return instance;
}

// -- similarity ---------------------------------------------------------------

similarity::~similarity() {
  // nop
}

// -- token_similarity ---------------------------------------------------------

token_similarity::~token_similarity() {
  // nop
}

double token_similarity::operator()(std::string_view a,
                                    std::string_view b) const {
  return on_tokens(tokenize(a), tokenize(b));
}

// -- jaccard_similarity -------------------------------------------------------

jaccard_similarity::~jaccard_similarity() {
  // nop
}

double jaccard_similarity::on_tokens(const token_set& a,
                                     const token_set& b) const {
  return jaccard(a, b);
}

} // namespace caf::consensus::text

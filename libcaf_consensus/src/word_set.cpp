// caf-consensus: an answer's token set given without its text.

#include "caf/consensus/word_set.hpp"

#include <algorithm>

namespace caf::consensus {

word_set::word_set(std::shared_ptr<const vocabulary> vocab,
                   std::vector<uint32_t> ids) {
  auto size = vocab ? vocab->size() : 0;
  ids.erase(std::remove_if(ids.begin(), ids.end(),
                           [size](uint32_t id) { return id >= size; }),
            ids.end());
  ptr_ = std::make_shared<const data>(data{std::move(vocab), std::move(ids)});
}

std::vector<std::string> word_set::tokens() const {
  std::vector<std::string> out;
  if (auto* v = vocab()) {
    out.reserve(ids().size());
    for (auto id : ids())
      out.push_back((*v)[id]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string word_set::joined() const {
  std::string out;
  if (auto* v = vocab()) {
    for (auto id : ids()) {
      if (!out.empty())
        out += ' ';
      out += (*v)[id];
    }
  }
  return out;
}

bool operator==(const word_set& x, const word_set& y) {
  if (static_cast<bool>(x) != static_cast<bool>(y))
    return false;
  if (!x || (x.vocab() == y.vocab() && x.ids() == y.ids()))
    return true;
  return x.tokens() == y.tokens();
}

} // namespace caf::consensus

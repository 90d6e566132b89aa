#include "caf/consensus/detail/latest_answers.hpp"

#include <algorithm>

namespace caf::consensus::detail {

void latest_answers::reset(size_t n) {
  text_.assign(n, shared_text{});
  label_.assign(n, std::string{});
  has_.assign(n, 0);
}

void latest_answers::update(const std::vector<result>& results) {
  auto n = std::min(results.size(), has_.size());
  for (size_t i = 0; i < n; ++i) {
    auto& r = results[i];
    if (!r.ok)
      continue;
    text_[i] = r.output;
    label_[i] = r.label;
    has_[i] = 1;
  }
}

} // namespace caf::consensus::detail

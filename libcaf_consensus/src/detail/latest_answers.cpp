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

void latest_answers::show(const std::vector<std::string>& participants,
                          size_t i, const sample_list& sample,
                          request& req) const {
  // Views are rewritten in place (a request is reused round after round):
  // their strings keep their storage.
  size_t count = 0;
  for (auto j : sample)
    count += has_[j];
  req.peers.resize(count);
  auto* view = req.peers.data();
  for (auto j : sample) {
    if (!has_[j])
      continue;
    view->id = participants[j];
    view->text = text_[j];
    view->label = label_[j];
    ++view;
  }
  if (has_[i]) {
    req.own_text = text_[i];
    req.own_label = label_[i];
  } else {
    req.own_text = shared_text{};
    req.own_label.clear();
  }
}

} // namespace caf::consensus::detail

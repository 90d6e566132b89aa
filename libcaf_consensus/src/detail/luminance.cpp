#include "caf/consensus/detail/luminance.hpp"

#include <algorithm>

namespace caf::consensus::detail {

luminance_tracker::luminance_tracker(size_t n, int64_t timeout_ms) {
  reset(n, timeout_ms);
}

void luminance_tracker::reset(size_t n, int64_t timeout_ms) {
  timeout_ms_ = timeout_ms;
  mean_ms_.assign(n, 0.0);
  seen_.assign(n, 0);
  has_ok_.assign(n, 0);
}

void luminance_tracker::update(const std::vector<result>& results) {
  for (size_t i = 0; i < results.size() && i < mean_ms_.size(); ++i) {
    auto& r = results[i];
    auto x = static_cast<double>(r.ok ? std::max<int64_t>(r.ms, 0)
                                      : timeout_ms_);
    if (seen_[i])
      mean_ms_[i] = mean_ms_[i] / 2 + x / 2;
    else
      mean_ms_[i] = x;
    seen_[i] = 1;
    if (r.ok)
      has_ok_[i] = 1;
  }
}

void luminance_tracker::relative(std::vector<double>& out) const {
  auto n = mean_ms_.size();
  out.assign(n, 0.0);
  double best = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!has_ok_[i])
      continue;
    out[i] = 1.0 / (1.0 + mean_ms_[i] / 1000.0);
    best = std::max(best, out[i]);
  }
  if (best > 0)
    for (size_t i = 0; i < n; ++i)
      out[i] /= best;
}

} // namespace caf::consensus::detail

// caf-consensus: running sums with a guide table (see guided_sums.hpp).

#include "caf/consensus/detail/guided_sums.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace caf::consensus::detail {

void guided_sums::clear() {
  sums_.clear();
  guide_.clear();
}

void guided_sums::reserve(size_t n) {
  sums_.reserve(n);
  guide_.reserve(n + 1);
}

void guided_sums::finish() {
  guide_.clear();
  auto n = sums_.size();
  if (n == 0 || n >= std::numeric_limits<uint32_t>::max()
      || !std::isfinite(sums_.back()) || !(sums_.back() > 0))
    return;
  total_ = sums_.back();
  buckets_ = static_cast<double>(n);
  // One pass: guide_[b] = upper_bound(sums, edge(b)).
  size_t i = 0;
  for (size_t b = 0; b < n; ++b) {
    auto e = edge(b);
    while (i < n && sums_[i] <= e)
      ++i;
    guide_.push_back(static_cast<uint32_t>(i));
  }
  guide_.push_back(static_cast<uint32_t>(n));
}

size_t guided_sums::find(double x) const {
  auto whole = [&] {
    return static_cast<size_t>(std::upper_bound(sums_.begin(), sums_.end(), x)
                               - sums_.begin());
  };
  // Below 0 (or NaN) no bucket brackets x: search everything.
  if (guide_.empty() || !(x >= 0))
    return whole();
  auto n = guide_.size() - 1;
  // An estimate of x's bucket, then corrected with the edges themselves so
  // that edge(b) <= x < edge(b + 1) holds exactly (b = n - 1: x >= edge(b)).
  auto pos = x / total_ * buckets_;
  size_t b = pos < buckets_ ? static_cast<size_t>(pos) : n - 1;
  while (b > 0 && edge(b) > x)
    --b;
  while (b + 1 < n && edge(b + 1) <= x)
    ++b;
  // Every sum before guide_[b] is <= edge(b) <= x, and the sum at
  // guide_[b + 1] (if any) is > edge(b + 1) > x: the answer is in between.
  auto first = sums_.begin() + guide_[b];
  auto last = sums_.begin() + guide_[b + 1];
  return static_cast<size_t>(std::upper_bound(first, last, x) - sums_.begin());
}

} // namespace caf::consensus::detail

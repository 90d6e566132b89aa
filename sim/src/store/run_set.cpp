// caf-consensus sim: a set of canonical run indices kept as intervals.

#include "caf/consensus/sim/store/run_set.hpp"

#include <algorithm>

namespace caf::consensus::sim {

void run_set::push_back(uint64_t idx) {
  ++size_;
  if (!xs_.empty() && xs_.back().second == idx) {
    ++xs_.back().second;
    return;
  }
  xs_.emplace_back(idx, idx + 1);
}

bool run_set::contains(uint64_t idx) const {
  // First interval whose end is past idx.
  auto i = std::upper_bound(xs_.begin(), xs_.end(), idx,
                            [](uint64_t x, const auto& iv) {
                              return x < iv.second;
                            });
  return i != xs_.end() && i->first <= idx;
}

} // namespace caf::consensus::sim

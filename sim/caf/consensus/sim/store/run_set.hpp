// caf-consensus sim: a set of canonical run indices kept as intervals (the
// runs a results store holds).

#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace caf::consensus::sim {

/// A set of canonical run indices (`cell * replicates + replicate`), kept as
/// sorted half-open intervals: its size grows with the number of gaps, not
/// with the number of runs.
class run_set {
public:
  /// Adds `idx`; indices must arrive in increasing order.
  void push_back(uint64_t idx);

  /// Returns whether `idx` is in the set.
  bool contains(uint64_t idx) const;

  /// Returns the number of indices in the set.
  uint64_t size() const {
    return size_;
  }

  /// Returns the number of intervals.
  size_t intervals() const {
    return xs_.size();
  }

private:
  std::vector<std::pair<uint64_t, uint64_t>> xs_;
  uint64_t size_ = 0;
};

} // namespace caf::consensus::sim

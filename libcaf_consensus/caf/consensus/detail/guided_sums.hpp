// caf-consensus: running sums of weights with a guide table, for drawing an
// index by inverse transform in O(1) expected time.

#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace caf::consensus::detail {

/// The running sums of a weight table and a guide table over them (the
/// guide-table method of Chen and Asau, 1974). `find(x)` returns what
/// `std::upper_bound` over the sums returns, the index of the first sum
/// greater than `x`, but searches only the sums of one bucket: bucket b of B
/// (one per sum) covers [total * b / B, total * (b + 1) / B), and the guide
/// holds the first sum above each bucket's lower edge. A lookup is O(1)
/// expected for any weights whose largest share is O(1 / n) (one bucket per
/// element), and O(log n) at worst. Building the guide is O(n).
class guided_sums {
public:
  /// Removes every sum, keeping the buffers.
  void clear();

  /// Makes room for `n` sums.
  void reserve(size_t n);

  /// Appends the next running sum (not less than the previous one).
  void push_back(double sum) {
    sums_.push_back(sum);
  }

  /// Builds the guide. Call after the last `push_back`, before `find`.
  void finish();

  /// Returns the index of the first sum greater than `x` (`size()` if none),
  /// exactly as `std::upper_bound(sums.begin(), sums.end(), x)`.
  size_t find(double x) const;

  size_t size() const noexcept {
    return sums_.size();
  }

  bool empty() const noexcept {
    return sums_.empty();
  }

  /// The last sum (the total). Precondition: not empty.
  double back() const {
    return sums_.back();
  }

  const std::vector<double>& sums() const noexcept {
    return sums_;
  }

private:
  /// The lower edge of bucket `b`: the same expression when the guide is
  /// built and when it is read.
  double edge(size_t b) const {
    return total_ * (static_cast<double>(b) / buckets_);
  }

  std::vector<double> sums_;
  /// guide_[b] = index of the first sum > edge(b); guide_[B] = size().
  /// Empty without a positive finite total (or with 2^32 - 1 sums or more):
  /// `find` is then a binary search over all sums.
  std::vector<uint32_t> guide_;
  double total_ = 0;
  double buckets_ = 0;
};

} // namespace caf::consensus::detail

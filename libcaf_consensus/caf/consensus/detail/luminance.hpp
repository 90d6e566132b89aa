// caf-consensus: luminance from call latencies (policies metastable, snowball,
// vote).

#pragma once

#include <cstdint>
#include <vector>

#include "caf/consensus/result.hpp"

namespace caf::consensus::detail {

/// Tracks per participant an exponentially weighted mean of call latencies
/// (weight 1/2 on the newest; a failed or timed-out call counts as the
/// timeout) and whether it ever answered ok.
///
/// Raw luminance `l = 1 / (1 + mean_ms / 1000)`; relative luminance
/// `L_i = l_i / max_j l_j` over participants with an ok call, and 0 for
/// participants without one.
class luminance_tracker {
public:
  luminance_tracker(size_t n, int64_t timeout_ms);

  /// A tracker of no participants; call `reset` before use.
  luminance_tracker() = default;

  /// Starts over with `n` participants that never answered, keeping the
  /// buffers.
  void reset(size_t n, int64_t timeout_ms);

  /// Feeds the results of one round (participant order).
  void update(const std::vector<result>& results);

  /// Writes relative luminance into `out` (size n).
  void relative(std::vector<double>& out) const;

  bool has_ok(size_t i) const {
    return has_ok_[i] != 0;
  }

private:
  int64_t timeout_ms_ = 0;
  std::vector<double> mean_ms_;
  std::vector<uint8_t> seen_;
  std::vector<uint8_t> has_ok_;
};

} // namespace caf::consensus::detail

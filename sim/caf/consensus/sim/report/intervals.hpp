// caf-consensus sim: proportions and means with 95% confidence intervals.

#pragma once

#include <cstdint>

namespace caf::consensus::sim {

/// A proportion with its 95% Wilson score interval.
struct rate {
  uint64_t hits = 0;
  uint64_t n = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Returns the Wilson score interval of `hits` out of `n` (z = 1.959964).
rate wilson(uint64_t hits, uint64_t n);

/// The Wilson score interval for the normal quantile `z` (1.96: 95%).
rate wilson(uint64_t hits, uint64_t n, double z);

/// A mean with its 95% Student-t interval.
struct mean_ci {
  uint64_t n = 0;
  double value = 0;
  double lo = 0;
  double hi = 0;
};

/// Streams values and returns their mean with a t interval.
class mean_acc {
public:
  void add(double x);
  mean_ci get() const;

private:
  uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0; // Welford
};

} // namespace caf::consensus::sim

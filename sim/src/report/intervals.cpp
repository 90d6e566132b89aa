// caf-consensus sim: Wilson and Student-t intervals.

#include "caf/consensus/sim/report/intervals.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/students_t.hpp>

namespace caf::consensus::sim {

namespace {

constexpr double z95 = 1.959963984540054; // Phi^-1(0.975)

} // namespace

rate wilson(uint64_t hits, uint64_t n) {
  return wilson(hits, n, z95);
}

rate wilson(uint64_t hits, uint64_t n, double z) {
  rate r;
  r.hits = hits;
  r.n = n;
  if (n == 0)
    return r;
  auto nn = static_cast<double>(n);
  auto p = static_cast<double>(hits) / nn;
  auto z2 = z * z;
  auto denom = 1 + z2 / nn;
  auto center = (p + z2 / (2 * nn)) / denom;
  auto half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  r.value = p;
  r.lo = hits == 0 ? 0.0 : std::max(0.0, center - half);
  r.hi = hits == n ? 1.0 : std::min(1.0, center + half);
  return r;
}

void mean_acc::add(double x) {
  ++n_;
  auto d = x - mean_;
  mean_ += d / static_cast<double>(n_);
  m2_ += d * (x - mean_);
}

mean_ci mean_acc::get() const {
  mean_ci r;
  r.n = n_;
  r.value = mean_;
  r.lo = r.hi = mean_;
  if (n_ < 2)
    return r;
  auto nn = static_cast<double>(n_);
  auto sd = std::sqrt(m2_ / (nn - 1));
  boost::math::students_t dist{nn - 1};
  auto t = boost::math::quantile(boost::math::complement(dist, 0.025));
  auto half = t * sd / std::sqrt(nn);
  r.lo = mean_ - half;
  r.hi = mean_ + half;
  return r;
}

} // namespace caf::consensus::sim

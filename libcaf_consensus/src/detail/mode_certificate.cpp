#include "caf/consensus/detail/mode_certificate.hpp"

#include <cmath>

#include <boost/math/special_functions/beta.hpp>

namespace caf::consensus::detail {

double log_mode_evalue(uint64_t a, uint64_t b) {
  auto x = static_cast<double>(a);
  auto y = static_cast<double>(b);
  // log B(a+1, b+1) and the binomial tail P(Bin(a+b+1, 1/2) <= a), which is
  // the upper regularized incomplete beta function I_{1/2}(b+1, a+1).
  auto log_beta = std::lgamma(x + 1) + std::lgamma(y + 1)
                  - std::lgamma(x + y + 2);
  auto tail = boost::math::ibeta(y + 1, x + 1, 0.5);
  if (!(tail > 0))
    return -INFINITY;
  return (x + y + 1) * std::log(2.0) + log_beta + std::log(tail);
}

double log_mode_threshold(uint64_t rank, double delta) {
  auto r = static_cast<double>(rank < 1 ? 1 : rank);
  return std::log(r) + std::log(r + 1) - std::log(delta);
}

bool mode_certified(uint64_t a, uint64_t b, uint64_t rank, double delta) {
  return a > b && log_mode_evalue(a, b) >= log_mode_threshold(rank, delta);
}

} // namespace caf::consensus::detail

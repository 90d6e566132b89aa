#include "caf/consensus/sim/summary.hpp"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

namespace caf::consensus::sim {

namespace {

constexpr double z95 = 1.959963984540054; // Phi^-1(0.975)

} // namespace

rate wilson(uint64_t hits, uint64_t n) {
  rate r;
  r.hits = hits;
  r.n = n;
  if (n == 0)
    return r;
  auto nn = static_cast<double>(n);
  auto p = static_cast<double>(hits) / nn;
  auto z2 = z95 * z95;
  auto denom = 1 + z2 / nn;
  auto center = (p + z2 / (2 * nn)) / denom;
  auto half = z95 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
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

void cell_summary::add(const run_metrics& m) {
  ++runs_;
  if (m.finalized)
    ++finalized_;
  if (m.winner_correct)
    ++correct_;
  if (m.finalized && m.winner_correct)
    ++finalized_correct_;
  rounds_.add(m.rounds_executed);
  latency_.add(static_cast<double>(m.latency_ms));
  calls_.add(static_cast<double>(m.calls));
}

rate cell_summary::finalize_rate() const {
  return wilson(finalized_, runs_);
}

rate cell_summary::accuracy() const {
  return wilson(correct_, runs_);
}

rate cell_summary::safety() const {
  return wilson(finalized_correct_, finalized_);
}

mean_ci cell_summary::rounds() const {
  return rounds_.get();
}

mean_ci cell_summary::latency() const {
  return latency_.get();
}

mean_ci cell_summary::calls() const {
  return calls_.get();
}

} // namespace caf::consensus::sim

// caf-consensus sim: the summary of one sweep cell, and pooling several
// cells into one (Wilson intervals for rates, t-intervals for means).

#include "caf/consensus/sim/report/cell_result.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

namespace caf::consensus::sim {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double t975(uint64_t n) {
  if (n < 2)
    return nan;
  boost::math::students_t dist{static_cast<double>(n - 1)};
  return boost::math::quantile(boost::math::complement(dist, 0.025));
}

} // namespace

cell_result to_cell_result(const cell_summary& x) {
  cell_result out;
  out.present = x.runs() > 0;
  out.runs = x.runs();
  out.finalize_rate = x.finalize_rate();
  out.accuracy = x.accuracy();
  out.accuracy_finalized = x.safety();
  out.rounds = x.rounds();
  out.latency_ms = x.latency();
  out.calls = x.calls();
  out.has_baseline = x.runs() > 0;
  out.equal_calls_accuracy = x.equal_calls_accuracy();
  out.gain_over_equal_calls = x.gain_over_equal_calls();
  out.ece = x.reliability().ece;
  return out;
}

cell_result pool(const std::vector<const cell_result*>& parts) {
  cell_result out;
  auto pool_rate = [&](rate cell_result::*member) {
    uint64_t hits = 0;
    uint64_t n = 0;
    for (auto* p : parts)
      if (p->present) {
        hits += (p->*member).hits;
        n += (p->*member).n;
      }
    return wilson(hits, n);
  };
  auto pool_mean = [&](mean_ci cell_result::*member) {
    // Chan et al.: merge (n, mean, M2) pairwise; each part's standard
    // deviation comes back from its t-interval half-width.
    double total = 0;
    double mean = 0;
    double m2 = 0;
    for (auto* p : parts) {
      if (!p->present)
        continue;
      auto& m = p->*member;
      if (m.n == 0)
        continue;
      auto n = static_cast<double>(m.n);
      double var = 0;
      if (m.n >= 2) {
        auto sd = (m.hi - m.lo) / 2 * std::sqrt(n) / t975(m.n);
        var = sd * sd;
      }
      auto part_m2 = var * (n - 1);
      auto delta = m.value - mean;
      auto next = total + n;
      mean += delta * n / next;
      m2 += part_m2 + delta * delta * total * n / next;
      total = next;
    }
    mean_ci r;
    r.n = static_cast<uint64_t>(total);
    r.value = mean;
    r.lo = r.hi = mean;
    if (r.n >= 2) {
      auto sd = std::sqrt(m2 / (total - 1));
      auto half = t975(r.n) * sd / std::sqrt(total);
      r.lo = mean - half;
      r.hi = mean + half;
    }
    return r;
  };
  for (auto* p : parts)
    if (p->present) {
      out.present = true;
      out.runs += p->runs;
    }
  out.finalize_rate = pool_rate(&cell_result::finalize_rate);
  out.accuracy = pool_rate(&cell_result::accuracy);
  out.accuracy_finalized = pool_rate(&cell_result::accuracy_finalized);
  out.rounds = pool_mean(&cell_result::rounds);
  out.latency_ms = pool_mean(&cell_result::latency_ms);
  out.calls = pool_mean(&cell_result::calls);
  return out;
}

} // namespace caf::consensus::sim

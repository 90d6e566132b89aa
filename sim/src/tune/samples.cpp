// caf-consensus sim: per-cell samples of `tune` and their intervals.

#include "caf/consensus/sim/tune/internal/samples.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "caf/consensus/sim/report/intervals.hpp"

namespace caf::consensus::sim::tune_internal {

namespace {

double z_of(double a) {
  boost::math::normal_distribution<double> n01;
  return boost::math::quantile(boost::math::complement(n01, a / 2));
}

double t_of(double a, size_t n) {
  boost::math::students_t_distribution<double> dist{static_cast<double>(n - 1)};
  return boost::math::quantile(boost::math::complement(dist, a / 2));
}

tune_interval wilson_at(uint64_t hits, size_t n, double a) {
  tune_interval r;
  r.n = n;
  if (n == 0)
    return r;
  auto w = wilson(hits, n, z_of(a));
  r.value = w.value;
  r.lo = w.lo;
  r.hi = w.hi;
  return r;
}

/// Mean and t interval of values produced by `f(i)`, i < n.
template <class F>
tune_interval t_interval(size_t n, double a, F f) {
  tune_interval r;
  r.n = n;
  if (n == 0)
    return r;
  double mean = 0;
  double m2 = 0;
  for (size_t i = 0; i < n; ++i) {
    auto x = f(i);
    auto d = x - mean;
    mean += d / static_cast<double>(i + 1);
    m2 += d * (x - mean);
  }
  r.value = r.lo = r.hi = mean;
  if (n < 2)
    return r;
  auto sd = std::sqrt(std::max(0.0, m2) / static_cast<double>(n - 1));
  auto half = t_of(a, n) * sd / std::sqrt(static_cast<double>(n));
  r.lo = mean - half;
  r.hi = mean + half;
  return r;
}

tune_interval quantile_interval(const samples& x, size_t n, double q,
                                double a) {
  tune_interval r;
  r.n = n;
  if (n == 0)
    return r;
  std::vector<double> xs(x.latency_s.begin(),
                         x.latency_s.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(xs.begin(), xs.end());
  auto nn = static_cast<double>(n);
  // Nearest rank (1-based ceil(q n)).
  auto rank = static_cast<size_t>(std::ceil(q * nn));
  r.value = xs[std::clamp<size_t>(rank, 1, n) - 1];
  auto half = z_of(a) * std::sqrt(nn * q * (1 - q));
  auto lo = std::floor(q * nn - half);
  auto hi = std::ceil(q * nn + half) + 1;
  constexpr auto inf = std::numeric_limits<double>::infinity();
  r.lo = lo >= 1 ? xs[static_cast<size_t>(lo) - 1] : -inf;
  r.hi = hi <= nn ? xs[static_cast<size_t>(hi) - 1] : inf;
  return r;
}

} // namespace

run_point point_of(const run_metrics& m) {
  run_point p;
  p.correct = m.winner_correct ? 1 : 0;
  p.finalized = m.finalized ? 1 : 0;
  p.calls = static_cast<float>(m.calls);
  p.latency_s = static_cast<float>(m.latency_ms) / 1000.0f;
  return p;
}

void samples::add(const run_metrics& m) {
  add(point_of(m));
}

void samples::add(const run_point& p) {
  correct.push_back(p.correct);
  finalized.push_back(p.finalized);
  calls.push_back(p.calls);
  latency_s.push_back(p.latency_s);
}

double samples::at(tune_metric metric, size_t i) const {
  switch (metric) {
    case tune_metric::accuracy:
      return correct[i];
    case tune_metric::finalize:
      return finalized[i];
    case tune_metric::wrong_final:
      return finalized[i] != 0 && correct[i] == 0 ? 1 : 0;
    case tune_metric::calls:
      return calls[i];
    case tune_metric::latency:
    case tune_metric::p95_latency:
      return latency_s[i];
  }
  return 0;
}

tune_interval metric_interval(const samples& x, tune_metric metric, size_t n,
                              double a) {
  n = std::min(n, x.size());
  if (metric == tune_metric::p95_latency)
    return quantile_interval(x, n, 0.95, a);
  if (is_rate(metric)) {
    uint64_t hits = 0;
    for (size_t i = 0; i < n; ++i)
      hits += x.at(metric, i) > 0.5 ? 1 : 0;
    return wilson_at(hits, n, a);
  }
  return t_interval(n, a, [&](size_t i) { return x.at(metric, i); });
}

tune_interval paired_interval(const samples& x, const samples& y,
                              tune_metric metric, size_t n, double a) {
  n = std::min({n, x.size(), y.size()});
  return t_interval(n, a, [&](size_t i) {
    return x.at(metric, i) - y.at(metric, i);
  });
}

double metric_mean(const samples& x, tune_metric metric, size_t n) {
  n = std::min(n, x.size());
  if (n == 0)
    return 0;
  double s = 0;
  for (size_t i = 0; i < n; ++i)
    s += x.at(metric, i);
  return s / static_cast<double>(n);
}

} // namespace caf::consensus::sim::tune_internal

#include "caf/consensus/sim/advice/effect.hpp"

#include <algorithm>
#include <cmath>

#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

effect paired_difference(const std::vector<double>& from,
                         const std::vector<double>& to) {
  effect e;
  e.method = "paired t";
  if (from.size() != to.size() || from.size() < 2)
    return e;
  mean_acc acc;
  for (size_t i = 0; i < from.size(); ++i)
    acc.add(to[i] - from[i]);
  auto m = acc.get();
  e.valid = std::isfinite(m.value) && std::isfinite(m.lo)
            && std::isfinite(m.hi);
  e.value = m.value;
  e.lo = m.lo;
  e.hi = m.hi;
  e.n = m.n;
  return e;
}

effect paired_ratio_difference(const std::vector<double>& num_from,
                               const std::vector<double>& den_from,
                               const std::vector<double>& num_to,
                               const std::vector<double>& den_to, uint64_t seed,
                               size_t resamples) {
  effect e;
  e.method = "paired bootstrap";
  auto n = num_from.size();
  if (n == 0 || den_from.size() != n || num_to.size() != n || den_to.size() != n
      || resamples < 100)
    return e;
  auto ratio_diff = [&](const auto& index, bool& ok) {
    double na = 0;
    double da = 0;
    double nb = 0;
    double db = 0;
    for (size_t k = 0; k < n; ++k) {
      auto i = index(k);
      na += num_from[i];
      da += den_from[i];
      nb += num_to[i];
      db += den_to[i];
    }
    ok = da > 0 && db > 0;
    return ok ? nb / db - na / da : 0.0;
  };
  bool ok = false;
  e.value = ratio_diff([](size_t k) { return k; }, ok);
  if (!ok)
    return e;
  rng::rng64 gen{seed};
  std::vector<size_t> draw(n);
  std::vector<double> diffs;
  diffs.reserve(resamples);
  size_t invalid = 0;
  for (size_t b = 0; b < resamples; ++b) {
    for (auto& i : draw)
      i = static_cast<size_t>(gen.below(n));
    bool good = false;
    auto d = ratio_diff([&](size_t k) { return draw[k]; }, good);
    if (good)
      diffs.push_back(d);
    else
      ++invalid;
  }
  if (invalid * 40 > resamples)
    return e;
  std::sort(diffs.begin(), diffs.end());
  auto quantile = [&](double p) {
    auto pos = p * static_cast<double>(diffs.size() - 1);
    auto lo = static_cast<size_t>(std::floor(pos));
    auto hi = std::min(lo + 1, diffs.size() - 1);
    auto frac = pos - static_cast<double>(lo);
    return diffs[lo] + (diffs[hi] - diffs[lo]) * frac;
  };
  e.lo = std::min(e.value, quantile(0.025));
  e.hi = std::max(e.value, quantile(0.975));
  e.n = n;
  e.valid = true;
  return e;
}

std::string to_string(verdict x) {
  switch (x) {
    case verdict::holds:
      return "holds";
    case verdict::holds_only_when:
      return "holds only when";
    case verdict::does_not_hold:
      return "does not hold";
    case verdict::inconclusive:
      return "inconclusive";
    case verdict::not_testable:
      return "not testable";
  }
  return "???";
}

verdict classify(const effect& e, direction d, double delta) {
  if (!e.valid)
    return verdict::not_testable;
  // Work on the claimed side: s * effect should be positive.
  auto s = static_cast<double>(static_cast<int>(d));
  auto lo = s > 0 ? e.lo : -e.hi;
  auto hi = s > 0 ? e.hi : -e.lo;
  if (hi < delta)
    return verdict::does_not_hold;
  if (lo > 0)
    return verdict::holds;
  return verdict::inconclusive;
}

verdict combine(const std::vector<verdict>& xs) {
  size_t testable = 0;
  size_t holds = 0;
  size_t refuted = 0;
  for (auto x : xs) {
    if (x == verdict::not_testable)
      continue;
    ++testable;
    if (x == verdict::holds)
      ++holds;
    else if (x == verdict::does_not_hold)
      ++refuted;
  }
  if (testable == 0)
    return verdict::not_testable;
  if (holds == testable)
    return verdict::holds;
  if (holds > 0)
    return verdict::holds_only_when;
  if (refuted == testable)
    return verdict::does_not_hold;
  return verdict::inconclusive;
}

} // namespace caf::consensus::sim

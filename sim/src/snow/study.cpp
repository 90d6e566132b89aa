// caf-consensus sim: many Snow-family runs and their statistics (see
// snow/study.hpp).

#include "caf/consensus/sim/snow/study.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include <boost/math/special_functions/beta.hpp>

#include "caf/consensus/rng/rng64.hpp"

namespace caf::consensus::sim::snow {

proportion exact_proportion(uint64_t events, uint64_t trials) {
  proportion r;
  r.events = events;
  r.trials = trials;
  if (trials == 0)
    return r;
  auto n = static_cast<double>(trials);
  r.rate = static_cast<double>(events) / n;
  if (events == 0) {
    r.low = 0;
    r.high = 1 - std::pow(0.025, 1 / n);
    r.upper_one_sided = 1 - std::pow(0.05, 1 / n);
    return r;
  }
  if (events == trials) {
    r.low = std::pow(0.025, 1 / n);
    r.high = 1;
    r.upper_one_sided = 1;
    return r;
  }
  // Clopper-Pearson: the bounds are quantiles of Beta distributions.
  auto x = static_cast<double>(events);
  r.high = boost::math::ibeta_inv(x + 1, n - x, 0.975);
  r.upper_one_sided = boost::math::ibeta_inv(x + 1, n - x, 0.95);
  r.low = boost::math::ibeta_inv(x, n - x + 1, 0.025);
  return r;
}

mean_ci mean_interval(const std::vector<double>& xs) {
  mean_ci r;
  r.n = xs.size();
  if (xs.empty())
    return r;
  double sum = 0;
  for (auto x : xs)
    sum += x;
  r.mean = sum / static_cast<double>(xs.size());
  r.low = r.high = r.mean;
  if (xs.size() < 2)
    return r;
  double ss = 0;
  for (auto x : xs)
    ss += (x - r.mean) * (x - r.mean);
  auto sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  auto half = 1.96 * sd / std::sqrt(static_cast<double>(xs.size()));
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

arm run_arm(const config& cfg, uint64_t seed, uint64_t runs, unsigned threads) {
  arm a;
  a.cfg = cfg;
  a.runs.resize(runs);
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(
    std::min<uint64_t>(threads, std::max<uint64_t>(runs, 1)));
  auto work = [&](unsigned t) {
    for (auto i = static_cast<uint64_t>(t); i < runs; i += threads)
      a.runs[i] = run_network(cfg, rng::derive(seed, {i}));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool)
    th.join();
  return a;
}

arm_summary summarize(const arm& a) {
  arm_summary s;
  s.runs = a.runs.size();
  auto honest = static_cast<double>(a.cfg.nodes - a.cfg.adversaries);
  uint64_t finished = 0;
  uint64_t capped = 0;
  uint64_t disagree = 0;
  uint64_t wrong = 0;
  std::vector<double> ppn;
  std::vector<double> steps;
  std::vector<uint64_t> decided(a.cfg.checkpoints, 0);
  for (auto& r : a.runs) {
    finished += r.finished ? 1 : 0;
    capped += r.capped ? 1 : 0;
    disagree += r.disagreement ? 1 : 0;
    wrong += r.decided_colour == static_cast<int32_t>(a.cfg.wrong) ? 1 : 0;
    if (r.finished) {
      ppn.push_back(static_cast<double>(r.polls) / honest);
      steps.push_back(static_cast<double>(r.steps));
    }
    for (size_t t = 0; t < decided.size() && t < r.decided.size(); ++t)
      decided[t] += r.decided[t];
  }
  s.finished = exact_proportion(finished, s.runs);
  s.capped = exact_proportion(capped, s.runs);
  s.disagreement = exact_proportion(disagree, s.runs);
  s.decided_wrong = exact_proportion(wrong, s.runs);
  s.polls_per_node = mean_interval(ppn);
  s.steps = mean_interval(steps);
  s.decided_share.resize(decided.size());
  for (size_t t = 0; t < decided.size(); ++t)
    s.decided_share[t] = s.runs == 0
                           ? 0
                           : static_cast<double>(decided[t])
                               / (honest * static_cast<double>(s.runs));
  return s;
}

mean_ci paired_polls_difference(const arm& a, const arm& b) {
  std::vector<double> d;
  auto ha = static_cast<double>(a.cfg.nodes - a.cfg.adversaries);
  auto hb = static_cast<double>(b.cfg.nodes - b.cfg.adversaries);
  auto n = std::min(a.runs.size(), b.runs.size());
  for (size_t i = 0; i < n; ++i)
    if (a.runs[i].finished && b.runs[i].finished)
      d.push_back(static_cast<double>(b.runs[i].polls) / hb
                  - static_cast<double>(a.runs[i].polls) / ha);
  return mean_interval(d);
}

} // namespace caf::consensus::sim::snow

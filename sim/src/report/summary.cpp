#include "caf/consensus/sim/report/summary.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/describe.hpp"

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
  if (m.stopped_early)
    ++stopped_early_;
  if (m.rounds_to_decide >= 0) {
    rounds_to_decide_.add(m.rounds_to_decide);
    polls_to_decide_.add(static_cast<double>(m.polls_to_decide));
  }
}

rate cell_summary::stopped_early() const {
  return wilson(stopped_early_, runs_);
}

mean_ci cell_summary::rounds_to_decide() const {
  return rounds_to_decide_.get();
}

mean_ci cell_summary::polls_to_decide() const {
  return polls_to_decide_.get();
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

using json = nlohmann::json;

namespace {

json rate_json(const rate& r) {
  return json{{"value", r.value},
              {"lo", r.lo},
              {"hi", r.hi},
              {"hits", r.hits},
              {"n", r.n}};
}

json mean_json(const mean_ci& m) {
  return json{{"mean", m.value}, {"lo", m.lo}, {"hi", m.hi}, {"n", m.n}};
}

} // namespace

json summary_json(const scenario& s, uint64_t cell, const cell_summary& x) {
  json out = json::object();
  out["cell"] = cell;
  out["label"] = cell_label(s, cell);
  json assignment = json::object();
  if (!s.sweep.empty()) {
    auto coords = cell_coordinates(s, cell);
    for (size_t i = 0; i < s.sweep.size(); ++i)
      assignment[s.sweep[i].key] = s.sweep[i].values[coords[i]];
  }
  out["assignment"] = assignment;
  out["runs"] = x.runs();
  out["finalize_rate"] = rate_json(x.finalize_rate());
  out["accuracy"] = rate_json(x.accuracy());
  out["accuracy_finalized"] = rate_json(x.safety());
  out["rounds"] = mean_json(x.rounds());
  out["latency_ms"] = mean_json(x.latency());
  out["calls"] = mean_json(x.calls());
  out["stopped_early"] = rate_json(x.stopped_early());
  out["rounds_to_decide"] = mean_json(x.rounds_to_decide());
  out["polls_to_decide"] = mean_json(x.polls_to_decide());
  return out;
}

} // namespace caf::consensus::sim

#include "caf/consensus/sim/report/summary.hpp"

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/describe.hpp"

#include <algorithm>
#include <cmath>

namespace caf::consensus::sim {

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
  if (m.equal_calls_correct)
    ++equal_calls_correct_;
  gain_.add((m.winner_correct ? 1.0 : 0.0)
            - (m.equal_calls_correct ? 1.0 : 0.0));
  calibration_.add(m.winner_confidence, m.winner_correct);
  auto i = std::find_if(stop_reasons_.begin(), stop_reasons_.end(),
                        [&m](auto& x) { return x.first == m.stop_reason; });
  if (i == stop_reasons_.end())
    stop_reasons_.emplace_back(m.stop_reason, 1);
  else
    ++i->second;
  failures_.add(static_cast<double>(m.failures));
  timeouts_.add(static_cast<double>(m.timeouts));
  total_calls_ += static_cast<double>(m.calls);
  tokens_.add(static_cast<double>(m.tokens));
  total_tokens_ += static_cast<double>(m.tokens);
}

rate cell_summary::equal_calls_accuracy() const {
  return wilson(equal_calls_correct_, runs_);
}

mean_ci cell_summary::gain_over_equal_calls() const {
  return gain_.get();
}

calibration cell_summary::reliability() const {
  return calibration_.get();
}

mean_ci cell_summary::failures() const {
  return failures_.get();
}

mean_ci cell_summary::timeouts() const {
  return timeouts_.get();
}

mean_ci cell_summary::tokens() const {
  return tokens_.get();
}

double cell_summary::tokens_per_right_answer() const {
  return correct_ == 0 ? INFINITY
                       : total_tokens_ / static_cast<double>(correct_);
}

double cell_summary::calls_per_right_answer() const {
  return correct_ == 0 ? INFINITY
                       : total_calls_ / static_cast<double>(correct_);
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
  out["failures"] = mean_json(x.failures());
  out["timeouts"] = mean_json(x.timeouts());
  out["tokens"] = mean_json(x.tokens());
  json reasons = json::object();
  for (auto& [why, n] : x.stop_reasons())
    reasons[why] = n;
  out["stop_reasons"] = reasons;
  if (!s.world.ground_truth.empty()) {
    auto per = x.calls_per_right_answer();
    out["calls_per_right_answer"] = std::isfinite(per) ? json(per)
                                                       : json(nullptr);
    auto tok = x.tokens_per_right_answer();
    out["tokens_per_right_answer"] = std::isfinite(tok) ? json(tok)
                                                        : json(nullptr);
    out["equal_calls_accuracy"] = rate_json(x.equal_calls_accuracy());
    out["gain_over_equal_calls"] = mean_json(x.gain_over_equal_calls());
    out["calibration"] = to_json(x.reliability());
  }
  return out;
}

} // namespace caf::consensus::sim

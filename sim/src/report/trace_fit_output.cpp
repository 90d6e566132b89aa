// caf-consensus sim: a trace fit as a table and as a scenario, and the check
// of its predictions on held-out runs.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/engine/record.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/report/internal/trace_runs.hpp"
#include "caf/consensus/sim/report/trace_fit.hpp"

namespace caf::consensus::sim {

namespace {

std::string num(double x, int prec) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

std::string ci(const rate& r) {
  if (r.n == 0)
    return "-";
  return num(r.value, 3) + " [" + num(r.lo, 3) + ", " + num(r.hi, 3) + "]";
}

std::string ci(const mean_ci& m) {
  if (m.n == 0)
    return "-";
  return num(m.value, 2) + " [" + num(m.lo, 2) + ", " + num(m.hi, 2) + "]";
}

std::string group_name(const std::string& id, size_t i) {
  bool ok = !id.empty();
  for (auto c : id)
    ok = ok
         && (std::isalnum(static_cast<unsigned char>(c)) || c == '_'
             || c == '-');
  return ok ? id : "participant-" + std::to_string(i + 1);
}

/// Returns the label of the winner's latest ok response (empty: none).
std::string winner_label(const state& st) {
  auto i = st.index_of(st.winner);
  if (i >= st.participants.size())
    return {};
  auto r = st.latest_ok(i);
  return r == nullptr ? std::string{} : r->label;
}

bool overlap(double a_lo, double a_hi, double b_lo, double b_hi) {
  return a_lo <= b_hi && b_lo <= a_hi;
}

} // namespace

std::string fit_table(const trace_fit& x) {
  std::ostringstream os;
  os << "fit of " << x.runs << " runs, " << x.labels.size()
     << " answer clusters"
     << (x.truth.empty() ? " (no key: no accuracy)"
                         : ", key cluster " + x.truth)
     << "\n\nparticipant      calls  accuracy (round 0)     fail rate"
        "              refinement (moves to majority)\n";
  for (auto& p : x.participants) {
    os << std::left << std::setw(16) << p.id << std::right << std::setw(6)
       << p.calls << "  " << std::left << std::setw(23) << ci(p.accuracy)
       << std::setw(23) << ci(p.fail) << ci(p.refine) << std::right << "\n";
  }
  os << "\nlatency (log-normal fit)  median ms [95%]          sigma [95%]"
        "            p50 obs/fit    p90 obs/fit    p99 obs/fit    KS\n";
  for (auto& p : x.participants) {
    auto& l = p.latency;
    if (l.n == 0) {
      os << std::left << std::setw(26) << p.id << "no latencies\n"
         << std::right;
      continue;
    }
    auto pair = [](double a, double b) { return num(a, 0) + "/" + num(b, 0); };
    os << std::left << std::setw(26) << p.id << std::setw(25)
       << (num(l.median, 1) + " [" + num(l.median_lo, 1) + ", "
           + num(l.median_hi, 1) + "]")
       << std::setw(23)
       << (num(l.sigma, 3) + " [" + num(l.sigma_lo, 3) + ", "
           + num(l.sigma_hi, 3) + "]")
       << std::setw(15) << pair(l.q[0], l.fitted_q[0]) << std::setw(15)
       << pair(l.q[1], l.fitted_q[1]) << std::setw(15)
       << pair(l.q[2], l.fitted_q[2]) << num(l.ks, 3) << std::right << "\n";
  }
  if (!x.correlations.empty()) {
    os << "\ncorrelation of round-0 correctness (phi [95%], runs)\n";
    for (auto& c : x.correlations) {
      os << "  " << x.participants[c.a].id << " ~ " << x.participants[c.b].id
         << ": ";
      if (c.defined)
        os << num(c.r, 3) << " [" << num(c.lo, 3) << ", " << num(c.hi, 3)
           << "], " << c.n << "\n";
      else
        os << "undefined (" << c.n << " runs; needs both outcomes varied)\n";
    }
    os << "(the fitted scenario's agents draw independently: correlation is "
          "reported, not modelled)\n";
  }
  return os.str();
}

std::string fit_scenario_text(const trace_fit& x, uint64_t replicates,
                              uint64_t seed) {
  auto q = [](const std::string& s) { return nlohmann::json(s).dump(); };
  std::ostringstream os;
  os << "# Fitted by consensus-sim fit from " << x.runs
     << " recorded runs (docs/traces.md).\n"
     << "name: fitted\n";
  if (!x.prompt.empty())
    os << "prompt: " << q(x.prompt) << "\n";
  os << "policy: " << q(x.ps.policy) << "\n" << params_yaml(x.ps);
  // Default templates: distinct texts, one per cluster.
  os << "labels: [";
  for (size_t i = 0; i < x.labels.size(); ++i)
    os << (i > 0 ? ", " : "") << yaml_name(x.labels[i]);
  if (x.labels.empty())
    os << "none";
  os << "]\n";
  auto truth = !x.truth.empty()   ? x.truth
               : x.labels.empty() ? std::string{"none"}
                                  : x.labels.front();
  os << "ground_truth: " << yaml_name(truth) << "\nagents:\n";
  for (size_t i = 0; i < x.participants.size(); ++i) {
    auto& p = x.participants[i];
    os << "  - name: " << yaml_name(group_name(p.id, i)) << "\n";
    std::string answers;
    for (size_t k = 0; k < p.weights.size(); ++k)
      if (p.weights[k] > 0)
        answers += (answers.empty() ? "" : ", ") + yaml_name(x.labels[k]) + ": "
                   + nlohmann::json(p.weights[k]).dump();
    if (!answers.empty())
      os << "    answers: {" << answers << "}\n";
    if (p.refine.n > 0)
      os << "    behaviour: conform:" << nlohmann::json(p.refine.value).dump()
         << "\n";
    auto& l = p.latency;
    if (l.n > 0)
      os << "    latency: {dist: lognormal, median_ms: "
         << nlohmann::json(l.median).dump()
         << ", sigma: " << nlohmann::json(l.sigma).dump() << "}\n";
    os << "    faults: {fail: " << nlohmann::json(p.fail.value).dump()
       << ", no_answer: " << nlohmann::json(p.timeout.value).dump() << "}\n";
  }
  os << "replicates: " << replicates << "\nseed: " << seed << "\n";
  return os.str();
}

expected<holdout_check> check_holdout(const trace_runs& x, double holdout,
                                      uint64_t seed, uint64_t replicates,
                                      trace_fit* fitted) {
  if (!(holdout > 0 && holdout < 1))
    return make_error(errc::invalid_params,
                      "--holdout must be in (0, 1), got " + num(holdout, 3));
  auto n = x.runs.size();
  auto held = static_cast<size_t>(std::llround(holdout * double(n)));
  held = std::min(std::max<size_t>(held, 1), n == 0 ? 0 : n - 1);
  if (n < 2 || held == 0)
    return make_error(errc::invalid_params,
                      "a holdout needs at least 2 recorded runs, got "
                        + std::to_string(n));
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  rng::rng64 gen{seed};
  for (size_t i = n - 1; i > 0; --i)
    std::swap(order[i], order[gen.below(i + 1)]);
  std::vector<bool> use(n, true);
  for (size_t i = 0; i < held; ++i)
    use[order[i]] = false;
  holdout_check out;
  out.fit_runs = n - held;
  out.held_out = held;
  // Observed on the held-out runs.
  uint64_t fin = 0, right = 0, keyed = 0;
  mean_acc rounds;
  for (size_t ri = 0; ri < n; ++ri) {
    if (use[ri])
      continue;
    auto& r = x.runs[ri];
    if (r.outcome == nullptr)
      return make_error(errc::invalid_params, "held-out run "
                                                + std::to_string(ri + 1)
                                                + " has no outcome line");
    fin += r.outcome->finalized;
    rounds.add(r.outcome->rounds_executed);
    if (r.key >= 0 && !r.outcome->winner.empty()) {
      ++keyed;
      auto w = x.index_of(r.outcome->winner);
      right += x.latest_ok(ri, w, x.ps.rounds) == r.key;
    }
  }
  out.observed_finalize = wilson(fin, held);
  out.observed_accuracy = wilson(right, keyed);
  out.observed_rounds = rounds.get();
  // Predicted by the scenario fitted on the other runs.
  auto f = fit_traces(x, use);
  auto text = fit_scenario_text(f, replicates, seed);
  auto sc = parse_scenario(text, "fitted scenario");
  if (!sc)
    return make_error(errc::invalid_params,
                      "the fitted scenario does not load: "
                        + render(sc.error()));
  auto cell = resolve_cell(*sc, 0);
  if (!cell)
    return std::move(cell.error());
  fin = right = 0;
  mean_acc prounds;
  for (uint64_t rep = 0; rep < replicates; ++rep) {
    auto st = run_state(*cell, 0, rep, engine_kind::inline_calls, nullptr);
    if (!st)
      return std::move(st.error());
    fin += st->finalized;
    right += !f.truth.empty() && winner_label(*st) == f.truth;
    prounds.add(st->rounds_executed);
  }
  out.predicted_finalize = wilson(fin, replicates);
  out.predicted_accuracy = wilson(right, f.truth.empty() ? 0 : replicates);
  out.predicted_rounds = prounds.get();
  if (fitted != nullptr)
    *fitted = std::move(f);
  return out;
}

std::string holdout_table(const holdout_check& x) {
  std::ostringstream os;
  os << "holdout: fitted on " << x.fit_runs << " runs, checked on "
     << x.held_out << " held-out runs\n\n"
     << "measure              predicted [95%]          observed [95%]"
        "           intervals\n";
  auto row = [&](const std::string& name, const std::string& p,
                 const std::string& o, bool known, bool meets) {
    os << std::left << std::setw(21) << name << std::setw(25) << p
       << std::setw(25) << o << (known ? (meets ? "overlap" : "DISJOINT") : "-")
       << std::right << "\n";
  };
  auto rates = [&](const std::string& name, const rate& p, const rate& o) {
    row(name, ci(p), ci(o), p.n > 0 && o.n > 0,
        overlap(p.lo, p.hi, o.lo, o.hi));
  };
  rates("finalize rate", x.predicted_finalize, x.observed_finalize);
  rates("winner accuracy", x.predicted_accuracy, x.observed_accuracy);
  row("rounds executed", ci(x.predicted_rounds), ci(x.observed_rounds),
      x.predicted_rounds.n > 0 && x.observed_rounds.n > 0,
      overlap(x.predicted_rounds.lo, x.predicted_rounds.hi,
              x.observed_rounds.lo, x.observed_rounds.hi));
  return os.str();
}

} // namespace caf::consensus::sim

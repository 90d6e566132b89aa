// caf-consensus sim: `run_tune`: options checked, the race, the best cells,
// the front and the confirmation of the choice on fresh seeds.

#include "caf/consensus/sim/tune/tune.hpp"

#include <algorithm>
#include <chrono>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/report/baselines.hpp"
#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/tune/internal/racer.hpp"
#include "caf/consensus/sim/tune/internal/tune_store.hpp"

namespace caf::consensus::sim {

namespace {

using tune_internal::samples;

tune_estimates estimates_of(const samples& x, double a) {
  using tune_internal::metric_interval;
  tune_estimates e;
  auto n = x.size();
  e.accuracy = metric_interval(x, tune_metric::accuracy, n, a);
  e.finalize = metric_interval(x, tune_metric::finalize, n, a);
  e.wrong_final = metric_interval(x, tune_metric::wrong_final, n, a);
  e.calls = metric_interval(x, tune_metric::calls, n, a);
  e.latency = metric_interval(x, tune_metric::latency, n, a);
  e.p95_latency = metric_interval(x, tune_metric::p95_latency, n, a);
  return e;
}

error check_tune_options(const scenario& s, const tune_options& opts,
                         uint64_t cap) {
  auto bad = [](const std::string& what) {
    return make_error(errc::invalid_params, "tune: " + what);
  };
  if (opts.threads < 1 || opts.threads > 1024)
    return bad("threads must be in [1, 1024], got "
               + std::to_string(opts.threads));
  if (!(opts.confidence >= 0.5 && opts.confidence < 1))
    return bad("confidence must be in [0.5, 1), got "
               + std::to_string(opts.confidence));
  if (!(opts.delta >= 0 && opts.delta < 1))
    return bad("delta must be in [0, 1), got " + std::to_string(opts.delta));
  if (cap < 2 || cap > 10'000'000)
    return bad("the most replicates per cell must be in [2, 10^7], got "
               + std::to_string(cap));
  if (opts.budget > 1'000'000'000'000)
    return bad("budget must be at most 10^12 runs, got "
               + std::to_string(opts.budget));
  if (opts.confirm > 10'000'000)
    return bad("confirmation runs must be at most 10^7, got "
               + std::to_string(opts.confirm));
  if (opts.first_replicates < 2)
    return bad("first replicates must be >= 2, got "
               + std::to_string(opts.first_replicates));
  if (cell_count(s) > 100'000)
    return bad("the sweep grid has " + std::to_string(cell_count(s))
               + " cells; tune races at most 100000");
  return error{};
}

/// The chosen cell: the leader, or in a tie the cheapest of the tied cells.
uint64_t choose(const tune_result& out) {
  auto chosen = out.best.front();
  if (out.verdict != tune_verdict::tied)
    return chosen;
  auto cheaper = [&](uint64_t a, uint64_t b) {
    auto& x = out.cells[a].est;
    auto& y = out.cells[b].est;
    if (x.calls.value != y.calls.value)
      return x.calls.value < y.calls.value;
    if (x.latency.value != y.latency.value)
      return x.latency.value < y.latency.value;
    return a < b;
  };
  for (auto c : out.best)
    if ((c == out.best.front() || out.cells[c].tied) && cheaper(c, chosen))
      chosen = c;
  return chosen;
}

error confirm(const scenario& s, const tune_options& opts, uint64_t runs,
              tune_result& out) {
  auto cell = resolve_cell(s, out.chosen);
  if (!cell)
    return std::move(cell.error());
  static const auto tag = rng::hash_name("confirm", 7);
  std::vector<rng::seed> seeds;
  for (uint64_t i = 0; i < runs; ++i)
    seeds.emplace_back(rng::derive(out.seed, {tag, i}));
  samples xs;
  if (auto err = run_with_seeds(*cell, seeds, opts.engine, opts.threads,
                                [&](const run_metrics& m) { xs.add(m); }))
    return err;
  auto a = 1 - opts.confidence;
  out.confirmation.runs = runs;
  out.confirmation.est = estimates_of(xs, a);
  for (auto& k : out.objective.constraints) {
    auto f = tune_internal::judge(
      k, tune_internal::metric_interval(xs, k.metric, xs.size(), a));
    out.confirmation.constraints.push_back(f == tune_internal::fit::met ? "met"
                                           : f == tune_internal::fit::missed
                                             ? "missed"
                                             : "unsure");
  }
  out.runs_confirm = runs;
  return error{};
}

} // namespace

expected<tune_result> run_tune(const scenario& s,
                               const tune_objective& objective,
                               const tune_options& opts) {
  auto t0 = std::chrono::steady_clock::now();
  auto cap = opts.max_replicates > 0 ? opts.max_replicates : s.replicates;
  if (auto err = check_tune_options(s, opts, cap))
    return err;
  tune_result out;
  out.scenario_name = s.name;
  out.scenario_file = s.file;
  out.objective = objective;
  out.seed = opts.seed ? *opts.seed : s.seed.low64();
  out.max_replicates = cap;
  out.first_replicates = std::min(opts.first_replicates, cap);
  out.confidence = opts.confidence;
  out.delta = opts.delta;
  auto cells = cell_count(s);
  out.grid_runs = cells * cap;
  out.budget = opts.budget > 0 ? opts.budget : out.grid_runs / 5;
  auto confirm_runs = opts.confirm > 0
                        ? opts.confirm
                        : std::max<uint64_t>(2, std::min(cap, out.budget / 10));
  auto first_look = cells * out.first_replicates;
  if (out.budget < first_look + confirm_runs)
    return make_error(
      errc::invalid_params,
      "tune: a budget of " + std::to_string(out.budget)
        + " runs is too small: a first look at the " + std::to_string(cells)
        + " cells takes " + std::to_string(first_look)
        + " runs and the confirmation " + std::to_string(confirm_runs)
        + " (need at least " + std::to_string(first_look + confirm_runs) + ")");
  tune_internal::racer race{s, out.objective, opts, out};
  for (uint64_t c = 0; c < cells; ++c) {
    auto& tc = out.cells[c];
    tc.cell = c;
    tc.label = cell_label(s, c);
    auto coords = cell_coordinates(s, c);
    for (size_t i = 0; i < s.sweep.size(); ++i)
      tc.settings.emplace_back(s.sweep[i].key, s.sweep[i].values[coords[i]]);
  }
  std::unique_ptr<results_store> store;
  if (!opts.store_dir.empty()) {
    auto st = tune_internal::attach_store(s, opts, out, race);
    if (!st)
      return make_error(errc::invalid_params, "tune: " + render(st.error()));
    store = std::move(*st);
  }
  if (auto err = race.run(out.budget - confirm_runs))
    return make_error(errc::invalid_params, "tune: " + render(err));
  auto& xs = race.cell_samples();
  auto a = 1 - opts.confidence;
  for (uint64_t c = 0; c < cells; ++c) {
    out.cells[c].runs = xs[c].size();
    out.cells[c].est = estimates_of(xs[c], a);
  }
  std::vector<size_t> alive;
  std::vector<size_t> feasible;
  for (uint64_t c = 0; c < cells; ++c) {
    if (out.cells[c].status == tune_status::alive)
      alive.push_back(c);
    if (out.cells[c].status != tune_status::infeasible && xs[c].size() > 0)
      feasible.push_back(c);
  }
  for (auto c : tune_internal::pareto_front(xs, feasible))
    out.front.push_back(c);
  if (!alive.empty()) {
    auto lead = race.leader();
    auto metric = objective.pareto ? tune_metric::accuracy
                                   : objective.goal.metric;
    auto up = objective.pareto || objective.goal.maximize;
    for (uint64_t c = 0; c < cells; ++c)
      out.cells[c].vs_winner = tune_internal::oriented(
        tune_internal::paired_interval(xs[lead], xs[c], metric, xs[lead].size(),
                                       a),
        up);
    if (objective.pareto) {
      for (auto c : tune_internal::pareto_front(xs, alive))
        out.best.push_back(c);
      std::stable_partition(out.best.begin(), out.best.end(),
                            [&](uint64_t c) { return c == lead; });
    } else {
      out.best.push_back(lead);
      std::vector<uint64_t> rest;
      for (auto c : alive)
        if (c != lead)
          rest.push_back(c);
      std::stable_sort(rest.begin(), rest.end(), [&](uint64_t x, uint64_t y) {
        return out.cells[x].vs_winner.value < out.cells[y].vs_winner.value;
      });
      out.best.insert(out.best.end(), rest.begin(), rest.end());
    }
    out.has_choice = true;
    out.chosen = choose(out);
    out.chosen_feasibility = race.feasibility(out.chosen);
    if (auto err = confirm(s, opts, confirm_runs, out))
      return make_error(errc::invalid_params, "tune: " + render(err));
  }
  out.seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  return out;
}

} // namespace caf::consensus::sim

// Running the advice: the advisor's sweeps with shared run seeds, the order
// of the claims, and `run_advice` (its options checked first).

#include "caf/consensus/sim/advice/internal/advisor.hpp"

#include <algorithm>
#include <chrono>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/advice/internal/population_checks.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"

namespace caf::consensus::sim::advice_detail {

using clock_type = std::chrono::steady_clock;

advisor::advisor(const scenario& pop, const advice_options& opts)
  : pop_(pop), opts_(opts) {
  seeds_.reserve(opts.replicates);
  for (uint64_t i = 0; i < opts.replicates; ++i)
    seeds_.push_back(rng::derive(opts.seed, {i}));
  rule_seeds_.assign(
    seeds_.begin(),
    seeds_.begin()
      + static_cast<std::ptrdiff_t>(std::min<uint64_t>(opts.replicates, 1000)));
}

scenario advisor::base(const std::string& policy) const {
  auto s = pop_;
  s.sweep.clear();
  s.ps = params{};
  s.ps.policy = policy;
  s.ps.timeout_ms = pop_.ps.timeout_ms;
  s.world.timeout_ms = s.ps.timeout_ms;
  // Synthetic agents answer token sets (the population is parsed, not
  // resolved as a cell).
  prepare_words(s.world);
  return s;
}

run_point advisor::to_point(const run_metrics& m) {
  run_point p;
  p.finalized = m.finalized;
  p.correct = m.winner_correct;
  p.all_decided = m.stop_reason == "all_decided";
  p.rounds = m.rounds_executed;
  p.latency_s = static_cast<double>(m.latency_ms) / 1000.0;
  p.calls = static_cast<double>(m.calls);
  p.agreement = m.agreement;
  p.score = m.winner_score;
  return p;
}

void advisor::progress(const std::string& what) {
  if (opts_.on_progress)
    opts_.on_progress(what, runs_, planned_);
}

std::shared_ptr<sweep_runtime> advisor::runtime() {
  if (runtime_ == nullptr)
    runtime_ = make_runtime_for(opts_.threads);
  return runtime_;
}

expected<sweep_runs> advisor::sweep(const scenario& s, const std::string& key,
                                    const std::vector<std::string>& vals,
                                    const std::vector<rng::seed>& seeds,
                                    advice_sweep meta) {
  auto x = s;
  x.sweep = {sweep_axis{key, vals, 0, {}}};
  x.seeds = seeds;
  x.replicates = seeds.size();
  sweep_runs out;
  out.meta = std::move(meta);
  out.meta.key = key;
  out.cells.resize(vals.size());
  for (size_t i = 0; i < vals.size(); ++i) {
    out.cells[i].value = vals[i];
    out.cells[i].runs.reserve(seeds.size());
  }
  sweep_options so;
  so.engine = opts_.engine;
  so.threads = opts_.threads;
  so.runtime = runtime();
  so.on_run = [&](const run_metrics& m) {
    auto& c = out.cells[m.cell];
    c.runs.push_back(to_point(m));
    c.sum.add(m);
    c.agreement.add(m.agreement);
  };
  if (auto err = run_sweep(x, so))
    return make_error(errc::invalid_params,
                      "advice sweep " + out.meta.family + " (" + out.meta.policy
                        + ", " + out.meta.condition + "): " + render(err));
  runs_ += vals.size() * seeds.size();
  progress(out.meta.family + " " + out.meta.policy);
  return out;
}

expected<sweep_runs>
advisor::cells(const std::vector<std::pair<std::string, scenario>>& xs,
               const std::vector<rng::seed>& seeds, advice_sweep meta) {
  sweep_runs out;
  out.meta = std::move(meta);
  for (auto& [value, sc] : xs) {
    cell_runs c;
    c.value = value;
    c.runs.reserve(seeds.size());
    auto err = run_with_seeds(
      sc, seeds, opts_.engine, opts_.threads,
      [&](const run_metrics& m) {
        c.runs.push_back(to_point(m));
        c.sum.add(m);
        c.agreement.add(m.agreement);
      },
      runtime());
    if (err)
      return make_error(errc::invalid_params, "advice runs " + out.meta.family
                                                + " (" + out.meta.policy + ", "
                                                + value + "): " + render(err));
    runs_ += seeds.size();
    out.cells.push_back(std::move(c));
  }
  progress(out.meta.family + " " + out.meta.policy);
  return out;
}

void advisor::keep(const sweep_runs& x) {
  auto meta = x.meta;
  meta.cells.clear();
  for (auto& c : x.cells) {
    advice_cell ac;
    ac.value = c.value;
    ac.summary = to_cell_result(c.sum);
    ac.agreement = c.agreement.get();
    meta.cells.push_back(std::move(ac));
  }
  report_.sweeps.push_back(std::move(meta));
}

uint64_t advisor::plan() const {
  uint64_t cells = 0;
  auto ks = k_values().size();
  for (auto& p : opts_.policies) {
    cells += 5 * (p == "metastable" || p == "hanzo" ? 2 : 1);
    cells += ks >= 2 ? ks : 0;
    cells += 5 + 4;
  }
  cells += 1 + opts_.policies.size(); // baselines (at most)
  uint64_t total = cells * seeds_.size();
  if (opts_.rules) {
    auto has = [&](const char* p) {
      return std::find(opts_.policies.begin(), opts_.policies.end(), p)
             != opts_.policies.end();
    };
    if (has("hanzo"))
      total += 2 * 4 * 2 * rule_seeds_.size();
    if (has("snowball"))
      total += 2 * 4 * 4 * rule_seeds_.size();
  }
  return total;
}

expected<advice_report> advisor::run() {
  auto t0 = clock_type::now();
  report_.population_name = pop_.name;
  report_.population_file = pop_.file;
  report_.agents = participant_ids(pop_).size();
  report_.mean_accuracy = mean_accuracy(pop_);
  report_.replicates = opts_.replicates;
  report_.seed = opts_.seed;
  report_.policies = opts_.policies;
  for (auto& policy : opts_.policies) {
    if (auto err = claims_rounds(policy))
      return err;
    if (auto err = claims_k(policy))
      return err;
    if (auto err = claims_beta_2(policy))
      return err;
    if (auto err = claims_diversity(policy))
      return err;
  }
  if (auto err = baselines_vs_vote())
    return err;
  if (opts_.rules) {
    auto has = [&](const char* p) {
      return std::find(opts_.policies.begin(), opts_.policies.end(), p)
             != opts_.policies.end();
    };
    if (has("hanzo"))
      if (auto err = rule_hanzo())
        return err;
    if (has("snowball"))
      if (auto err = rule_snowball())
        return err;
  }
  report_.runs = runs_;
  report_.seconds
    = std::chrono::duration<double>(clock_type::now() - t0).count();
  return std::move(report_);
}

} // namespace caf::consensus::sim::advice_detail

namespace caf::consensus::sim {

expected<advice_report> run_advice(const scenario& population,
                                   const advice_options& opts) {
  if (opts.replicates < 2 || opts.replicates > 1'000'000)
    return make_error(errc::invalid_params,
                      "advice: replicates must be in [2, 1000000], got "
                        + std::to_string(opts.replicates));
  if (opts.threads < 1 || opts.threads > 1024)
    return make_error(errc::invalid_params,
                      "advice: threads must be in [1, 1024], got "
                        + std::to_string(opts.threads));
  if (opts.policies.empty())
    return make_error(errc::invalid_params, "advice: no policy to test");
  static const std::vector<std::string> known{"metastable", "hanzo", "snowball",
                                              "vote"};
  for (auto& p : opts.policies)
    if (std::find(known.begin(), known.end(), p) == known.end())
      return make_error(errc::unknown_policy,
                        "advice: unknown policy '" + p
                          + "' (accepted: metastable, hanzo, snowball, vote)");
  if (auto err = advice_detail::check_population(population))
    return err;
  advice_detail::advisor a{population, opts};
  a.set_planned(a.plan());
  return a.run();
}

} // namespace caf::consensus::sim

#include "caf/consensus/sim/advice/advice.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;
using json = nlohmann::json;

/// The text of scenarios/advice/population.yaml (generated source).
extern const char* const advice_population_yaml;

// -- populations --------------------------------------------------------------

namespace {

constexpr size_t min_agents = 2;
constexpr size_t max_agents = 200;

/// An agent's first-answer distribution over the scenario's labels.
std::vector<double> first_answer(const agent_world& world,
                                 const agent_group& g) {
  std::vector<double> out(world.labels.size(), 0.0);
  auto index_of = [&](const std::string& label) {
    auto i = std::find(world.labels.begin(), world.labels.end(), label);
    return static_cast<size_t>(i - world.labels.begin());
  };
  if (g.labels.empty()) {
    auto i = index_of(world.ground_truth);
    if (i < out.size())
      out[i] = 1;
    return out;
  }
  double total = 0;
  for (size_t i = 0; i < g.labels.size(); ++i) {
    auto w = i < g.weights.size() ? g.weights[i] : 0.0;
    if (w > 0 && std::isfinite(w))
      total += w;
  }
  for (size_t i = 0; i < g.labels.size(); ++i) {
    auto w = i < g.weights.size() ? g.weights[i] : 0.0;
    auto p = total > 0 ? (w > 0 && std::isfinite(w) ? w / total : 0.0)
                       : 1.0 / static_cast<double>(g.labels.size());
    auto j = index_of(g.labels[i]);
    if (j < out.size())
      out[j] += p;
  }
  return out;
}

/// One distribution per agent (aligned with `participant_ids`).
std::vector<std::vector<double>> agent_distributions(const scenario& pop) {
  std::vector<std::vector<double>> out;
  for (auto& g : pop.groups)
    for (uint32_t i = 0; i < g.count; ++i)
      out.push_back(first_answer(pop.world, g));
  return out;
}

size_t truth_index(const scenario& pop) {
  auto i = std::find(pop.world.labels.begin(), pop.world.labels.end(),
                     pop.world.ground_truth);
  return static_cast<size_t>(i - pop.world.labels.begin());
}

} // namespace

const std::string& default_population_text() {
  static const std::string text = advice_population_yaml;
  return text;
}

expected<scenario> default_population() {
  return parse_scenario(default_population_text(),
                        "scenarios/advice/population.yaml");
}

expected<scenario> load_population(const std::string& path) {
  auto s = load_scenario(path);
  if (!s)
    return s;
  auto n = participant_ids(*s).size();
  if (n < min_agents || n > max_agents)
    return make_error(errc::malformed_input,
                      path + ": the population has " + std::to_string(n)
                        + " agents; consensus-sim advice needs "
                        + std::to_string(min_agents) + " to "
                        + std::to_string(max_agents));
  return s;
}

double mean_accuracy(const scenario& pop) {
  auto t = truth_index(pop);
  auto dists = agent_distributions(pop);
  if (dists.empty() || t >= pop.world.labels.size())
    return 0;
  double sum = 0;
  for (auto& d : dists)
    sum += d[t];
  return sum / static_cast<double>(dists.size());
}

scenario derive_population(const scenario& pop, population_kind kind) {
  auto out = pop;
  out.sweep.clear();
  out.groups.clear();
  auto ids = participant_ids(pop);
  auto dists = agent_distributions(pop);
  auto n = dists.size();
  auto labels = pop.world.labels.size();
  auto t = truth_index(pop);
  // The mean distribution, its accuracy and the split of its mistakes.
  std::vector<double> mean(labels, 0.0);
  for (auto& d : dists)
    for (size_t j = 0; j < labels; ++j)
      mean[j] += d[j] / static_cast<double>(n);
  auto p = t < labels ? mean[t] : 0.0;
  std::vector<size_t> wrong;
  for (size_t j = 0; j < labels; ++j)
    if (j != t)
      wrong.push_back(j);
  std::vector<double> split(labels, 0.0);
  double wrong_mass = 0;
  for (auto j : wrong)
    wrong_mass += mean[j];
  for (auto j : wrong)
    split[j] = wrong_mass > 0 ? mean[j] / wrong_mass
                              : 1.0 / static_cast<double>(wrong.size());
  size_t most_common = wrong.empty() ? t : wrong.front();
  for (auto j : wrong)
    if (mean[j] > mean[most_common])
      most_common = j;
  // Competence spread: evenly spaced z in [-1, 1], assigned low, high, low.
  auto s = std::max(0.0, std::min({0.25, p - 0.05, 0.95 - p}));
  std::vector<double> z(n, 0.0);
  if (n > 1) {
    std::vector<size_t> order;
    for (size_t lo = 0, hi = n - 1; lo <= hi && order.size() < n;) {
      order.push_back(lo++);
      if (order.size() < n && hi >= lo)
        order.push_back(hi--);
    }
    for (size_t i = 0; i < n; ++i)
      z[i] = -1.0
             + 2.0 * static_cast<double>(order[i]) / static_cast<double>(n - 1);
  }
  size_t agent = 0;
  for (auto& g : pop.groups) {
    for (uint32_t k = 0; k < g.count; ++k, ++agent) {
      auto x = g;
      x.count = 1;
      x.name = ids[agent];
      x.labels = pop.world.labels;
      std::vector<double> w(labels, 0.0);
      switch (kind) {
        case population_kind::homogeneous:
          w = mean;
          break;
        case population_kind::diverse_competence: {
          auto pi = p + s * z[agent];
          if (t < labels)
            w[t] = pi;
          for (auto j : wrong)
            w[j] = (1 - pi) * split[j];
          break;
        }
        case population_kind::shared_errors:
          if (t < labels)
            w[t] = p;
          if (most_common != t)
            w[most_common] = 1 - p;
          break;
        case population_kind::diverse_errors:
          if (t < labels)
            w[t] = p;
          if (!wrong.empty())
            w[wrong[agent % wrong.size()]] = 1 - p;
          break;
      }
      // Keep every weight non-negative; an all-zero row means the ground
      // truth (only possible when p = 1 and nothing is wrong).
      for (auto& v : w)
        v = std::max(0.0, v);
      x.weights = std::move(w);
      out.groups.push_back(std::move(x));
    }
  }
  return out;
}

// -- running the sweeps -------------------------------------------------------

namespace {

using clock_type = std::chrono::steady_clock;

/// What a run contributes to the paired effects.
struct run_point {
  bool finalized = false;
  bool correct = false;
  bool all_decided = false;
  double rounds = 0;
  double latency_s = 0;
  double calls = 0;
  double agreement = 0;
  double score = 0;
};

struct cell_runs {
  std::string value;
  std::vector<run_point> runs;
  cell_summary sum;
  mean_acc agreement;
};

struct sweep_runs {
  advice_sweep meta;
  std::vector<cell_runs> cells;

  const cell_runs* find(const std::string& value) const {
    for (auto& c : cells)
      if (c.value == value)
        return &c;
    return nullptr;
  }
};

enum class metric : uint8_t {
  finalize,
  accuracy,
  rounds,
  latency,
  calls,
  agreement,
};

std::string metric_name(metric m) {
  switch (m) {
    case metric::finalize:
      return "finalize rate";
    case metric::accuracy:
      return "accuracy";
    case metric::rounds:
      return "rounds executed";
    case metric::latency:
      return "simulated latency (s)";
    case metric::calls:
      return "calls";
    case metric::agreement:
      return "agreement";
  }
  return "?";
}

std::vector<double> values(const cell_runs& c, metric m) {
  std::vector<double> out;
  out.reserve(c.runs.size());
  for (auto& r : c.runs) {
    switch (m) {
      case metric::finalize:
        out.push_back(r.finalized ? 1 : 0);
        break;
      case metric::accuracy:
        out.push_back(r.correct ? 1 : 0);
        break;
      case metric::rounds:
        out.push_back(r.rounds);
        break;
      case metric::latency:
        out.push_back(r.latency_s);
        break;
      case metric::calls:
        out.push_back(r.calls);
        break;
      case metric::agreement:
        out.push_back(r.agreement);
        break;
    }
  }
  return out;
}

double mean_of(const cell_runs& c, metric m) {
  auto xs = values(c, m);
  double s = 0;
  for (auto x : xs)
    s += x;
  return xs.empty() ? 0 : s / static_cast<double>(xs.size());
}

/// Minimal relevant effect of a metric (see docs/advice.md).
double delta_of(metric m, const cell_runs& from) {
  switch (m) {
    case metric::rounds:
      return 0.1;
    case metric::latency:
      return std::max(0.001, 0.02 * mean_of(from, m));
    case metric::calls:
      return std::max(0.01, 0.02 * mean_of(from, m));
    default:
      return 0.02;
  }
}

std::string format_num(double x, int prec, bool sign = false) {
  if (!std::isfinite(x))
    return "-";
  std::ostringstream os;
  if (sign && x >= 0)
    os << '+';
  os << std::fixed << std::setprecision(prec) << x;
  auto s = os.str();
  // A value that rounds to zero prints without a minus sign ("-0.000").
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s = (sign ? "+" : "") + s.substr(1);
  return s;
}

std::string effect_text(const effect& e, int prec) {
  if (!e.valid)
    return "n/a";
  return format_num(e.value, prec, true) + " [" + format_num(e.lo, prec, true)
         + ", " + format_num(e.hi, prec, true) + "]";
}

class advisor {
public:
  advisor(const scenario& pop, const advice_options& opts)
    : pop_(pop), opts_(opts) {
    seeds_.reserve(opts.replicates);
    for (uint64_t i = 0; i < opts.replicates; ++i)
      seeds_.push_back(rng::derive(opts.seed, {i}));
    rule_seeds_.assign(seeds_.begin(),
                       seeds_.begin()
                         + static_cast<std::ptrdiff_t>(
                           std::min<uint64_t>(opts.replicates, 1000)));
  }

  expected<advice_report> run();

private:
  // -- building blocks --------------------------------------------------------

  /// The population with policy `policy` and default parameters.
  scenario base(const std::string& policy) const {
    auto s = pop_;
    s.sweep.clear();
    s.ps = params{};
    s.ps.policy = policy;
    s.ps.timeout_ms = pop_.ps.timeout_ms;
    s.world.timeout_ms = s.ps.timeout_ms;
    return s;
  }

  static run_point to_point(const run_metrics& m) {
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

  void progress(const std::string& what) {
    if (opts_.on_progress)
      opts_.on_progress(what, runs_, planned_);
  }

  /// Runs `s` with one axis `key` over `vals`, every cell with the same
  /// seeds.
  expected<sweep_runs> sweep(const scenario& s, const std::string& key,
                             const std::vector<std::string>& vals,
                             const std::vector<uint64_t>& seeds,
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
    so.on_run = [&](const run_metrics& m) {
      auto& c = out.cells[m.cell];
      c.runs.push_back(to_point(m));
      c.sum.add(m);
      c.agreement.add(m.agreement);
    };
    if (auto err = run_sweep(x, so))
      return make_error(errc::invalid_params, "advice sweep " + out.meta.family
                                                + " (" + out.meta.policy + ", "
                                                + out.meta.condition
                                                + "): " + render(err));
    runs_ += vals.size() * seeds.size();
    progress(out.meta.family + " " + out.meta.policy);
    return out;
  }

  /// Runs each scenario of `xs` (no sweep) with the same seeds as the cells
  /// of one pseudo-sweep.
  expected<sweep_runs>
  cells(const std::vector<std::pair<std::string, scenario>>& xs,
        const std::vector<uint64_t>& seeds, advice_sweep meta) {
    sweep_runs out;
    out.meta = std::move(meta);
    for (auto& [value, sc] : xs) {
      cell_runs c;
      c.value = value;
      c.runs.reserve(seeds.size());
      auto err = run_with_seeds(sc, seeds, opts_.engine, opts_.threads,
                                [&](const run_metrics& m) {
                                  c.runs.push_back(to_point(m));
                                  c.sum.add(m);
                                  c.agreement.add(m.agreement);
                                });
      if (err)
        return make_error(errc::invalid_params, "advice runs " + out.meta.family
                                                  + " (" + out.meta.policy
                                                  + ", " + value
                                                  + "): " + render(err));
      runs_ += seeds.size();
      out.cells.push_back(std::move(c));
    }
    progress(out.meta.family + " " + out.meta.policy);
    return out;
  }

  void keep(const sweep_runs& x) {
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

  // -- effects ----------------------------------------------------------------

  static effect paired(const cell_runs& from, const cell_runs& to, metric m) {
    return paired_difference(values(from, m), values(to, m));
  }

  /// Accuracy among finalized runs, `to - from`, paired bootstrap.
  effect safety(const cell_runs& from, const cell_runs& to) const {
    std::vector<double> na;
    std::vector<double> da;
    std::vector<double> nb;
    std::vector<double> db;
    for (auto& r : from.runs) {
      na.push_back(r.finalized && r.correct ? 1 : 0);
      da.push_back(r.finalized ? 1 : 0);
    }
    for (auto& r : to.runs) {
      nb.push_back(r.finalized && r.correct ? 1 : 0);
      db.push_back(r.finalized ? 1 : 0);
    }
    return paired_ratio_difference(na, da, nb, db,
                                   rng::derive(opts_.seed, {0xb007}));
  }

  /// A directional claim measured between two cells of one sweep.
  static condition_outcome directional(const std::string& condition,
                                       const cell_runs& from,
                                       const cell_runs& to, metric m,
                                       direction d, const std::string& what) {
    condition_outcome out;
    out.condition = condition;
    auto e = paired(from, to, m);
    auto delta = delta_of(m, from);
    out.v = classify(e, d, delta);
    out.effects.emplace_back(what, e);
    out.note = note_for(out.v, e, d, delta, metric_name(m));
    return out;
  }

  static std::string note_for(verdict v, const effect& e, direction d,
                              double delta, const std::string& name) {
    auto s = static_cast<double>(static_cast<int>(d));
    auto lo = s > 0 ? e.lo : -e.hi;
    auto hi = s > 0 ? e.hi : -e.lo;
    switch (v) {
      case verdict::holds:
        return "";
      case verdict::does_not_hold:
        if (hi < 0)
          return "the effect goes the other way";
        if (lo > 0)
          return "real but negligible: less than " + format_num(delta, 3) + " "
                 + name;
        return "no effect of " + format_num(delta, 3) + " " + name
               + " or more in the claimed direction";
      case verdict::inconclusive:
        return "the interval is too wide to tell; run more replicates";
      case verdict::not_testable:
        return "cannot be measured here";
      default:
        return "";
    }
  }

  claim_outcome finish(claim_outcome c) {
    std::vector<verdict> vs;
    for (auto& x : c.conditions)
      vs.push_back(x.v);
    c.v = combine(vs);
    if (c.v == verdict::holds_only_when) {
      std::string when;
      for (auto& x : c.conditions)
        if (x.v == verdict::holds)
          when += (when.empty() ? "" : " or ") + x.condition;
      c.summary = "holds only when " + when;
    } else {
      c.summary = to_string(c.v);
      if (c.conditions.size() == 1 && !c.conditions[0].note.empty())
        c.summary += " (" + c.conditions[0].note + ")";
    }
    return c;
  }

  // -- the claims -------------------------------------------------------------

  struct condition_def {
    std::string name;
    double beta_1;
  };

  std::vector<condition_def> round_conditions(const std::string& policy) {
    if (policy == "metastable" || policy == "hanzo")
      return {{"beta_1 = 0.5 (default: early stop)", 0.5},
              {"beta_1 = 1.01 (early stop off)", 1.01}};
    return {{"default parameters", params{}.beta_1}};
  }

  error claims_rounds(const std::string& policy) {
    std::vector<std::string> vals{"1", "2", "3", "4", "5"};
    claim_outcome refine{"rounds.refinement",
                         "more rounds -> more refinement",
                         "rounds executed, rounds 1 -> 5",
                         policy,
                         {},
                         {},
                         {}};
    claim_outcome better{"rounds.better",
                         "more rounds -> better consensus",
                         "accuracy, rounds 1 -> 5",
                         policy,
                         {},
                         {},
                         {}};
    claim_outcome slower{"rounds.slower",
                         "more rounds -> slower",
                         "simulated latency (s), rounds 1 -> 5",
                         policy,
                         {},
                         {},
                         {}};
    claim_outcome start3{"rounds.start3",
                         "start with 3 rounds",
                         "accuracy: rounds 3 -> 5 (gain) and 1 -> 3 (loss "
                         "when starting lower)",
                         policy,
                         {},
                         {},
                         {}};
    bool first = true;
    for (auto& cond : round_conditions(policy)) {
      auto s = base(policy);
      s.ps.beta_1 = cond.beta_1;
      auto r = sweep(s, "rounds", vals, seeds_,
                     advice_sweep{"rounds", policy, cond.name, "", {}});
      if (!r)
        return std::move(r.error());
      auto& c1 = *r->find("1");
      auto& c3 = *r->find("3");
      auto& c5 = *r->find("5");
      refine.conditions.push_back(directional(cond.name, c1, c5, metric::rounds,
                                              direction::up,
                                              "rounds executed, 1 -> 5"));
      better.conditions.push_back(directional(cond.name, c1, c5,
                                              metric::accuracy, direction::up,
                                              "accuracy, 1 -> 5"));
      slower.conditions.push_back(directional(cond.name, c1, c5,
                                              metric::latency, direction::up,
                                              "latency (s), 1 -> 5"));
      start3.conditions.push_back(start_with_3(cond.name, c1, c3, c5));
      if (first)
        defaults_[policy] = c3;
      first = false;
      keep(*r);
    }
    report_.claims.push_back(finish(std::move(refine)));
    report_.claims.push_back(finish(std::move(better)));
    report_.claims.push_back(finish(std::move(slower)));
    report_.claims.push_back(finish(std::move(start3)));
    return {};
  }

  static condition_outcome
  start_with_3(const std::string& condition, const cell_runs& c1,
               const cell_runs& c3, const cell_runs& c5) {
    condition_outcome out;
    out.condition = condition;
    auto gain = paired(c3, c5, metric::accuracy);
    auto loss = paired(c1, c3, metric::accuracy);
    out.effects.emplace_back("accuracy, 3 -> 5 (what more rounds add)", gain);
    out.effects.emplace_back("accuracy, 1 -> 3 (what starting at 3 adds)",
                             loss);
    auto cost = paired(c1, c3, metric::calls);
    out.effects.emplace_back("calls, 1 -> 3 (what starting at 3 costs)", cost);
    constexpr double delta = 0.02;
    if (!gain.valid || !loss.valid) {
      out.v = verdict::not_testable;
      out.note = "cannot be measured here";
    } else if (gain.hi < delta && loss.lo > 0) {
      out.v = verdict::holds;
      out.note = "rounds beyond 3 add less than " + format_num(delta, 2)
                 + " accuracy, and fewer rounds lose accuracy";
    } else if (gain.lo > 0) {
      out.v = verdict::does_not_hold;
      out.note = "more than 3 rounds still add accuracy";
    } else if (loss.hi < delta) {
      out.v = verdict::does_not_hold;
      out.note = "3 rounds add less than " + format_num(delta, 2)
                 + " accuracy over 1 round";
      if (cost.valid && cost.lo > 0)
        out.note += " and cost " + format_num(cost.value, 1)
                    + " more calls per run";
    } else {
      out.v = verdict::inconclusive;
      out.note = "the intervals are too wide to tell";
    }
    return out;
  }

  std::vector<std::string> k_values() const {
    auto n = static_cast<int>(participant_ids(pop_).size());
    std::vector<int> ks{1, 2, 3, (n - 1 + 1) / 2 + 1, n - 1};
    std::vector<std::string> out;
    std::sort(ks.begin(), ks.end());
    ks.erase(std::unique(ks.begin(), ks.end()), ks.end());
    for (auto k : ks)
      if (k >= 1 && k <= n - 1)
        out.push_back(std::to_string(k));
    return out;
  }

  error claims_k(const std::string& policy) {
    claim_outcome broader{
      "k.broader", "larger k -> broader agreement", "", policy, {}, {}, {}};
    auto vals = k_values();
    if (vals.size() < 2) {
      condition_outcome c;
      c.condition = "default parameters";
      c.note = "the population is too small to vary k";
      broader.conditions.push_back(c);
      report_.claims.push_back(finish(std::move(broader)));
      return {};
    }
    broader.measure = "agreement (share of agents on the winner's answer), "
                      "k "
                      + vals.front() + " -> " + vals.back();
    auto r = sweep(base(policy), "k", vals, seeds_,
                   advice_sweep{"k", policy, "default parameters", "", {}});
    if (!r)
      return std::move(r.error());
    broader.conditions.push_back(
      directional("default parameters", *r->find(vals.front()),
                  *r->find(vals.back()), metric::agreement, direction::up,
                  "agreement, k " + vals.front() + " -> " + vals.back()));
    keep(*r);
    report_.claims.push_back(finish(std::move(broader)));
    return {};
  }

  error claims_beta_2(const std::string& policy) {
    std::vector<std::string> vals{"0.5", "0.6", "0.7", "0.8", "0.9"};
    auto r
      = sweep(base(policy), "beta_2", vals, seeds_,
              advice_sweep{"beta_2", policy, "default parameters", "", {}});
    if (!r)
      return std::move(r.error());
    auto& lo = *r->find("0.5");
    auto& hi = *r->find("0.9");
    claim_outcome fewer{"beta_2.fewer",
                        "higher beta_2 -> stricter finality: fewer "
                        "finalizations",
                        "finalize rate, beta_2 0.5 -> 0.9",
                        policy,
                        {},
                        {},
                        {}};
    fewer.conditions.push_back(directional("default parameters", lo, hi,
                                           metric::finalize, direction::down,
                                           "finalize rate, 0.5 -> 0.9"));
    claim_outcome safer{"beta_2.safer",
                        "higher beta_2 -> stricter finality: more accurate "
                        "finalizations",
                        "accuracy among finalized runs, beta_2 0.5 -> 0.9",
                        policy,
                        {},
                        {},
                        {}};
    {
      condition_outcome c;
      c.condition = "default parameters";
      auto e = safety(lo, hi);
      c.v = classify(e, direction::up, 0.02);
      c.effects.emplace_back("accuracy among finalized, 0.5 -> 0.9", e);
      if (e.valid)
        c.note = note_for(c.v, e, direction::up, 0.02, "accuracy");
      else if (lo.sum.safety().n == 0 || hi.sum.safety().n == 0)
        c.note = "no finalized run at beta_2 = "
                 + std::string{lo.sum.safety().n == 0 ? "0.5" : "0.9"};
      else
        c.note = "too few finalized runs to compare";
      safer.conditions.push_back(std::move(c));
    }
    claim_outcome faster{"beta_2.faster",
                         "lower beta_2 -> faster consensus",
                         "simulated latency (s), beta_2 0.9 -> 0.5",
                         policy,
                         {},
                         {},
                         {}};
    faster.conditions.push_back(directional("default parameters", hi, lo,
                                            metric::latency, direction::down,
                                            "latency (s), 0.9 -> 0.5"));
    keep(*r);
    report_.claims.push_back(finish(std::move(fewer)));
    report_.claims.push_back(finish(std::move(safer)));
    report_.claims.push_back(finish(std::move(faster)));
    return {};
  }

  error claims_diversity(const std::string& policy) {
    auto b = base(policy);
    std::vector<std::pair<std::string, scenario>> xs{
      {"homogeneous", derive_population(b, population_kind::homogeneous)},
      {"diverse competence",
       derive_population(b, population_kind::diverse_competence)},
      {"shared errors", derive_population(b, population_kind::shared_errors)},
      {"diverse errors",
       derive_population(b, population_kind::diverse_errors)}};
    auto r
      = cells(xs, seeds_,
              advice_sweep{
                "population", policy, "default parameters", "population", {}});
    if (!r)
      return std::move(r.error());
    claim_outcome c{"diversity.better",
                    "diverse participants -> better consensus",
                    "accuracy, homogeneous -> diverse population of equal "
                    "mean accuracy",
                    policy,
                    {},
                    {},
                    {}};
    c.conditions.push_back(directional(
      "diverse competence (accuracies spread, same mean)",
      *r->find("homogeneous"), *r->find("diverse competence"), metric::accuracy,
      direction::up, "accuracy, homogeneous -> diverse"));
    auto wrong = pop_.world.labels.size() - 1;
    if (wrong >= 2) {
      c.conditions.push_back(directional(
        "diverse errors (each agent errs towards its own wrong answer)",
        *r->find("shared errors"), *r->find("diverse errors"), metric::accuracy,
        direction::up, "accuracy, shared errors -> diverse errors"));
    } else {
      condition_outcome na;
      na.condition = "diverse errors";
      na.note = "needs at least two wrong answers";
      c.conditions.push_back(std::move(na));
    }
    keep(*r);
    report_.claims.push_back(finish(std::move(c)));
    return {};
  }

  // -- baselines --------------------------------------------------------------

  error baselines_vs_vote() {
    auto n = participant_ids(pop_).size();
    auto vote0 = vote_baseline(base("vote"), 0);
    auto r0 = cells(
      {{"0", vote0}}, seeds_,
      advice_sweep{"baseline", "vote", "majority after round 0", "rounds", {}});
    if (!r0)
      return std::move(r0.error());
    auto& v0 = r0->cells[0];
    std::map<int32_t, cell_runs> budget;
    for (auto& policy : report_.policies) {
      auto i = defaults_.find(policy);
      if (i == defaults_.end())
        continue;
      auto& own = i->second;
      auto rounds = equal_call_rounds(mean_of(own, metric::calls), n);
      if (budget.count(rounds) == 0) {
        auto rb = cells(
          {{std::to_string(rounds), vote_baseline(base("vote"), rounds)}},
          seeds_,
          advice_sweep{"baseline", "vote", "equal calls", "rounds", {}});
        if (!rb)
          return std::move(rb.error());
        budget.emplace(rounds, std::move(rb->cells[0]));
      }
      auto& vb = budget.at(rounds);
      baseline_row row;
      row.policy = policy;
      row.calls = own.sum.calls();
      row.accuracy = own.sum.accuracy();
      row.vote0_calls = v0.sum.calls();
      row.vote0_accuracy = v0.sum.accuracy();
      row.vs_vote0 = paired(v0, own, metric::accuracy);
      row.budget_rounds = rounds;
      row.budget_calls = vb.sum.calls();
      row.budget_accuracy = vb.sum.accuracy();
      row.vs_budget = paired(vb, own, metric::accuracy);
      report_.baselines.push_back(std::move(row));
    }
    return {};
  }

  // -- parameter rules --------------------------------------------------------

  /// Identical, instant, reliable answers: the best case for finality.
  scenario unanimous_population() const {
    auto s = pop_;
    s.sweep.clear();
    s.groups.clear();
    agent_group g;
    g.name = "agent";
    g.count = static_cast<uint32_t>(participant_ids(pop_).size());
    g.latency.type = latency_model::kind::constant;
    g.latency.a = 0;
    g.labels = {pop_.world.ground_truth};
    g.weights = {1.0};
    g.refine = behaviour::stubborn;
    g.noise = 0;
    s.groups.push_back(std::move(g));
    return s;
  }

  error rule_hanzo() {
    claim_outcome c{"rule.hanzo-bound",
                    "hanzo can finalize only when beta_2 < beta_1/2 + 1/2 "
                    "(beta_1 <= 1)",
                    "finalize rate and highest score at beta_2 = beta_1/2 + "
                    "1/2, beta_1 in {0.3, 0.5, 0.7, 0.9}, rounds 10",
                    "hanzo",
                    {},
                    {},
                    {}};
    std::vector<std::pair<std::string, scenario>> pops{
      {"identical instant answers (best case)", unanimous_population()},
      {"the population", pop_}};
    for (auto& [name, p] : pops) {
      uint64_t at_hits = 0;
      uint64_t at_n = 0;
      uint64_t below_hits = 0;
      uint64_t below_n = 0;
      double worst_gap = -1; // max over beta_1 of (highest score - bound)
      std::string worst;
      for (double b1 : {0.3, 0.5, 0.7, 0.9}) {
        auto bound = b1 / 2 + 0.5;
        char buf_at[32];
        char buf_below[32];
        std::snprintf(buf_at, sizeof(buf_at), "%.17g", bound);
        std::snprintf(buf_below, sizeof(buf_below), "%.17g", bound - 0.1);
        auto s = p;
        s.ps = params{};
        s.ps.policy = "hanzo";
        s.ps.rounds = 10;
        s.ps.beta_1 = b1;
        s.ps.timeout_ms = pop_.ps.timeout_ms;
        s.world.timeout_ms = s.ps.timeout_ms;
        auto r = sweep(s, "beta_2", {buf_below, buf_at}, rule_seeds_,
                       advice_sweep{"hanzo-bound",
                                    "hanzo",
                                    name + ", beta_1 = " + format_num(b1, 1),
                                    "",
                                    {}});
        if (!r)
          return std::move(r.error());
        auto& below = r->cells[0];
        auto& at = r->cells[1];
        at_hits += at.sum.finalize_rate().hits;
        at_n += at.runs.size();
        below_hits += below.sum.finalize_rate().hits;
        below_n += below.runs.size();
        double top = 0;
        for (auto* cell : {&below, &at})
          for (auto& x : cell->runs)
            top = std::max(top, x.score);
        if (top - bound > worst_gap) {
          worst_gap = top - bound;
          worst = "highest score " + format_num(top, 4) + " at beta_1 = "
                  + format_num(b1, 1) + " (bound " + format_num(bound, 2) + ")";
        }
        keep(*r);
      }
      condition_outcome o;
      o.condition = name;
      auto at_rate = wilson(at_hits, at_n);
      effect e;
      e.valid = at_n > 0;
      e.value = at_rate.value;
      e.lo = at_rate.lo;
      e.hi = at_rate.hi;
      e.n = at_n;
      e.method = "Wilson";
      o.effects.emplace_back("finalize rate at beta_2 = bound", e);
      auto below_rate = wilson(below_hits, below_n);
      effect eb;
      eb.valid = below_n > 0;
      eb.value = below_rate.value;
      eb.lo = below_rate.lo;
      eb.hi = below_rate.hi;
      eb.n = below_n;
      eb.method = "Wilson";
      o.effects.emplace_back("finalize rate at beta_2 = bound - 0.1", eb);
      o.v = at_hits == 0 && worst_gap < 0 ? verdict::holds
                                          : verdict::does_not_hold;
      o.note = std::to_string(at_hits) + " of " + std::to_string(at_n)
               + " runs finalized at the bound; " + worst;
      c.conditions.push_back(std::move(o));
    }
    report_.claims.push_back(finish(std::move(c)));
    return {};
  }

  scenario snowball_population(uint32_t failing) const {
    auto s = pop_;
    s.sweep.clear();
    s.groups.clear();
    auto n = static_cast<uint32_t>(participant_ids(pop_).size());
    agent_group live;
    live.name = "live";
    live.count = n - failing;
    live.latency.type = latency_model::kind::constant;
    live.latency.a = 100;
    live.labels = {pop_.world.ground_truth};
    live.weights = {1.0};
    live.refine = behaviour::stubborn;
    s.groups.push_back(live);
    if (failing > 0) {
      auto dead = live;
      dead.name = "failing";
      dead.count = failing;
      dead.fail = 1.0;
      s.groups.push_back(dead);
    }
    s.ps = params{};
    s.ps.policy = "snowball";
    s.ps.rounds = 20;
    s.ps.beta = 3;
    s.ps.alpha_preference = 1;
    s.ps.timeout_ms = pop_.ps.timeout_ms;
    s.world.timeout_ms = s.ps.timeout_ms;
    return s;
  }

  error rule_snowball() {
    auto n = static_cast<int>(participant_ids(pop_).size());
    claim_outcome c{"rule.snowball-liveness",
                    "snowball: no participant can decide when "
                    "alpha_confidence > k - f (f = failing agents)",
                    "share of runs in which every live agent decided (20 "
                    "rounds, beta 3), per k, f and alpha_confidence",
                    "snowball",
                    {},
                    {},
                    {}};
    struct cond {
      std::string name;
      int k;
    };
    std::vector<cond> conds{
      {"k = n - 1 = " + std::to_string(n - 1) + " (every peer polled)", n - 1}};
    if (n - 1 > 3)
      conds.push_back(
        {"k = 3 of " + std::to_string(n - 1) + " peers (random polls)", 3});
    for (auto& cd : conds) {
      uint64_t dead_hits = 0;
      uint64_t dead_n = 0;
      uint64_t live_hits = 0;
      uint64_t live_n = 0;
      bool live_ok = true;
      int max_f = std::min(3, n - 2);
      for (int f = 0; f <= max_f; ++f) {
        std::vector<std::string> alphas;
        for (int a = std::max(1, cd.k - 3); a <= cd.k; ++a)
          alphas.push_back(std::to_string(a));
        auto s = snowball_population(static_cast<uint32_t>(f));
        s.ps.k = cd.k;
        auto r = sweep(s, "alpha_confidence", alphas, rule_seeds_,
                       advice_sweep{"snowball-liveness",
                                    "snowball",
                                    cd.name + ", f = " + std::to_string(f),
                                    "",
                                    {}});
        if (!r)
          return std::move(r.error());
        for (auto& cell : r->cells) {
          auto a = std::stoi(cell.value);
          uint64_t decided = 0;
          for (auto& x : cell.runs)
            if (x.all_decided)
              ++decided;
          if (a > cd.k - f) {
            dead_hits += decided;
            dead_n += cell.runs.size();
          } else {
            live_hits += decided;
            live_n += cell.runs.size();
            if (!(wilson(decided, cell.runs.size()).lo > 0.5))
              live_ok = false;
          }
        }
        keep(*r);
      }
      condition_outcome o;
      o.condition = cd.name;
      auto to_effect = [](uint64_t hits, uint64_t total) {
        auto w = wilson(hits, total);
        effect e;
        e.valid = total > 0;
        e.value = w.value;
        e.lo = w.lo;
        e.hi = w.hi;
        e.n = total;
        e.method = "Wilson";
        return e;
      };
      o.effects.emplace_back("decided share where alpha > k - f",
                             to_effect(dead_hits, dead_n));
      o.effects.emplace_back("decided share where alpha <= k - f",
                             to_effect(live_hits, live_n));
      if (dead_hits == 0 && live_ok) {
        o.v = verdict::holds;
        o.note = "no run decided where alpha > k - f; runs decided where "
                 "alpha <= k - f";
      } else {
        o.v = verdict::does_not_hold;
        o.note = dead_hits > 0
                   ? std::to_string(dead_hits) + " of " + std::to_string(dead_n)
                       + " runs decided although alpha > k - f (polls that "
                         "miss the failing agents still succeed)"
                   : "some cells with alpha <= k - f did not decide";
      }
      c.conditions.push_back(std::move(o));
    }
    report_.claims.push_back(finish(std::move(c)));
    return {};
  }

  const scenario& pop_;
  advice_options opts_;
  std::vector<uint64_t> seeds_;
  std::vector<uint64_t> rule_seeds_;
  std::map<std::string, cell_runs> defaults_;
  advice_report report_;
  uint64_t runs_ = 0;
  uint64_t planned_ = 0;

public:
  uint64_t plan() const {
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

  void set_planned(uint64_t x) {
    planned_ = x;
  }
};

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

} // namespace

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
  auto n = participant_ids(population).size();
  if (n < min_agents || n > max_agents)
    return make_error(errc::malformed_input,
                      "advice: the population has " + std::to_string(n)
                        + " agents; it needs " + std::to_string(min_agents)
                        + " to " + std::to_string(max_agents));
  if (std::find(population.world.labels.begin(), population.world.labels.end(),
                population.world.ground_truth)
      == population.world.labels.end())
    return make_error(errc::malformed_input,
                      "advice: the population's ground truth '"
                        + population.world.ground_truth
                        + "' is not one of its labels");
  advisor a{population, opts};
  a.set_planned(a.plan());
  return a.run();
}

// -- output -------------------------------------------------------------------

namespace {

int precision_of(const std::string& what) {
  if (what.find("latency") != std::string::npos || what.rfind("calls", 0) == 0)
    return 2;
  if (what.find("rounds executed") != std::string::npos)
    return 2;
  return 3;
}

std::string upper(std::string x) {
  for (auto& c : x)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return x;
}

std::string rate_text(const rate& r) {
  if (r.n == 0)
    return "-";
  return format_num(r.value, 3) + " [" + format_num(r.lo, 2) + ", "
         + format_num(r.hi, 2) + "]";
}

std::string md_escape(const std::string& x) {
  std::string out;
  for (auto c : x) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

} // namespace

std::string advice_text(const advice_report& rep) {
  std::ostringstream os;
  os << "population " << rep.population_name << " (" << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "), " << rep.replicates
     << " runs per cell, seed " << rep.seed << "\n";
  std::string policy;
  for (auto& c : rep.claims) {
    if (c.policy != policy) {
      policy = c.policy;
      os << "\n== " << policy << " ==\n";
    }
    os << c.claim << "\n  -> " << upper(to_string(c.v));
    if (c.v == verdict::holds_only_when)
      os << ": " << c.summary.substr(std::string{"holds only when "}.size());
    os << "\n";
    for (auto& cond : c.conditions) {
      os << "     " << cond.condition << ": " << to_string(cond.v);
      if (!cond.note.empty())
        os << " (" << cond.note << ")";
      os << "\n";
      for (auto& [what, e] : cond.effects)
        os << "       " << what << ": " << effect_text(e, precision_of(what))
           << "\n";
    }
  }
  if (!rep.baselines.empty()) {
    os << "\n== baselines: vote at the same run seeds (default parameters) "
          "==\n";
    for (auto& b : rep.baselines) {
      os << b.policy << ": accuracy " << rate_text(b.accuracy) << " at "
         << format_num(b.calls.value, 1) << " calls\n"
         << "     vs vote after round 0 (" << format_num(b.vote0_calls.value, 1)
         << " calls, accuracy " << rate_text(b.vote0_accuracy)
         << "): " << effect_text(b.vs_vote0, 3) << "\n"
         << "     vs vote at equal calls (" << b.budget_rounds << " rounds, "
         << format_num(b.budget_calls.value, 1) << " calls, accuracy "
         << rate_text(b.budget_accuracy) << "): " << effect_text(b.vs_budget, 3)
         << "\n";
    }
  }
  os << "\n"
     << rep.runs << " runs in " << format_num(rep.seconds, 1) << " s.\n";
  return os.str();
}

std::string advice_markdown(const advice_report& rep,
                            const std::string& command) {
  std::ostringstream os;
  os << "Produced by:\n\n```sh\n"
     << command << "\n```\n\n"
     << "Population: `" << rep.population_name << "` (" << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "); " << rep.replicates
     << " runs per cell with shared run seeds (base seed " << rep.seed << "); "
     << rep.runs << " runs in " << format_num(rep.seconds, 1) << " s.\n\n";
  os << "| policy | claim | verdict | condition | effect [95% CI] | in this "
        "condition |\n|---|---|---|---|---|---|\n";
  for (auto& c : rep.claims) {
    bool first = true;
    for (auto& cond : c.conditions) {
      std::string effects;
      for (auto& [what, e] : cond.effects)
        effects += (effects.empty() ? "" : "<br>") + what + ": "
                   + effect_text(e, precision_of(what));
      os << "| " << (first ? c.policy : "") << " | "
         << (first ? md_escape(c.claim) : "") << " | "
         << (first ? "**" + md_escape(c.summary) + "**" : "") << " | "
         << md_escape(cond.condition) << " | " << md_escape(effects) << " | "
         << to_string(cond.v)
         << (cond.note.empty() ? "" : " (" + md_escape(cond.note) + ")")
         << " |\n";
      first = false;
    }
  }
  if (!rep.baselines.empty()) {
    os << "\nBaselines (default parameters, same run seeds): accuracy of "
          "each policy minus the accuracy of `vote`.\n\n"
          "| policy | calls | accuracy | vote after round 0 | difference | "
          "vote at equal calls | difference |\n|---|---|---|---|---|---|---|"
          "\n";
    for (auto& b : rep.baselines)
      os << "| " << b.policy << " | " << format_num(b.calls.value, 1) << " | "
         << rate_text(b.accuracy) << " | " << rate_text(b.vote0_accuracy)
         << " (" << format_num(b.vote0_calls.value, 1) << " calls) | "
         << effect_text(b.vs_vote0, 3) << " | " << rate_text(b.budget_accuracy)
         << " (" << b.budget_rounds << " rounds, "
         << format_num(b.budget_calls.value, 1) << " calls) | "
         << effect_text(b.vs_budget, 3) << " |\n";
  }
  return os.str();
}

json advice_json(const advice_report& rep, const std::string& command) {
  auto effect_json = [](const effect& e) {
    return json{{"valid", e.valid}, {"value", e.value}, {"lo", e.lo},
                {"hi", e.hi},       {"n", e.n},         {"method", e.method}};
  };
  auto rate_json = [](const rate& r) {
    return json{{"value", r.value},
                {"lo", r.lo},
                {"hi", r.hi},
                {"hits", r.hits},
                {"n", r.n}};
  };
  auto mean_json = [](const mean_ci& m) {
    return json{{"mean", m.value}, {"lo", m.lo}, {"hi", m.hi}, {"n", m.n}};
  };
  json out = json::object();
  out["program"] = program_version;
  out["command"] = command;
  out["population"] = json{{"name", rep.population_name},
                           {"file", rep.population_file},
                           {"agents", rep.agents},
                           {"mean_accuracy", rep.mean_accuracy}};
  out["replicates"] = rep.replicates;
  out["seed"] = rep.seed;
  out["policies"] = rep.policies;
  out["runs"] = rep.runs;
  json claims = json::array();
  for (auto& c : rep.claims) {
    json conds = json::array();
    for (auto& x : c.conditions) {
      json effects = json::array();
      for (auto& [what, e] : x.effects) {
        auto j = effect_json(e);
        j["what"] = what;
        effects.push_back(std::move(j));
      }
      conds.push_back(json{{"condition", x.condition},
                           {"verdict", to_string(x.v)},
                           {"note", x.note},
                           {"effects", effects}});
    }
    claims.push_back(json{{"id", c.id},
                          {"claim", c.claim},
                          {"measure", c.measure},
                          {"policy", c.policy},
                          {"verdict", to_string(c.v)},
                          {"summary", c.summary},
                          {"conditions", conds}});
  }
  out["claims"] = claims;
  json sweeps = json::array();
  for (auto& s : rep.sweeps) {
    json cells = json::array();
    for (auto& c : s.cells)
      cells.push_back(
        json{{"value", c.value},
             {"runs", c.summary.runs},
             {"finalize_rate", rate_json(c.summary.finalize_rate)},
             {"accuracy", rate_json(c.summary.accuracy)},
             {"accuracy_finalized", rate_json(c.summary.accuracy_finalized)},
             {"rounds", mean_json(c.summary.rounds)},
             {"latency_ms", mean_json(c.summary.latency_ms)},
             {"calls", mean_json(c.summary.calls)},
             {"agreement", mean_json(c.agreement)}});
    sweeps.push_back(json{{"family", s.family},
                          {"policy", s.policy},
                          {"condition", s.condition},
                          {"key", s.key},
                          {"cells", cells}});
  }
  out["sweeps"] = sweeps;
  json base = json::array();
  for (auto& b : rep.baselines)
    base.push_back(json{{"policy", b.policy},
                        {"calls", mean_json(b.calls)},
                        {"accuracy", rate_json(b.accuracy)},
                        {"vote0_calls", mean_json(b.vote0_calls)},
                        {"vote0_accuracy", rate_json(b.vote0_accuracy)},
                        {"vs_vote0", effect_json(b.vs_vote0)},
                        {"budget_rounds", b.budget_rounds},
                        {"budget_calls", mean_json(b.budget_calls)},
                        {"budget_accuracy", rate_json(b.budget_accuracy)},
                        {"vs_budget", effect_json(b.vs_budget)}});
  out["baselines"] = base;
  return out;
}

std::vector<std::pair<std::string, line_chart>>
advice_charts(const advice_report& rep) {
  std::vector<std::pair<std::string, line_chart>> out;
  struct family_def {
    const char* family;
    const char* title;
    bool categorical;
  };
  const family_def families[] = {
    {"rounds", "More rounds: refinement, consensus, latency", false},
    {"k", "Larger k: agreement", false},
    {"beta_2", "beta_2: strictness of finality", false},
    {"population", "Diverse vs homogeneous participants", true},
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (auto& fam : families) {
    std::vector<const advice_sweep*> sweeps;
    for (auto& s : rep.sweeps)
      if (s.family == fam.family)
        sweeps.push_back(&s);
    if (sweeps.empty())
      continue;
    line_chart ch;
    ch.title = fam.title;
    ch.xlabel = sweeps[0]->key;
    if (fam.categorical)
      for (auto& c : sweeps[0]->cells)
        ch.xtics.push_back(c.value);
    struct panel_def {
      const char* title;
      const char* ylabel;
      bool unit;
      int which;
    };
    const panel_def panels[] = {
      {"accuracy", "share of runs", true, 0},
      {"agreement", "share of agents on the winning answer", true, 1},
      {"finalize rate", "share of runs", true, 2},
      {"accuracy among finalized", "share of finalized runs", true, 3},
      {"mean rounds", "refinement rounds", false, 4},
      {"mean simulated latency", "seconds", false, 5},
    };
    for (auto& pd : panels) {
      plot_panel p;
      p.title = pd.title;
      p.ylabel = pd.ylabel;
      p.unit_range = pd.unit;
      for (auto* s : sweeps) {
        plot_series ser;
        ser.name = s->policy
                   + (s->condition == "default parameters"
                        ? std::string{}
                        : ", " + s->condition);
        for (size_t i = 0; i < s->cells.size(); ++i) {
          auto& c = s->cells[i];
          double x = static_cast<double>(i);
          if (!fam.categorical)
            x = std::strtod(c.value.c_str(), nullptr);
          double y = nan;
          double lo = nan;
          double hi = nan;
          auto set_rate = [&](const rate& r) {
            if (r.n > 0) {
              y = r.value;
              lo = r.lo;
              hi = r.hi;
            }
          };
          auto set_mean = [&](const mean_ci& m, double scale) {
            if (m.n > 0) {
              y = m.value * scale;
              lo = m.lo * scale;
              hi = m.hi * scale;
            }
          };
          switch (pd.which) {
            case 0:
              set_rate(c.summary.accuracy);
              break;
            case 1:
              set_mean(c.agreement, 1);
              break;
            case 2:
              set_rate(c.summary.finalize_rate);
              break;
            case 3:
              set_rate(c.summary.accuracy_finalized);
              break;
            case 4:
              set_mean(c.summary.rounds, 1);
              break;
            default:
              set_mean(c.summary.latency_ms, 0.001);
              break;
          }
          ser.x.push_back(x);
          ser.y.push_back(y);
          ser.lo.push_back(lo);
          ser.hi.push_back(hi);
        }
        p.series.push_back(std::move(ser));
      }
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back(std::string{"advice-"} + fam.family, std::move(ch));
  }
  return out;
}

error write_advice(const advice_report& rep, const std::string& dir,
                   const std::string& command, bool png,
                   const gnuplot_options& gnuplot) {
  std::error_code ec;
  fs::create_directories(fs::path{dir} / "charts", ec);
  if (ec)
    return make_error(errc::malformed_input,
                      "cannot create '" + dir + "/charts': " + ec.message());
  auto write = [&](const fs::path& p, const std::string& bytes) -> error {
    std::ofstream f{p, std::ios::binary | std::ios::trunc};
    f << bytes;
    f.close();
    if (!f)
      return make_error(errc::malformed_input,
                        "cannot write '" + p.string() + "'");
    return {};
  };
  if (auto err = write(fs::path{dir} / "advice.md",
                       advice_markdown(rep, command)))
    return err;
  if (auto err = write(fs::path{dir} / "advice.json",
                       advice_json(rep, command).dump(2) + "\n"))
    return err;
  std::vector<chart_file> charts;
  for (auto& [name, chart] : advice_charts(rep)) {
    auto svg = draw(chart, plot_format::svg, gnuplot);
    if (!svg)
      return make_error(errc::execute_failed,
                        "chart '" + name + "': " + render(svg.error()));
    if (auto err = write(fs::path{dir} / "charts" / (name + ".svg"), *svg))
      return err;
    if (png) {
      auto img = draw(chart, plot_format::png, gnuplot);
      if (!img)
        return make_error(errc::execute_failed,
                          "chart '" + name + "' (PNG): " + render(img.error()));
      if (auto err = write(fs::path{dir} / "charts" / (name + ".png"), *img))
        return err;
    }
    charts.push_back(chart_file{name, chart.title, "", std::move(*svg)});
  }
  // The page: verdicts, baselines, charts.
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>consensus-sim advice</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px;"
        " color: #222; padding: 0 1em; }\n"
        "table { border-collapse: collapse; font-size: 0.88em; }\n"
        "th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; "
        "vertical-align: top; text-align: left; }\n"
        "th { background: #f3f3f3; }\n"
        ".holds { color: #1a7f37; font-weight: bold; }\n"
        ".only { color: #9a6700; font-weight: bold; }\n"
        ".not { color: #cf222e; font-weight: bold; }\n"
        ".unknown { color: #57606a; font-weight: bold; }\n"
        "figure.chart { margin: 1.5em 0; border: 1px solid #ddd; padding: "
        "0.5em; }\nfigure.chart svg { width: 100%; height: auto; display: "
        "block; }\n"
        "</style>\n</head>\n<body>\n<h1>Tuning advice: verdicts</h1>\n"
     << "<p>Produced by <code>" << html_escape(command) << "</code> ("
     << html_escape(program_version) << "). Population <b>"
     << html_escape(rep.population_name) << "</b>: " << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "; " << rep.replicates
     << " runs per cell, shared run seeds (base " << rep.seed << "); "
     << rep.runs << " runs.</p>\n"
     << "<p>A claim <b>holds</b> when the 95% interval of its effect lies on "
        "the claimed side of 0, <b>does not hold</b> when the interval rules "
        "out any relevant effect in the claimed direction, and is "
        "<b>inconclusive</b> otherwise; <b>holds only when</b> names the "
        "conditions in which it holds.</p>\n"
     << "<table>\n<tr><th>policy</th><th>claim</th><th>verdict</th>"
        "<th>condition</th><th>effect [95% CI]</th><th>in this condition"
        "</th></tr>\n";
  auto css_class = [](verdict v) {
    switch (v) {
      case verdict::holds:
        return "holds";
      case verdict::holds_only_when:
        return "only";
      case verdict::does_not_hold:
        return "not";
      default:
        return "unknown";
    }
  };
  for (auto& c : rep.claims) {
    auto rows = std::max<size_t>(1, c.conditions.size());
    for (size_t i = 0; i < rows; ++i) {
      os << "<tr>";
      if (i == 0)
        os << "<td rowspan=\"" << rows << "\">" << html_escape(c.policy)
           << "</td><td rowspan=\"" << rows << "\">" << html_escape(c.claim)
           << "<br><small>" << html_escape(c.measure)
           << "</small></td><td rowspan=\"" << rows << "\" class=\""
           << css_class(c.v) << "\">" << html_escape(c.summary) << "</td>";
      if (i < c.conditions.size()) {
        auto& cond = c.conditions[i];
        os << "<td>" << html_escape(cond.condition) << "</td><td>";
        for (auto& [what, e] : cond.effects)
          os << html_escape(what) << ": "
             << html_escape(effect_text(e, precision_of(what))) << "<br>";
        os << "</td><td class=\"" << css_class(cond.v) << "\">"
           << html_escape(to_string(cond.v)) << "<br><small>"
           << html_escape(cond.note) << "</small></td>";
      } else {
        os << "<td></td><td></td><td></td>";
      }
      os << "</tr>\n";
    }
  }
  os << "</table>\n";
  if (!rep.baselines.empty()) {
    os << "<h2>Baselines</h2>\n<p>Default parameters, same run seeds: "
          "accuracy of each policy minus that of <code>vote</code>.</p>\n"
          "<table><tr><th>policy</th><th>calls</th><th>accuracy</th><th>vote "
          "after round 0</th><th>difference</th><th>vote at equal calls</th>"
          "<th>difference</th></tr>\n";
    for (auto& b : rep.baselines)
      os << "<tr><td>" << html_escape(b.policy) << "</td><td>"
         << format_num(b.calls.value, 1) << "</td><td>" << rate_text(b.accuracy)
         << "</td><td>" << rate_text(b.vote0_accuracy) << " ("
         << format_num(b.vote0_calls.value, 1) << " calls)</td><td>"
         << effect_text(b.vs_vote0, 3) << "</td><td>"
         << rate_text(b.budget_accuracy) << " (" << b.budget_rounds
         << " rounds, " << format_num(b.budget_calls.value, 1)
         << " calls)</td><td>" << effect_text(b.vs_budget, 3) << "</td></tr>\n";
    os << "</table>\n";
  }
  os << "<h2>Charts</h2>\n";
  for (size_t i = 0; i < charts.size(); ++i)
    os << "<figure class=\"chart\" id=\"chart-" << html_escape(charts[i].name)
       << "\">\n"
       << inline_svg(charts[i].svg, "a" + std::to_string(i) + "-")
       << "\n<figcaption>" << html_escape(charts[i].title)
       << " (95% bands).</figcaption>\n</figure>\n";
  os << "</body>\n</html>\n";
  return write(fs::path{dir} / "index.html", os.str());
}

} // namespace caf::consensus::sim

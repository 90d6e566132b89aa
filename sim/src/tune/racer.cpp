// caf-consensus sim: the race of `tune`: stages on common seeds and the
// decisions between them.

#include "caf/consensus/sim/tune/internal/racer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"

namespace caf::consensus::sim::tune_internal {

namespace {

std::string race_num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", x);
  return buf;
}

std::string race_interval(const tune_interval& i) {
  return "[" + race_num(i.lo) + ", " + race_num(i.hi) + "]";
}

/// The three metrics of the Pareto front and whether more is better.
constexpr std::pair<tune_metric, bool> front_metrics[] = {
  {tune_metric::accuracy, true},
  {tune_metric::calls, false},
  {tune_metric::latency, false},
};

} // namespace

fit judge(const tune_constraint& c, const tune_interval& i) {
  if (c.at_least) {
    if (i.lo >= c.bound)
      return fit::met;
    if (i.hi < c.bound)
      return fit::missed;
  } else {
    if (i.hi <= c.bound)
      return fit::met;
    if (i.lo > c.bound)
      return fit::missed;
  }
  return fit::unsure;
}

tune_interval oriented(tune_interval i, bool maximize) {
  if (maximize)
    return i;
  auto lo = -i.hi;
  auto hi = -i.lo;
  i.value = -i.value;
  i.lo = lo;
  i.hi = hi;
  return i;
}

racer::racer(const scenario& s, const tune_objective& obj,
             const tune_options& opts, tune_result& out)
  : s_(s), obj_(obj), opts_(opts), out_(out) {
  auto cells = cell_count(s);
  xs_.resize(cells);
  stored_.resize(cells);
  alive_.assign(cells, 1);
  out_.cells.resize(cells);
}

std::vector<size_t> racer::alive_cells() const {
  std::vector<size_t> out;
  for (size_t c = 0; c < alive_.size(); ++c)
    if (alive_[c])
      out.push_back(c);
  return out;
}

double racer::goal_mean(size_t c) const {
  auto m = metric_mean(xs_[c], obj_.goal.metric, n_);
  return obj_.goal.maximize ? m : -m;
}

int racer::feasibility(size_t c) const {
  if (certainly_feasible(c))
    return 2;
  for (auto& k : obj_.constraints) {
    auto v = metric_interval(xs_[c], k.metric, n_, a_).value;
    if (k.at_least ? v < k.bound : v > k.bound)
      return 0;
  }
  return 1;
}

size_t racer::leader() const {
  // Among the cells left of the best feasibility class (meets every
  // constraint with confidence, by its estimates, neither): the best goal
  // estimate, then the fewest calls.
  auto cs = alive_cells();
  auto top = 0;
  for (auto c : cs)
    top = std::max(top, feasibility(c));
  cs.erase(std::remove_if(cs.begin(), cs.end(),
                          [&](size_t c) { return feasibility(c) < top; }),
           cs.end());
  if (obj_.pareto) {
    // The front member with the highest accuracy, then fewest calls.
    auto front = pareto_front(xs_, cs);
    cs = front.empty() ? cs : front;
  }
  auto metric = obj_.pareto ? tune_metric::accuracy : obj_.goal.metric;
  auto up = obj_.pareto || obj_.goal.maximize;
  size_t best = cs.empty() ? 0 : cs.front();
  auto key = [&](size_t c) {
    auto g = metric_mean(xs_[c], metric, n_);
    return std::make_pair(up ? g : -g,
                          -metric_mean(xs_[c], tune_metric::calls, n_));
  };
  for (auto c : cs)
    if (key(c) > key(best))
      best = c;
  return best;
}

double racer::delta_for(tune_metric metric, size_t better) const {
  if (is_rate(metric))
    return opts_.delta;
  return std::max(1e-9, 0.02 * std::abs(metric_mean(xs_[better], metric, n_)));
}

bool racer::certainly_feasible(size_t c) const {
  for (auto& k : obj_.constraints)
    if (judge(k, metric_interval(xs_[c], k.metric, n_, a_)) != fit::met)
      return false;
  return true;
}

void racer::preload(uint64_t cell, uint64_t replicate, const run_point& p) {
  if (cell < stored_.size())
    stored_[cell].emplace(replicate, p);
}

error racer::run_replicates(uint64_t from, uint64_t to, uint64_t spent,
                            size_t stage) {
  // Replicates [from, to) of every cell (run seed of replicate i:
  // derive(seed, {i})), of which only the cells left that are not stored
  // yet run. Runs leave the sweep numbered from 0: `from + replicate` is
  // their replicate in the race and the store.
  auto x = s_;
  x.seeds.clear();
  for (auto i = from; i < to; ++i)
    x.seeds.emplace_back(rng::derive(out_.seed, {i}));
  x.replicates = to - from;
  sweep_options so;
  so.engine = opts_.engine;
  so.threads = opts_.threads;
  so.remote = opts_.remote;
  // The stages run on the same threads.
  if (runtime_ == nullptr)
    runtime_ = make_runtime_for(so.threads, so.remote);
  so.runtime = runtime_;
  so.skip = [this, from](uint64_t cell, uint64_t rep) {
    return alive_[cell] == 0 || stored_[cell].count(from + rep) > 0;
  };
  std::vector<std::unordered_map<uint64_t, run_point>> fresh(xs_.size());
  so.on_run = [&fresh, from](const run_metrics& m) {
    fresh[m.cell].emplace(from + m.replicate, point_of(m));
  };
  if (on_batch_)
    so.on_batch = [this, from](const std::vector<run_metrics>& batch) {
      auto shifted = batch;
      for (auto& m : shifted)
        m.replicate += from;
      return on_batch_(shifted);
    };
  if (opts_.on_progress) {
    // The sweep counts skipped runs as done: scale its share to the runs of
    // the cells left.
    auto runs = static_cast<double>(alive_cells().size() * (to - from));
    auto what = "stage " + std::to_string(stage + 1) + ": "
                + std::to_string(alive_cells().size()) + " cells to "
                + std::to_string(to) + " replicates";
    so.on_progress = [this, spent, runs, what](uint64_t done, uint64_t total) {
      auto share = total == 0
                     ? 0.0
                     : static_cast<double>(done) / static_cast<double>(total);
      opts_.on_progress(what, spent + static_cast<uint64_t>(share * runs),
                        out_.budget);
    };
  }
  if (auto err = run_sweep(x, so))
    return err;
  for (auto c : alive_cells()) {
    for (auto rep = from; rep < to; ++rep) {
      if (auto i = stored_[c].find(rep); i != stored_[c].end()) {
        xs_[c].add(i->second);
        stored_[c].erase(i);
        ++out_.runs_reused;
      } else {
        xs_[c].add(fresh[c].at(rep));
      }
    }
  }
  return error{};
}

void racer::drop_infeasible(size_t stage) {
  for (auto c : alive_cells()) {
    for (auto& k : obj_.constraints) {
      auto i = metric_interval(xs_[c], k.metric, n_, a_);
      if (judge(k, i) == fit::missed) {
        alive_[c] = 0;
        out_.cells[c].status = tune_status::infeasible;
        out_.cells[c].dropped_at = stage;
        out_.cells[c].why = "misses " + k.text + ": " + to_string(k.metric)
                            + " in " + race_interval(i)
                            + " at the decision level";
        break;
      }
    }
  }
}

void racer::drop_worse(size_t stage, const std::vector<size_t>& feasible) {
  // Compare against the best few feasible cells (by estimate).
  auto top = feasible;
  std::sort(top.begin(), top.end(), [&](size_t a, size_t b) {
    auto ga = goal_mean(a);
    auto gb = goal_mean(b);
    return ga != gb ? ga > gb : a < b;
  });
  if (top.size() > 3)
    top.resize(3);
  auto m = obj_.goal.metric;
  for (auto c : alive_cells()) {
    for (auto b : top) {
      if (b == c || !alive_[b])
        continue;
      auto d = oriented(paired_interval(xs_[b], xs_[c], m, n_, a_),
                        obj_.goal.maximize);
      if (d.lo > 0) {
        alive_[c] = 0;
        out_.cells[c].status = tune_status::worse;
        out_.cells[c].dropped_at = stage;
        out_.cells[c].why = "worse than cell " + std::to_string(b) + " ("
                            + out_.cells[b].label + "): " + to_string(m)
                            + " difference " + race_interval(d)
                            + " at the decision level";
        break;
      }
    }
  }
}

void racer::drop_dominated(size_t stage, const std::vector<size_t>& feasible) {
  auto front = pareto_front(xs_, feasible);
  for (auto c : alive_cells()) {
    for (auto b : front) {
      if (b == c || !alive_[b])
        continue;
      auto all = true;
      auto some = false;
      std::string diffs;
      for (auto [m, up] : front_metrics) {
        auto d = oriented(paired_interval(xs_[b], xs_[c], m, n_, a_), up);
        all = all && d.lo > -delta_for(m, b);
        some = some || d.lo > 0;
        diffs += (diffs.empty() ? "" : ", ") + to_string(m) + " "
                 + race_interval(d);
      }
      if (all && some) {
        alive_[c] = 0;
        out_.cells[c].status = tune_status::worse;
        out_.cells[c].dropped_at = stage;
        out_.cells[c].why = "dominated by cell " + std::to_string(b) + " ("
                            + out_.cells[b].label + "): " + diffs
                            + " at the decision level";
        break;
      }
    }
  }
}

bool racer::evaluate(size_t stage) {
  for (auto& c : out_.cells)
    c.tied = false;
  drop_infeasible(stage);
  std::vector<size_t> feasible;
  for (auto c : alive_cells())
    if (certainly_feasible(c))
      feasible.push_back(c);
  if (obj_.pareto) {
    drop_dominated(stage, feasible);
    return alive_cells().size() <= 1;
  }
  drop_worse(stage, feasible);
  auto cs = alive_cells();
  if (cs.empty())
    return true;
  auto lead = leader();
  if (!certainly_feasible(lead))
    return false;
  auto m = obj_.goal.metric;
  auto decided = true;
  for (auto c : cs) {
    if (c == lead)
      continue;
    auto d = oriented(paired_interval(xs_[lead], xs_[c], m, n_, a_),
                      obj_.goal.maximize);
    auto delta = delta_for(m, lead);
    out_.cells[c].tied = d.lo >= -delta && d.hi <= delta;
    decided = decided && out_.cells[c].tied;
  }
  return decided;
}

error racer::run(uint64_t search_budget) {
  auto cells = static_cast<uint64_t>(xs_.size());
  auto cap = out_.max_replicates;
  std::vector<uint64_t> plan;
  for (auto r = std::min(out_.first_replicates, cap);;
       r = std::min(2 * r, cap)) {
    plan.push_back(r);
    if (r == cap)
      break;
  }
  auto looks = static_cast<double>(plan.size());
  auto tests = obj_.pareto ? 3.0 : 1.0;
  auto comparisons = static_cast<double>(std::max<uint64_t>(1, cells - 1));
  // Every decision is one-sided (drop when the interval's lower side is
  // above 0; a bound missed or met on one side; a tie is two one-sided
  // tests) at level decision_alpha: a two-sided interval at 1 - 2 a.
  out_.decision_alpha
    = (1 - opts_.confidence)
      / (comparisons * looks
         * (tests + static_cast<double>(obj_.constraints.size())));
  a_ = 2 * out_.decision_alpha;
  uint64_t spent = 0;
  for (size_t j = 0; j < plan.size(); ++j) {
    auto alive = static_cast<uint64_t>(alive_cells().size());
    auto target = plan[j];
    auto partial = false;
    if (alive * (target - n_) > search_budget - spent) {
      target = n_ + (search_budget - spent) / alive;
      partial = true;
      if (target <= n_) {
        out_.verdict = tune_verdict::budget;
        break;
      }
    }
    if (auto err = run_replicates(n_, target, spent, j))
      return err;
    spent += alive * (target - n_);
    n_ = target;
    auto decided = evaluate(j);
    tune_stage st;
    st.replicates = n_;
    st.alive_before = alive;
    st.alive_after = alive_cells().size();
    st.runs
      = alive
        * (n_ - (out_.stages.empty() ? 0 : out_.stages.back().replicates));
    out_.stages.push_back(st);
    out_.runs_search = spent;
    if (opts_.on_progress)
      opts_.on_progress("stage " + std::to_string(j + 1) + ": "
                          + std::to_string(st.alive_after) + " of "
                          + std::to_string(cells) + " cells left at "
                          + std::to_string(n_) + " replicates",
                        spent, out_.budget);
    if (alive_cells().empty()) {
      out_.verdict = tune_verdict::infeasible;
      break;
    }
    if (decided) {
      out_.verdict = alive_cells().size() == 1 ? tune_verdict::separated
                                               : tune_verdict::tied;
      break;
    }
    if (partial) {
      out_.verdict = tune_verdict::budget;
      break;
    }
    if (n_ == cap) {
      out_.verdict = tune_verdict::cap;
      break;
    }
  }
  return error{};
}

std::vector<size_t> pareto_front(const std::vector<samples>& xs,
                                 const std::vector<size_t>& cs) {
  struct point {
    size_t cell;
    double v[3];
  };
  std::vector<point> ps;
  for (auto c : cs) {
    point p{c, {}};
    for (size_t i = 0; i < 3; ++i) {
      auto m = metric_mean(xs[c], front_metrics[i].first, xs[c].size());
      p.v[i] = front_metrics[i].second ? m : -m;
    }
    ps.push_back(p);
  }
  std::vector<size_t> out;
  for (auto& p : ps) {
    auto dominated = std::any_of(ps.begin(), ps.end(), [&](const point& q) {
      auto ge = true;
      auto gt = false;
      for (size_t i = 0; i < 3; ++i) {
        ge = ge && q.v[i] >= p.v[i];
        gt = gt || q.v[i] > p.v[i];
      }
      return ge && gt;
    });
    if (!dominated)
      out.push_back(p.cell);
  }
  return out;
}

} // namespace caf::consensus::sim::tune_internal

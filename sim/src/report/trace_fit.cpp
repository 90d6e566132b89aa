// caf-consensus sim: estimating a synthetic scenario from traces (answer
// clusters, accuracy, correlation, refinement, latency, failures).

#include "caf/consensus/sim/report/trace_fit.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "caf/consensus/choice.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/internal/trace_runs.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/text/similarity.hpp"
#include "caf/consensus/text/tokenizer.hpp"

namespace caf::consensus::sim {

namespace {

using connectors::trace_call;

/// Clusters the unlabelled answers of one run as the policy compares them:
/// choice-based policies (`snowball`, `vote`, `sequential`) by the choice
/// key of their extractor, the others by Jaccard >= alpha with the first
/// text of a cluster.
class run_clusters {
public:
  explicit run_clusters(const params& ps) : ps_(ps) {
    choices_ = ps.policy == "snowball" || ps.policy == "vote"
               || ps.policy == "sequential";
  }

  /// Returns the cluster of `text`, adding one if none matches (`add`).
  int of(const std::string& text, bool add = true) {
    if (choices_) {
      auto key = extract_choice(text, ps_.extractor, ps_.extractor_pattern);
      auto i = std::find(keys_.begin(), keys_.end(), key);
      if (i != keys_.end())
        return static_cast<int>(i - keys_.begin());
      if (!add)
        return -1;
      keys_.push_back(std::move(key));
      return static_cast<int>(keys_.size() - 1);
    }
    auto toks = text::tokenize(text);
    for (size_t i = 0; i < firsts_.size(); ++i)
      if (jaccard_.on_tokens(toks, firsts_[i]) >= ps_.alpha
          || (toks.empty() && firsts_[i].empty()))
        return static_cast<int>(i);
    if (!add)
      return -1;
    firsts_.push_back(std::move(toks));
    return static_cast<int>(firsts_.size() - 1);
  }

  size_t size() const {
    return choices_ ? keys_.size() : firsts_.size();
  }

private:
  const params& ps_;
  bool choices_ = false;
  text::jaccard_similarity jaccard_;
  std::vector<text::token_set> firsts_;
  std::vector<std::string> keys_;
};

double quantile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto pos = p * static_cast<double>(xs.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  auto hi = std::min(lo + 1, xs.size() - 1);
  return xs[lo] + (pos - static_cast<double>(lo)) * (xs[hi] - xs[lo]);
}

latency_fit fit_latency(const std::vector<double>& ms) {
  latency_fit f;
  f.n = ms.size();
  if (ms.empty())
    return f;
  std::vector<double> logs;
  for (auto x : ms)
    logs.push_back(std::log(std::max(x, 0.5)));
  double mu = 0;
  for (auto x : logs)
    mu += x;
  mu /= static_cast<double>(logs.size());
  double ss = 0;
  for (auto x : logs)
    ss += (x - mu) * (x - mu);
  auto n = static_cast<double>(logs.size());
  f.median = std::exp(mu);
  f.median_lo = f.median_hi = f.median;
  if (logs.size() >= 2) {
    auto sd = std::sqrt(ss / (n - 1));
    f.sigma = sd;
    boost::math::students_t t{n - 1};
    auto half = boost::math::quantile(t, 0.975) * sd / std::sqrt(n);
    f.median_lo = std::exp(mu - half);
    f.median_hi = std::exp(mu + half);
    boost::math::chi_squared chi{n - 1};
    f.sigma_lo = sd * std::sqrt((n - 1) / boost::math::quantile(chi, 0.975));
    f.sigma_hi = sd * std::sqrt((n - 1) / boost::math::quantile(chi, 0.025));
  }
  const double ps[3] = {0.5, 0.9, 0.99};
  boost::math::normal z;
  for (int i = 0; i < 3; ++i) {
    f.q[i] = quantile(ms, ps[i]);
    f.fitted_q[i] = std::exp(mu + f.sigma * boost::math::quantile(z, ps[i]));
  }
  // Kolmogorov-Smirnov distance.
  auto sorted = logs;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    auto cdf = f.sigma > 0 ? boost::math::cdf(z, (sorted[i] - mu) / f.sigma)
                           : (sorted[i] >= mu ? 1.0 : 0.0);
    auto lo = static_cast<double>(i) / n;
    auto hi = static_cast<double>(i + 1) / n;
    f.ks = std::max({f.ks, std::abs(cdf - lo), std::abs(hi - cdf)});
  }
  return f;
}

pair_correlation correlate(size_t a, size_t b,
                           const std::vector<std::pair<int, int>>& xs) {
  pair_correlation c;
  c.a = a;
  c.b = b;
  c.n = xs.size();
  double n11 = 0, n10 = 0, n01 = 0, n00 = 0;
  for (auto& [x, y] : xs) {
    n11 += x && y;
    n10 += x && !y;
    n01 += !x && y;
    n00 += !x && !y;
  }
  auto den = std::sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00));
  if (den <= 0 || c.n < 4)
    return c;
  c.defined = true;
  c.r = (n11 * n00 - n10 * n01) / den;
  auto zr = std::atanh(std::clamp(c.r, -0.999999, 0.999999));
  auto half = 1.959964 / std::sqrt(static_cast<double>(c.n) - 3);
  c.lo = std::tanh(zr - half);
  c.hi = std::tanh(zr + half);
  return c;
}

} // namespace

expected<std::shared_ptr<const trace_runs>>
merge_traces(const std::vector<named_trace>& xs) {
  if (xs.empty())
    return make_error(errc::invalid_params, "no trace to fit");
  auto out = std::make_shared<trace_runs>();
  auto& h = xs.front().data.header;
  out->ps = h.ps;
  out->participants = h.participants;
  for (auto& x : xs) {
    auto& xh = x.data.header;
    auto ps = xh.ps;
    ps.seed = h.ps.seed;
    if (ps != h.ps)
      return make_error(errc::invalid_params,
                        x.file + ":1: key 'params': differs from the params of "
                          + xs.front().file);
    bool same = xh.participants.size() == h.participants.size();
    for (size_t i = 0; same && i < h.participants.size(); ++i)
      same = xh.participants[i].id == h.participants[i].id;
    if (!same)
      return make_error(errc::invalid_params,
                        x.file
                          + ":1: key 'participants': differ from the "
                            "participants of "
                          + xs.front().file);
    std::map<std::string, size_t> index;
    for (auto& c : x.data.calls) {
      auto [i, added] = index.emplace(c.run, out->runs.size());
      if (added) {
        out->runs.emplace_back();
        out->runs.back().prompt = c.prompt;
        out->runs.back().calls.resize(h.participants.size());
      }
      auto p = static_cast<size_t>(
        std::find_if(h.participants.begin(), h.participants.end(),
                     [&](auto& y) { return y.id == c.participant; })
        - h.participants.begin());
      out->runs[i->second].calls[p][c.round] = &c;
    }
    for (auto& o : x.data.outcomes)
      out->runs[index.at(o.run)].outcome = &o;
  }
  // Clusters: answers with a label (a scenario name) keep it; the others
  // are clustered per run (prompt) and named by their role in it: the key's
  // cluster `right`, the others `wrong-1`, `wrong-2` ... by decreasing size
  // (`answer-1` ... without a key).
  auto name_index = [&](const std::string& name) {
    auto i = std::find(out->labels.begin(), out->labels.end(), name);
    if (i != out->labels.end())
      return static_cast<int>(i - out->labels.begin());
    out->labels.push_back(name);
    return static_cast<int>(out->labels.size() - 1);
  };
  for (auto& r : out->runs) {
    run_clusters cl{out->ps};
    std::vector<std::pair<const connectors::trace_call*, int>> local;
    std::vector<int> size;
    for (auto& calls : r.calls)
      for (auto& [round, c] : calls) {
        if (!c->ok())
          continue;
        if (is_scenario_name(c->label)) {
          out->cluster[c] = name_index(c->label);
          continue;
        }
        auto k = cl.of(c->output);
        size.resize(cl.size());
        ++size[static_cast<size_t>(k)];
        local.emplace_back(c, k);
      }
    auto key = r.outcome == nullptr ? std::string{} : r.outcome->key;
    if (key.empty())
      key.clear();
    else if (is_scenario_name(key)
             && std::find(out->labels.begin(), out->labels.end(), key)
                  != out->labels.end())
      r.key = name_index(key);
    auto key_local = key.empty() || r.key >= 0 ? -1 : cl.of(key, false);
    if (!key.empty() && r.key < 0)
      r.key = name_index("right");
    std::vector<int> order(size.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
      if ((x == key_local) != (y == key_local))
        return x == key_local;
      return size[static_cast<size_t>(x)] > size[static_cast<size_t>(y)];
    });
    std::vector<int> global(size.size());
    int rank = 0;
    for (auto k : order)
      global[static_cast<size_t>(k)]
        = k == key_local ? name_index("right")
                         : name_index((key.empty() ? "answer-" : "wrong-")
                                      + std::to_string(++rank));
    for (auto& [c, k] : local)
      out->cluster[c] = global[static_cast<size_t>(k)];
  }
  for (auto& r : out->runs)
    if (r.key >= 0) {
      out->truth = r.key;
      break;
    }
  return std::shared_ptr<const trace_runs>{std::move(out)};
}

size_t run_count(const trace_runs& x) {
  return x.runs.size();
}

trace_fit fit_traces(const trace_runs& x, const std::vector<bool>& use) {
  trace_fit f;
  f.ps = x.ps;
  f.labels = x.labels;
  if (x.truth >= 0)
    f.truth = x.labels[static_cast<size_t>(x.truth)];
  auto n = x.participants.size();
  std::vector<std::vector<double>> counts(n,
                                          std::vector<double>(x.labels.size()));
  std::vector<uint64_t> right(n), keyed(n), fails(n), timeouts(n), calls(n),
    moves(n), chances(n);
  std::vector<std::vector<double>> ms(n);
  std::vector<std::vector<int>> correct; // per run: -1 unknown, 0, 1
  for (size_t ri = 0; ri < x.runs.size(); ++ri) {
    if (!use.empty() && !use[ri])
      continue;
    auto& r = x.runs[ri];
    ++f.runs;
    if (f.prompt.empty())
      f.prompt = r.prompt;
    std::vector<int> row(n, -1);
    for (size_t p = 0; p < n; ++p) {
      for (auto& [round, c] : r.calls[p]) {
        ++calls[p];
        if (c->error_kind == connectors::trace_error_kind::timeout) {
          ++timeouts[p];
          continue;
        }
        ms[p].push_back(static_cast<double>(c->ms));
        if (!c->ok()) {
          ++fails[p];
          continue;
        }
        auto k = x.cluster.at(c);
        if (round == 0) {
          counts[p][static_cast<size_t>(k)] += 1;
          if (r.key >= 0) {
            ++keyed[p];
            right[p] += k == r.key;
            row[p] = k == r.key ? 1 : 0;
          }
          continue;
        }
        // Refinement: did it move to its sample's unique plurality?
        auto own = x.latest_ok(ri, p, round - 1);
        if (own < 0)
          continue;
        std::map<int, int> votes;
        for (auto& peer : c->peers) {
          auto q = x.index_of(peer);
          auto v = x.latest_ok(ri, q, round - 1);
          if (v >= 0)
            ++votes[v];
        }
        int best = -1, best_n = 0;
        bool unique = false;
        for (auto& [label, count] : votes) {
          if (count > best_n) {
            best = label;
            best_n = count;
            unique = true;
          } else if (count == best_n) {
            unique = false;
          }
        }
        if (!unique || best == own)
          continue;
        ++chances[p];
        moves[p] += k == best;
      }
    }
    correct.push_back(std::move(row));
  }
  for (size_t p = 0; p < n; ++p) {
    participant_fit pf;
    pf.id = x.participants[p].id;
    pf.model = x.participants[p].model;
    pf.calls = calls[p];
    double total = 0;
    for (auto w : counts[p])
      total += w;
    for (auto w : counts[p])
      pf.weights.push_back(total > 0 ? w / total : 0);
    pf.accuracy = wilson(right[p], keyed[p]);
    pf.fail = wilson(fails[p], calls[p]);
    pf.timeout = wilson(timeouts[p], calls[p]);
    pf.refine = wilson(moves[p], chances[p]);
    pf.latency = fit_latency(ms[p]);
    f.participants.push_back(std::move(pf));
  }
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b) {
      std::vector<std::pair<int, int>> xs;
      for (auto& row : correct)
        if (row[a] >= 0 && row[b] >= 0)
          xs.emplace_back(row[a], row[b]);
      f.correlations.push_back(correlate(a, b, xs));
    }
  return f;
}

} // namespace caf::consensus::sim

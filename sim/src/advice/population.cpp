// The advice populations: the default (compiled in), loading and checking a
// user's, and the populations derived for the diversity claims.

#include "caf/consensus/sim/advice/population.hpp"

#include <algorithm>
#include <cmath>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/internal/population_checks.hpp"

namespace caf::consensus::sim {

/// The text of scenarios/advice/population.yaml (generated source).
extern const char* const advice_population_yaml;

using advice_detail::max_agents;
using advice_detail::min_agents;

namespace {

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

namespace advice_detail {

error check_population(const scenario& pop) {
  auto n = participant_ids(pop).size();
  if (n < min_agents || n > max_agents)
    return make_error(errc::malformed_input,
                      "advice: the population has " + std::to_string(n)
                        + " agents; it needs " + std::to_string(min_agents)
                        + " to " + std::to_string(max_agents));
  if (std::find(pop.world.labels.begin(), pop.world.labels.end(),
                pop.world.ground_truth)
      == pop.world.labels.end())
    return make_error(errc::malformed_input,
                      "advice: the population's ground truth '"
                        + pop.world.ground_truth
                        + "' is not one of its labels");
  return {};
}

} // namespace advice_detail

} // namespace caf::consensus::sim

// caf-consensus sim: parsing `tune` objectives (goal, Pareto, constraints).

#include "caf/consensus/sim/tune/objective.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

namespace {

const char* const metric_names
  = "accuracy, finalize, wrong_final, calls, latency, p95_latency";

std::string trim_term(const std::string& x) {
  size_t b = 0;
  size_t e = x.size();
  while (b < e && std::isspace(static_cast<unsigned char>(x[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(x[e - 1])))
    --e;
  return x.substr(b, e - b);
}

std::optional<tune_metric> metric_named(const std::string& x) {
  for (auto m :
       {tune_metric::accuracy, tune_metric::finalize, tune_metric::wrong_final,
        tune_metric::calls, tune_metric::latency, tune_metric::p95_latency})
    if (x == to_string(m))
      return m;
  return std::nullopt;
}

error objective_error(const std::string& term, const std::string& what) {
  return make_error(errc::invalid_params,
                    "objective term '" + term + "': " + what);
}

/// Parses a number that fills `x` entirely (finite).
std::optional<double> whole_number(const std::string& x) {
  if (x.empty())
    return std::nullopt;
  char* end = nullptr;
  auto v = std::strtod(x.c_str(), &end);
  if (end != x.c_str() + x.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

expected<tune_constraint> parse_constraint(const std::string& term, size_t op) {
  tune_constraint c;
  c.text = term;
  c.at_least = term[op] == '>';
  auto name = trim_term(term.substr(0, op));
  auto rhs = trim_term(term.substr(op + 2));
  auto m = metric_named(name);
  if (!m)
    return objective_error(term, "unknown metric '" + name
                                   + "' (accepted: " + metric_names + ")");
  c.metric = *m;
  auto scale = 1.0;
  auto latency = *m == tune_metric::latency || *m == tune_metric::p95_latency;
  if (latency && rhs.size() > 2 && rhs.compare(rhs.size() - 2, 2, "ms") == 0) {
    rhs.resize(rhs.size() - 2);
    scale = 0.001;
  } else if (latency && rhs.size() > 1 && rhs.back() == 's') {
    rhs.pop_back();
  }
  auto v = whole_number(trim_term(rhs));
  if (!v)
    return objective_error(
      term, "expected a number after '" + term.substr(op, 2) + "'"
              + (latency ? " (seconds, '2s' or '1500ms')" : ""));
  c.bound = *v * scale;
  if (is_rate(*m) && (c.bound < 0 || c.bound > 1))
    return objective_error(term, "a rate bound must be in [0, 1]");
  if (!is_rate(*m) && c.bound < 0)
    return objective_error(term, "the bound must be >= 0");
  return c;
}

expected<tune_goal> parse_goal(const std::string& term) {
  tune_goal g;
  auto name = term;
  std::optional<bool> dir;
  if (term.compare(0, 4, "max:") == 0 || term.compare(0, 4, "min:") == 0) {
    dir = term[1] == 'a';
    name = trim_term(term.substr(4));
  }
  auto m = metric_named(name);
  if (!m)
    return objective_error(term,
                           "unknown goal (accepted: pareto, a metric, or "
                           "max:METRIC / min:METRIC with METRIC one of "
                             + std::string{metric_names}
                             + "; constraints are METRIC>=X or METRIC<=X)");
  if (*m == tune_metric::p95_latency)
    return objective_error(term, "p95_latency can only be a constraint "
                                 "(p95_latency<=X); goals: accuracy, "
                                 "finalize, wrong_final, calls, latency");
  g.metric = *m;
  g.maximize
    = dir ? *dir : (*m == tune_metric::accuracy || *m == tune_metric::finalize);
  return g;
}

} // namespace

std::string to_string(tune_metric x) {
  switch (x) {
    case tune_metric::accuracy:
      return "accuracy";
    case tune_metric::finalize:
      return "finalize";
    case tune_metric::wrong_final:
      return "wrong_final";
    case tune_metric::calls:
      return "calls";
    case tune_metric::latency:
      return "latency";
    case tune_metric::p95_latency:
      return "p95_latency";
  }
  return "?";
}

bool is_rate(tune_metric x) {
  return x == tune_metric::accuracy || x == tune_metric::finalize
         || x == tune_metric::wrong_final;
}

expected<tune_objective> parse_objective(const std::string& text) {
  tune_objective out;
  out.text = text;
  if (text.size() > 1000)
    return make_error(errc::invalid_params,
                      "objective: longer than 1000 characters");
  auto have_goal = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string::npos)
      comma = text.size();
    auto term = trim_term(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (term.empty())
      return make_error(errc::invalid_params,
                        "objective '" + text
                          + "': empty term (terms are "
                            "separated by single commas)");
    auto op = term.find(">=");
    if (op == std::string::npos)
      op = term.find("<=");
    if (op != std::string::npos) {
      auto c = parse_constraint(term, op);
      if (!c)
        return std::move(c.error());
      out.constraints.push_back(std::move(*c));
      continue;
    }
    if (term.find_first_of("<>=") != std::string::npos)
      return objective_error(term, "constraints are METRIC>=X or METRIC<=X");
    if (have_goal)
      return objective_error(term, "a second goal (an objective has one goal "
                                   "or 'pareto', plus constraints)");
    have_goal = true;
    if (term == "pareto") {
      out.pareto = true;
      continue;
    }
    auto g = parse_goal(term);
    if (!g)
      return std::move(g.error());
    out.goal = *g;
  }
  if (!have_goal)
    return make_error(errc::invalid_params,
                      "objective '" + text
                        + "' has no goal: add one of accuracy, finalize, "
                          "min:calls, min:latency, min:wrong_final or pareto");
  return out;
}

} // namespace caf::consensus::sim

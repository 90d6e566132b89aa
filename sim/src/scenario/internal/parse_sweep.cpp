// caf-consensus sim: the scenario file parser: the sweep (axis values as
// lists or ranges, each value checked alone, the cap on runs).

#include "caf/consensus/sim/scenario/internal/parser.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>

#include "caf/consensus/sim/scenario/internal/check.hpp"
#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/sweep_axes.hpp"

namespace caf::consensus::sim::scenario_internal {

void parser::axis_values(const entry& x, sweep_axis& axis) {
  if (x.node.IsSequence()) {
    size_t i = 0;
    for (auto y : x.node) {
      auto line = line_of(y, x.line);
      if (i == max_axis_values)
        fail(line, x.key,
             "expected at most " + std::to_string(max_axis_values) + " values");
      auto v = from_node(y, x.key + "[" + std::to_string(i++) + "]", line);
      attempt([&] {
        if (v.type == value::kind::map || v.type == value::kind::list)
          expected_(v, "a scalar value");
        axis.values.push_back(v.type == value::kind::null ? "null" : v.text);
        axis.lines.push_back(line);
      });
    }
    if (i == 0)
      fail(x.line, x.key, "expected at least one value, got an empty list");
    return;
  }
  if (!x.node.IsMap())
    expected_(x.val(), "a list of values or a map with 'from', 'to' and "
                       "'step' (or 'factor')");
  static const std::vector<std::string> ok{"from", "to", "step", "factor"};
  auto start = mark();
  auto rs = entries(x.node, x.key, x.line, &ok, "");
  auto from = find(rs, "from");
  auto to = find(rs, "to");
  auto step = find(rs, "step");
  auto factor = find(rs, "factor");
  if (!from)
    missing(x.key_line, x.key + ".from");
  if (!to)
    missing(x.key_line, x.key + ".to");
  if (step && factor)
    fail(factor->line, factor->key,
         "give 'step' (a linear range) or 'factor' (a log range), not both");
  double lo = 0;
  double hi = 0;
  double by = 1.0;
  double times = 0;
  if (from)
    attempt([&] { lo = to_num(from->val(), -inf, inf); });
  if (to)
    attempt([&] { hi = to_num(to->val(), -inf, inf); });
  if (step)
    attempt([&] {
      by = to_num(step->val(), 0, inf);
      if (!(by > 0))
        expected_(step->val(), "a number > 0");
    });
  if (factor)
    attempt([&] {
      times = to_num(factor->val(), 0, inf);
      if (!(times > 1))
        expected_(factor->val(), "a number > 1");
    });
  if (!clean_since(start))
    return;
  if (hi < lo)
    fail(to->line, to->key,
         "expected 'to' >= 'from' (" + num(lo) + "), got " + num(hi));
  if (factor) {
    log_range(x, *from, lo, hi, times, axis);
    return;
  }
  auto ilo = parse_int<int64_t>(from->val().text);
  auto ihi = parse_int<int64_t>(to->val().text);
  auto istep = step ? parse_int<int64_t>(step->val().text)
                    : std::optional<int64_t>{1};
  // Integer ranges are expanded exactly, others in doubles (values printed
  // with 12 significant digits, so 0.1 steps stay readable).
  auto int_range = ilo && ihi && istep;
  auto n = int_range ? static_cast<double>(
             (static_cast<__int128>(*ihi) - *ilo) / *istep + 1)
                     : std::floor((hi - lo) / by + 1e-9) + 1;
  if (!(n <= static_cast<double>(max_axis_values)))
    fail(x.line, x.key,
         "expected at most " + std::to_string(max_axis_values)
           + " values, the range has " + (n < 1e15 ? fixed(n) : scientific(n)));
  auto count = static_cast<size_t>(n);
  for (size_t i = 0; i < count; ++i) {
    if (int_range) {
      axis.values.push_back(
        std::to_string(*ilo + static_cast<int64_t>(i) * *istep));
    } else {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.12g",
                    lo + static_cast<double>(i) * by);
      axis.values.push_back(buf);
    }
    axis.lines.push_back(x.line);
  }
}

void parser::log_range(const entry& x, const entry& from, double lo, double hi,
                       double times, sweep_axis& axis) {
  if (!(lo > 0))
    fail(from.line, from.key,
         "expected 'from' > 0 in a range with 'factor', got " + num(lo));
  // from, from * factor, ... while <= to (with a relative slack of 1e-9,
  // so 0.001 .. 1 by 10 ends at 1).
  auto n = std::floor(std::log(hi / lo) / std::log(times) + 1e-9) + 1;
  if (!(n <= static_cast<double>(max_axis_values)))
    fail(x.line, x.key,
         "expected at most " + std::to_string(max_axis_values)
           + " values, the range has " + (n < 1e15 ? fixed(n) : scientific(n)));
  auto count = static_cast<size_t>(n);
  for (size_t i = 0; i < count; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.12g",
                  lo * std::pow(times, static_cast<double>(i)));
    axis.values.push_back(buf);
    axis.lines.push_back(x.line);
  }
}

bool parser::parse_axis(const entry& x, scenario& s, const sweep_scope& scope) {
  // A key naming a group or a label can only be judged when the agents and
  // labels parsed: skip it otherwise (their problems are reported).
  if (x.name.compare(0, 7, "agents.") == 0
      && (!scope.groups
          || (!scope.labels && x.name.find(".answers.") != std::string::npos)))
    return false;
  auto start = mark();
  sweep_axis axis;
  axis.key = x.name;
  axis.line = x.key_line;
  // The key must make sense before its values do.
  target t;
  if (!attempt([&] {
        t = parse_axis_key(axis.key, s.groups, s.world, x.key, x.key_line);
      }))
    return false;
  attempt([&] { axis_values(x, axis); });
  if (!clean_since(start))
    return false;
  // Check every value on its own against the base scenario (when it had no
  // problem). An axis sets params or one group: restore just that after
  // each value (copying all groups per value would make this quadratic).
  auto groups = s.groups;
  for (size_t i = 0; i < axis.values.size(); ++i) {
    auto path = x.key + "[" + std::to_string(i) + "]";
    auto ps = s.ps;
    auto world = s.world;
    if (attempt([&] {
          apply_axis(ps, groups, world, axis.key, x.key, x.key_line,
                     from_text(axis.values[i], path, axis.lines[i]));
        })
        && scope.clean) {
      if (auto bad = check(ps, groups, world))
        report({axis.lines[i], path,
                "value " + quote(axis.values[i]) + ": " + bad->problem});
    }
    if (t.type == target::kind::group)
      groups[t.group] = s.groups[t.group];
  }
  if (!clean_since(start))
    return false;
  s.sweep.push_back(std::move(axis));
  return true;
}

void parser::parse_sweep(const entry& e, scenario& s,
                         const sweep_scope& scope) {
  auto start = mark();
  std::vector<entry> es;
  if (!attempt([&] {
        es = entries(e.node, e.key, e.line, nullptr,
                     "a map of key: list of values");
      }))
    return;
  auto all = true;
  for (auto& x : es)
    all = parse_axis(x, s, scope) && all;
  // The cap on runs counts every axis and the replicates: judge it only
  // when they all parsed.
  if (all && scope.runs && clean_since(start)) {
    if (auto why = runs_over_cap(cell_count(s), s.replicates); !why.empty())
      report({e.key_line, e.key, why});
  }
}

} // namespace caf::consensus::sim::scenario_internal

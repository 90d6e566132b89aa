// caf-consensus sim: reading a results directory: manifest.json (scenario,
// sweep axes) and summary.jsonl, or runs.jsonl summarized per cell, each
// line checked.

#include "caf/consensus/sim/report/results.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <set>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/internal/checked_json.hpp"
#include "caf/consensus/sim/report/internal/format.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;
using json = nlohmann::json;
using report_internal::count;
using report_internal::fail;
using report_internal::field;
using report_internal::flag;
using report_internal::fmt;
using report_internal::for_each_json_line;
using report_internal::input_error;
using report_internal::number;
using report_internal::read_file;
using report_internal::text;

namespace {

// -- limits -------------------------------------------------------------------

constexpr uint64_t max_cells = 1'000'000;
constexpr size_t max_manifest = 256 * 1024 * 1024;

// -- intervals ----------------------------------------------------------------

constexpr double eps = 1e-9;

rate read_rate(const json& obj, const char* key, const std::string& where) {
  auto& x = field(obj, key, where);
  auto name = std::string{key};
  if (!x.is_object())
    fail(where, "field '" + name + "' must be an object");
  rate r;
  r.value = number(field(x, "value", where), where, name + ".value");
  r.lo = number(field(x, "lo", where), where, name + ".lo");
  r.hi = number(field(x, "hi", where), where, name + ".hi");
  r.hits = count(field(x, "hits", where), where, name + ".hits");
  r.n = count(field(x, "n", where), where, name + ".n");
  if (r.hits > r.n)
    fail(where, "field '" + name + "': hits (" + std::to_string(r.hits)
                  + ") exceed n (" + std::to_string(r.n) + ")");
  if (!(r.lo >= -eps && r.lo <= r.value + eps && r.value <= r.hi + eps
        && r.hi <= 1 + eps))
    fail(where, "field '" + name
                  + "': expected 0 <= lo <= value <= hi <= 1, "
                    "got lo "
                  + fmt(r.lo, 4) + ", value " + fmt(r.value, 4) + ", hi "
                  + fmt(r.hi, 4));
  if (r.n > 0
      && std::fabs(r.value
                   - static_cast<double>(r.hits) / static_cast<double>(r.n))
           > 1e-6)
    fail(where, "field '" + name + "': value " + fmt(r.value, 6)
                  + " is not hits/n = " + std::to_string(r.hits) + "/"
                  + std::to_string(r.n));
  return r;
}

mean_ci read_mean(const json& obj, const char* key, const std::string& where) {
  auto& x = field(obj, key, where);
  auto name = std::string{key};
  if (!x.is_object())
    fail(where, "field '" + name + "' must be an object");
  mean_ci m;
  m.value = number(field(x, "mean", where), where, name + ".mean");
  m.lo = number(field(x, "lo", where), where, name + ".lo");
  m.hi = number(field(x, "hi", where), where, name + ".hi");
  m.n = count(field(x, "n", where), where, name + ".n");
  auto tol = 1e-9 * std::max(1.0, std::fabs(m.value));
  if (!(m.lo <= m.value + tol && m.value <= m.hi + tol))
    fail(where, "field '" + name + "': expected lo <= mean <= hi, got lo "
                  + fmt(m.lo, 4) + ", mean " + fmt(m.value, 4) + ", hi "
                  + fmt(m.hi, 4));
  return m;
}

// -- the sweep's cells --------------------------------------------------------

/// Returns the coordinates of `cell` (the last axis varies fastest).
std::vector<size_t> coords_of(const std::vector<result_axis>& axes,
                              uint64_t cell) {
  std::vector<size_t> out(axes.size());
  for (size_t i = axes.size(); i-- > 0;) {
    auto n = axes[i].values.size();
    out[i] = static_cast<size_t>(cell % n);
    cell /= n;
  }
  return out;
}

/// Returns the label of the cell at `coords` (`key=value, key=value`).
std::string label_of(const std::vector<result_axis>& axes,
                     const std::vector<size_t>& coords) {
  std::string out;
  for (size_t i = 0; i < axes.size(); ++i) {
    if (!out.empty())
      out += ", ";
    out += axes[i].key + "=" + axes[i].values[coords[i]];
  }
  return out;
}

// -- the manifest's sweep -----------------------------------------------------

bool parse_number(const std::string& x, double& out) {
  if (x.empty())
    return false;
  char* end = nullptr;
  out = std::strtod(x.c_str(), &end);
  return end == x.c_str() + x.size() && std::isfinite(out);
}

/// Reads the sweep axes of a manifest.
std::vector<result_axis> read_axes(const json& manifest,
                                   const std::string& where) {
  std::vector<result_axis> out;
  auto i = manifest.find("sweep");
  if (i == manifest.end() || i->is_null())
    return out;
  if (!i->is_array())
    fail(where, "field 'sweep' must be a list of {key, values}");
  uint64_t cells = 1;
  std::set<std::string> keys;
  for (size_t a = 0; a < i->size(); ++a) {
    auto& ax = (*i)[a];
    auto at = "sweep[" + std::to_string(a) + "]";
    if (!ax.is_object())
      fail(where, "field '" + at + "' must be an object with key and values");
    result_axis axis;
    axis.key = text(field(ax, "key", where), where, at + ".key");
    if (axis.key.empty())
      fail(where, "field '" + at + ".key' is empty");
    if (!keys.insert(axis.key).second)
      fail(where,
           "field '" + at + ".key': axis '" + axis.key + "' appears twice");
    auto& vals = field(ax, "values", where);
    if (!vals.is_array() || vals.empty())
      fail(where, "field '" + at + ".values' must be a non-empty list");
    std::set<std::string> seen;
    for (size_t v = 0; v < vals.size(); ++v) {
      auto& x = vals[v];
      std::string s;
      if (x.is_string())
        s = x.get<std::string>();
      else if (x.is_number() || x.is_boolean())
        s = x.dump();
      else
        fail(where, "field '" + at + ".values[" + std::to_string(v)
                      + "]' must be a string or a number");
      if (!seen.insert(s).second)
        fail(where,
             "field '" + at + ".values': value '" + s + "' appears twice");
      axis.values.push_back(std::move(s));
    }
    axis.numeric = true;
    for (auto& s : axis.values) {
      double d = 0;
      if (!parse_number(s, d)) {
        axis.numeric = false;
        axis.numbers.clear();
        break;
      }
      axis.numbers.push_back(d);
    }
    if (cells > max_cells / axis.values.size())
      fail(where, "the sweep has more than " + std::to_string(max_cells)
                    + " cells; the report supports at most that many");
    cells *= axis.values.size();
    out.push_back(std::move(axis));
  }
  return out;
}

// -- summary and run lines ----------------------------------------------------

void check_assignment(const json& obj, const std::vector<result_axis>& axes,
                      const std::vector<size_t>& coords, uint64_t cell,
                      const std::string& where) {
  auto i = obj.find("assignment");
  if (i == obj.end() || i->is_null())
    return;
  if (!i->is_object())
    fail(where, "field 'assignment' must be an object");
  for (auto& [key_ref, val] : i->items()) {
    // A copy: C++17 lambdas cannot capture structured bindings (clang).
    const std::string key = key_ref;
    auto a = std::find_if(axes.begin(), axes.end(),
                          [&](const result_axis& x) { return x.key == key; });
    if (a == axes.end())
      fail(where, "field 'assignment': '" + key
                    + "' is not a swept parameter of the manifest");
    auto s = val.is_string() ? val.get<std::string>() : val.dump();
    auto& expected = a->values[coords[static_cast<size_t>(a - axes.begin())]];
    if (s != expected)
      fail(where, "field 'assignment': cell " + std::to_string(cell) + " has "
                    + key + "=" + s + " but the manifest's sweep puts " + key
                    + "=" + expected + " there");
  }
}

void load_summaries(results& res, const fs::path& path) {
  for_each_json_line(path, [&](const json& obj, const std::string& where) {
    auto cell = count(field(obj, "cell", where), where, "cell");
    if (cell >= res.cells.size())
      fail(where, "cell " + std::to_string(cell)
                    + " is outside the sweep of "
                      "the manifest ("
                    + std::to_string(res.cells.size()) + " cells)");
    auto& c = res.cells[cell];
    if (c.present)
      fail(where, "cell " + std::to_string(cell) + " appears twice");
    check_assignment(obj, res.axes, c.coords, cell, where);
    c.present = true;
    c.runs = count(field(obj, "runs", where), where, "runs");
    c.finalize_rate = read_rate(obj, "finalize_rate", where);
    c.accuracy = read_rate(obj, "accuracy", where);
    c.accuracy_finalized = read_rate(obj, "accuracy_finalized", where);
    c.rounds = read_mean(obj, "rounds", where);
    c.latency_ms = read_mean(obj, "latency_ms", where);
    c.calls = read_mean(obj, "calls", where);
    // Summaries of 0.4.0 and later with a ground truth: the equal-compute
    // baseline and the calibration error.
    if (obj.contains("equal_calls_accuracy")) {
      c.has_baseline = true;
      c.equal_calls_accuracy = read_rate(obj, "equal_calls_accuracy", where);
      c.gain_over_equal_calls = read_mean(obj, "gain_over_equal_calls", where);
      c.ece = number(field(field(obj, "calibration", where), "ece", where),
                     where, "calibration.ece");
    }
    if (c.finalize_rate.n != c.runs || c.accuracy.n != c.runs)
      fail(where, "finalize_rate.n and accuracy.n must equal runs ("
                    + std::to_string(c.runs) + ")");
    if (c.accuracy_finalized.n != c.finalize_rate.hits)
      fail(where, "accuracy_finalized.n ("
                    + std::to_string(c.accuracy_finalized.n)
                    + ") must equal the finalized runs ("
                    + std::to_string(c.finalize_rate.hits) + ")");
  });
}

void load_runs(results& res, const fs::path& path) {
  std::vector<cell_summary> acc(res.cells.size());
  for_each_json_line(path, [&](const json& obj, const std::string& where) {
    run_metrics m;
    m.cell = count(field(obj, "cell", where), where, "cell");
    if (m.cell >= res.cells.size())
      fail(where, "cell " + std::to_string(m.cell)
                    + " is outside the sweep of the manifest ("
                    + std::to_string(res.cells.size()) + " cells)");
    m.finalized = flag(field(obj, "finalized", where), where, "finalized");
    m.winner_correct = flag(field(obj, "winner_correct", where), where,
                            "winner_correct");
    auto rounds = count(field(obj, "rounds_executed", where), where,
                        "rounds_executed");
    if (rounds > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()))
      fail(where, "field 'rounds_executed' is out of range");
    m.rounds_executed = static_cast<int32_t>(rounds);
    auto lat = count(field(obj, "latency_ms", where), where, "latency_ms");
    if (lat > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      fail(where, "field 'latency_ms' is out of range");
    m.latency_ms = static_cast<int64_t>(lat);
    m.calls = count(field(obj, "calls", where), where, "calls");
    acc[m.cell].add(m);
  });
  for (size_t c = 0; c < acc.size(); ++c) {
    if (acc[c].runs() == 0)
      continue;
    auto coords = res.cells[c].coords;
    auto label = res.cells[c].label;
    res.cells[c] = to_cell_result(acc[c]);
    res.cells[c].cell = c;
    res.cells[c].coords = std::move(coords);
    res.cells[c].label = std::move(label);
  }
}

} // namespace

expected<results> load_results(const std::string& dir,
                               const load_options& opts) {
  try {
    results res;
    res.dir = dir;
    std::error_code ec;
    if (!fs::exists(dir, ec))
      fail(dir, "no such results directory");
    if (!fs::is_directory(dir, ec))
      fail(dir, "not a directory (expected a results directory written by "
                "'consensus-sim run FILE --out DIR')");
    auto mpath = fs::path{dir} / "manifest.json";
    if (!fs::exists(mpath, ec))
      fail(mpath.string(), "missing (is '" + dir
                             + "' a results directory written by "
                               "'consensus-sim run FILE --out DIR'?)");
    auto text = read_file(mpath, max_manifest);
    try {
      res.manifest = json::parse(text);
    } catch (const json::exception& e) {
      fail(mpath.string(), std::string{"not valid JSON: "} + e.what());
    }
    if (!res.manifest.is_object())
      fail(mpath.string(), "expected a JSON object");
    res.axes = read_axes(res.manifest, mpath.string());
    for (auto* key : {"scenario", "cells"}) {
      auto i = res.manifest.find(key);
      if (i != res.manifest.end() && !i->is_object() && !i->is_array())
        fail(mpath.string(),
             std::string{"field '"} + key + "' must be an object or a list");
    }
    if (auto i = res.manifest.find("scenario"); i != res.manifest.end()) {
      if (!i->is_object())
        fail(mpath.string(), "field 'scenario' must be an object");
      for (auto* key : {"name", "file", "description", "hash"})
        if (auto j = i->find(key); j != i->end() && !j->is_string())
          fail(mpath.string(),
               std::string{"field 'scenario."} + key + "' must be a string");
    }
    uint64_t cells = 1;
    for (auto& a : res.axes)
      cells *= a.values.size();
    res.cells.resize(cells);
    for (uint64_t c = 0; c < cells; ++c) {
      res.cells[c].cell = c;
      res.cells[c].coords = coords_of(res.axes, c);
      res.cells[c].label = label_of(res.axes, res.cells[c].coords);
    }
    auto spath = fs::path{dir} / "summary.jsonl";
    auto rpath = fs::path{dir} / "runs.jsonl";
    if (!opts.from_runs && fs::exists(spath, ec)) {
      res.source = "summary.jsonl";
      load_summaries(res, spath);
    } else if (fs::exists(rpath, ec)) {
      res.source = "runs.jsonl";
      load_runs(res, rpath);
    } else {
      fail(dir, opts.from_runs ? "runs.jsonl is missing"
                               : "neither summary.jsonl nor runs.jsonl "
                                 "exists");
    }
    if (std::none_of(res.cells.begin(), res.cells.end(),
                     [](const cell_result& x) { return x.present; }))
      fail((fs::path{dir} / res.source).string(), "holds no cell");
    return res;
  } catch (const input_error& e) {
    return make_error(errc::malformed_input, e.what());
  }
}

} // namespace caf::consensus::sim

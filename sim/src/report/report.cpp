#include "caf/consensus/sim/report/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <boost/math/distributions/students_t.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// -- limits -------------------------------------------------------------------

constexpr uint64_t max_cells = 1'000'000;
constexpr size_t max_line = 16 * 1024 * 1024;
constexpr size_t max_manifest = 256 * 1024 * 1024;
constexpr size_t max_series_per_chart = 8;
constexpr size_t max_heatmap_cells = 2500;
constexpr size_t max_table_rows = 5000;
constexpr size_t max_missing_rows = 50;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// A problem with an input file; becomes an `errc::malformed_input` error.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
  throw input_error{where + ": " + what};
}

std::string fmt(double x, int prec) {
  if (!std::isfinite(x))
    return "-";
  std::ostringstream os;
  os << std::fixed << std::setprecision(prec) << x;
  return os.str();
}

// -- reading JSON -------------------------------------------------------------

const json& field(const json& obj, const char* key, const std::string& where) {
  auto i = obj.find(key);
  if (i == obj.end())
    fail(where, std::string{"missing field '"} + key + "'");
  return *i;
}

double number(const json& x, const std::string& where, const std::string& key) {
  if (!x.is_number())
    fail(where, "field '" + key + "' must be a number, got " + x.dump());
  auto v = x.get<double>();
  if (!std::isfinite(v))
    fail(where, "field '" + key + "' is not finite");
  return v;
}

uint64_t count(const json& x, const std::string& where,
               const std::string& key) {
  if (!x.is_number_unsigned()
      && !(x.is_number_integer() && x.get<int64_t>() >= 0))
    fail(where,
         "field '" + key + "' must be a non-negative integer, got " + x.dump());
  return x.get<uint64_t>();
}

std::string text(const json& x, const std::string& where,
                 const std::string& key) {
  if (!x.is_string())
    fail(where, "field '" + key + "' must be a string, got " + x.dump());
  return x.get<std::string>();
}

bool flag(const json& x, const std::string& where, const std::string& key) {
  if (!x.is_boolean())
    fail(where, "field '" + key + "' must be true or false, got " + x.dump());
  return x.get<bool>();
}

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

bool parse_number(const std::string& x, double& out) {
  if (x.empty())
    return false;
  char* end = nullptr;
  out = std::strtod(x.c_str(), &end);
  return end == x.c_str() + x.size() && std::isfinite(out);
}

std::string read_file(const fs::path& p, size_t cap) {
  std::ifstream in{p, std::ios::binary};
  if (!in)
    fail(p.string(), "cannot open");
  std::ostringstream os;
  os << in.rdbuf();
  auto text = os.str();
  if (text.size() > cap)
    fail(p.string(),
         "larger than " + std::to_string(cap / (1024 * 1024)) + " MiB");
  return text;
}

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

uint64_t cell_of(const std::vector<result_axis>& axes,
                 const std::vector<size_t>& coords) {
  uint64_t c = 0;
  for (size_t i = 0; i < axes.size(); ++i)
    c = c * axes[i].values.size() + coords[i];
  return c;
}

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

/// Calls `fn(obj, where)` for every non-blank line of the JSON Lines file
/// `path`; `where` is `FILE:LINE`. Fails on unreadable files, overlong lines,
/// invalid JSON and lines that are not objects.
template <class F>
void for_each_json_line(const fs::path& path, F fn) {
  std::ifstream in{path};
  if (!in)
    fail(path.string(), "cannot open");
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    auto where = path.string() + ":" + std::to_string(lineno);
    if (line.size() > max_line)
      fail(where, "line longer than 16 MiB");
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    json obj;
    try {
      obj = json::parse(line);
    } catch (const json::exception& e) {
      fail(where, std::string{"not valid JSON: "} + e.what());
    }
    if (!obj.is_object())
      fail(where, "expected a JSON object per line");
    fn(obj, where);
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

double t975(uint64_t n) {
  if (n < 2)
    return nan;
  boost::math::students_t dist{static_cast<double>(n - 1)};
  return boost::math::quantile(boost::math::complement(dist, 0.025));
}

} // namespace

// -- results ------------------------------------------------------------------

cell_result to_cell_result(const cell_summary& x) {
  cell_result out;
  out.present = x.runs() > 0;
  out.runs = x.runs();
  out.finalize_rate = x.finalize_rate();
  out.accuracy = x.accuracy();
  out.accuracy_finalized = x.safety();
  out.rounds = x.rounds();
  out.latency_ms = x.latency();
  out.calls = x.calls();
  return out;
}

cell_result pool(const std::vector<const cell_result*>& parts) {
  cell_result out;
  auto pool_rate = [&](rate cell_result::*member) {
    uint64_t hits = 0;
    uint64_t n = 0;
    for (auto* p : parts)
      if (p->present) {
        hits += (p->*member).hits;
        n += (p->*member).n;
      }
    return wilson(hits, n);
  };
  auto pool_mean = [&](mean_ci cell_result::*member) {
    // Chan et al.: merge (n, mean, M2) pairwise; each part's standard
    // deviation comes back from its t-interval half-width.
    double total = 0;
    double mean = 0;
    double m2 = 0;
    for (auto* p : parts) {
      if (!p->present)
        continue;
      auto& m = p->*member;
      if (m.n == 0)
        continue;
      auto n = static_cast<double>(m.n);
      double var = 0;
      if (m.n >= 2) {
        auto sd = (m.hi - m.lo) / 2 * std::sqrt(n) / t975(m.n);
        var = sd * sd;
      }
      auto part_m2 = var * (n - 1);
      auto delta = m.value - mean;
      auto next = total + n;
      mean += delta * n / next;
      m2 += part_m2 + delta * delta * total * n / next;
      total = next;
    }
    mean_ci r;
    r.n = static_cast<uint64_t>(total);
    r.value = mean;
    r.lo = r.hi = mean;
    if (r.n >= 2) {
      auto sd = std::sqrt(m2 / (total - 1));
      auto half = t975(r.n) * sd / std::sqrt(total);
      r.lo = mean - half;
      r.hi = mean + half;
    }
    return r;
  };
  for (auto* p : parts)
    if (p->present) {
      out.present = true;
      out.runs += p->runs;
    }
  out.finalize_rate = pool_rate(&cell_result::finalize_rate);
  out.accuracy = pool_rate(&cell_result::accuracy);
  out.accuracy_finalized = pool_rate(&cell_result::accuracy_finalized);
  out.rounds = pool_mean(&cell_result::rounds);
  out.latency_ms = pool_mean(&cell_result::latency_ms);
  out.calls = pool_mean(&cell_result::calls);
  return out;
}

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

// -- baselines ----------------------------------------------------------------

int32_t equal_call_rounds(double mean_calls, size_t agents) {
  if (agents == 0 || !std::isfinite(mean_calls) || mean_calls <= 0)
    return 0;
  auto r = std::llround(mean_calls / static_cast<double>(agents)) - 1;
  return static_cast<int32_t>(std::clamp<long long>(r, 0, 1'000'000));
}

scenario vote_baseline(const scenario& cell, int32_t rounds) {
  auto out = cell;
  out.sweep.clear();
  out.ps.policy = "vote";
  out.ps.rounds = rounds;
  return out;
}

error run_with_seeds(const scenario& cell, const std::vector<uint64_t>& seeds,
                     engine_kind engine, size_t threads,
                     const std::function<void(const run_metrics&)>& on_run) {
  if (seeds.empty())
    return make_error(errc::invalid_params, "run_with_seeds: no seeds");
  auto s = cell;
  s.sweep.clear();
  s.seeds = seeds;
  s.replicates = seeds.size();
  sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.on_run = on_run;
  return run_sweep(s, opts);
}

expected<baselines> run_baselines(const results& res, const scenario& s,
                                  engine_kind engine, size_t threads) {
  auto& m = res.manifest;
  auto where = (fs::path{res.dir} / "manifest.json").string();
  auto hash = m.contains("scenario") && m["scenario"].contains("hash")
                  && m["scenario"]["hash"].is_string()
                ? m["scenario"]["hash"].get<std::string>()
                : std::string{};
  if (hash.empty())
    return make_error(errc::malformed_input,
                      where + ": no scenario hash; cannot check that '" + s.file
                        + "' is the scenario of these results");
  if (hash != s.hash)
    return make_error(errc::malformed_input,
                      s.file + ": its hash " + s.hash
                        + " differs from the manifest's " + hash
                        + " (the file changed since the run)");
  if (cell_count(s) != res.cells.size())
    return make_error(errc::malformed_input,
                      s.file + ": has " + std::to_string(cell_count(s))
                        + " cells, the results "
                        + std::to_string(res.cells.size()));
  uint64_t reps = s.replicates;
  if (auto i = m.find("replicates"); i != m.end()) {
    if (!i->is_number_unsigned() || i->get<uint64_t>() == 0)
      return make_error(errc::malformed_input,
                        where
                          + ": field 'replicates' must be a positive "
                            "integer");
    reps = i->get<uint64_t>();
  }
  if (!s.seeds.empty() && reps != s.seeds.size())
    return make_error(errc::malformed_input,
                      where + ": replicates " + std::to_string(reps)
                        + " differ from the scenario's "
                        + std::to_string(s.seeds.size()) + " seeds");
  auto agents = participant_ids(s).size();
  baselines out;
  out.round0.resize(res.cells.size());
  out.equal_calls.resize(res.cells.size());
  out.budget_rounds.assign(res.cells.size(), 0);
  for (uint64_t c = 0; c < res.cells.size(); ++c) {
    if (!res.cells[c].present)
      continue;
    auto cell = resolve_cell(s, c);
    if (!cell)
      return std::move(cell.error());
    std::vector<uint64_t> seeds(reps);
    for (uint64_t r = 0; r < reps; ++r)
      seeds[r] = run_seed(s, c, r);
    auto budget = equal_call_rounds(res.cells[c].calls.value, agents);
    out.budget_rounds[c] = budget;
    for (int which = 0; which < 2; ++which) {
      cell_summary acc;
      auto b = vote_baseline(*cell, which == 0 ? 0 : budget);
      if (auto err = run_with_seeds(b, seeds, engine, threads,
                                    [&](const run_metrics& x) { acc.add(x); }))
        return err;
      auto& dst = which == 0 ? out.round0[c] : out.equal_calls[c];
      dst = to_cell_result(acc);
      dst.cell = c;
      dst.coords = res.cells[c].coords;
      dst.label = res.cells[c].label;
    }
  }
  return out;
}

// -- charts -------------------------------------------------------------------

namespace {

struct metric_def {
  const char* title;
  const char* ylabel;
  bool unit;
  bool is_rate;
  rate cell_result::*r;
  mean_ci cell_result::*m;
  double scale;
};

const metric_def metrics[] = {
  {"finalize rate", "share of runs", true, true, &cell_result::finalize_rate,
   nullptr, 1},
  {"accuracy", "share of runs", true, true, &cell_result::accuracy, nullptr, 1},
  {"accuracy among finalized", "share of finalized runs", true, true,
   &cell_result::accuracy_finalized, nullptr, 1},
  {"mean rounds", "refinement rounds", false, false, nullptr,
   &cell_result::rounds, 1},
  {"mean simulated latency", "seconds", false, false, nullptr,
   &cell_result::latency_ms, 0.001},
  {"mean calls", "execute calls per run", false, false, nullptr,
   &cell_result::calls, 1},
};

void point(const metric_def& md, const cell_result* c, double& y, double& lo,
           double& hi) {
  y = lo = hi = nan;
  if (c == nullptr || !c->present)
    return;
  if (md.is_rate) {
    auto& r = c->*(md.r);
    if (r.n == 0)
      return;
    y = r.value;
    lo = r.lo;
    hi = r.hi;
  } else {
    auto& m = c->*(md.m);
    if (m.n == 0)
      return;
    y = m.value * md.scale;
    lo = m.lo * md.scale;
    hi = m.hi * md.scale;
  }
}

/// Returns one result per value of axis `axis`: the cells with that value
/// pooled over every other axis (one pass over the cells).
std::vector<cell_result> pooled_by(const std::vector<cell_result>& cells,
                                   const std::vector<result_axis>& axes,
                                   size_t axis) {
  auto values = axes[axis].values.size();
  std::vector<std::vector<const cell_result*>> parts(values);
  for (auto& c : cells)
    if (c.present && c.coords.size() == axes.size() && c.coords[axis] < values)
      parts[c.coords[axis]].push_back(&c);
  std::vector<cell_result> out;
  out.reserve(values);
  for (auto& p : parts)
    out.push_back(pool(p));
  return out;
}

/// Returns the cells along axis `axis` with the other axes at `fixed`.
std::vector<cell_result> slice(const std::vector<cell_result>& cells,
                               const std::vector<result_axis>& axes,
                               size_t axis, std::vector<size_t> fixed) {
  std::vector<cell_result> out;
  for (size_t v = 0; v < axes[axis].values.size(); ++v) {
    fixed[axis] = v;
    auto c = cell_of(axes, fixed);
    out.push_back(c < cells.size() ? cells[c] : cell_result{});
  }
  return out;
}

std::string scenario_name(const results& res) {
  auto& m = res.manifest;
  if (auto i = m.find("scenario"); i != m.end() && i->is_object())
    if (auto j = i->find("name"); j != i->end() && j->is_string())
      return j->get<std::string>();
  return fs::path{res.dir}.filename().string();
}

std::string file_stem(const std::string& x) {
  std::string out;
  for (auto c : x)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'
            || c == '-')
             ? c
             : '_';
  return out.substr(0, 60);
}

std::string two_digits(size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02zu", i);
  return buf;
}

} // namespace

std::vector<std::pair<std::string, line_chart>>
line_charts(const results& res, const baselines* base) {
  std::vector<std::pair<std::string, line_chart>> out;
  auto& axes = res.axes;
  // Without a sweep: one chart over the single cell (categorical).
  if (axes.empty()) {
    line_chart ch;
    ch.title = scenario_name(res) + ": the single cell";
    ch.xlabel = "";
    ch.xtics = {"observed"};
    if (base != nullptr) {
      ch.xtics = {scenario_name(res), "vote, round 0",
                  "vote, equal calls (r="
                    + std::to_string(base->budget_rounds[0]) + ")"};
    }
    for (auto& md : metrics) {
      plot_panel p;
      p.title = md.title;
      p.ylabel = md.ylabel;
      p.unit_range = md.unit;
      plot_series s;
      s.name = "mean and 95% interval";
      std::vector<const cell_result*> cs{&res.cells[0]};
      if (base != nullptr) {
        cs.push_back(&base->round0[0]);
        cs.push_back(&base->equal_calls[0]);
      }
      for (size_t i = 0; i < cs.size(); ++i) {
        double y, lo, hi;
        point(md, cs[i], y, lo, hi);
        s.x.push_back(static_cast<double>(i));
        s.y.push_back(y);
        s.lo.push_back(lo);
        s.hi.push_back(hi);
      }
      p.series.push_back(std::move(s));
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back("01-summary", std::move(ch));
    return out;
  }
  for (size_t a = 0; a < axes.size(); ++a) {
    auto& axis = axes[a];
    line_chart ch;
    ch.title = axis.key == "policy"
                 ? "Policies compared (" + scenario_name(res) + ")"
                 : scenario_name(res) + ": effect of " + axis.key;
    ch.xlabel = axis.key;
    if (!axis.numeric)
      ch.xtics = axis.values;
    // Series: one per combination of the other axes, or pooled.
    uint64_t combos = 1;
    for (size_t b = 0; b < axes.size(); ++b)
      if (b != a)
        combos = std::min<uint64_t>(combos * axes[b].values.size(),
                                    max_series_per_chart + 1);
    std::vector<std::pair<std::string, std::optional<std::vector<size_t>>>>
      series_keys;
    if (combos <= max_series_per_chart) {
      for (uint64_t k = 0; k < combos; ++k) {
        // Enumerate the other axes' coordinates, last varying fastest.
        std::vector<size_t> fixed(axes.size(), 0);
        auto rest = k;
        std::string name;
        for (size_t b = axes.size(); b-- > 0;) {
          if (b == a)
            continue;
          fixed[b] = static_cast<size_t>(rest % axes[b].values.size());
          rest /= axes[b].values.size();
        }
        for (size_t b = 0; b < axes.size(); ++b) {
          if (b == a)
            continue;
          if (!name.empty())
            name += ", ";
          name += axes[b].key + "=" + axes[b].values[fixed[b]];
        }
        if (name.empty())
          name = scenario_name(res);
        series_keys.emplace_back(name, fixed);
      }
    } else {
      std::string others;
      for (size_t b = 0; b < axes.size(); ++b)
        if (b != a)
          others += (others.empty() ? "" : ", ") + axes[b].key;
      series_keys.emplace_back("pooled over " + others, std::nullopt);
    }
    bool with_base = base != nullptr && series_keys.size() == 1;
    // The cells of every line, once: (name, dashed, one result per value).
    struct line {
      std::string name;
      bool dashed;
      std::vector<cell_result> cells;
    };
    auto along = [&](const std::vector<cell_result>& cells,
                     const std::optional<std::vector<size_t>>& fixed) {
      return fixed ? slice(cells, axes, a, *fixed) : pooled_by(cells, axes, a);
    };
    std::vector<line> lines;
    for (auto& [name, fixed] : series_keys)
      lines.push_back(line{name, false, along(res.cells, fixed)});
    if (with_base) {
      lines.push_back(line{"vote, majority after round 0", true,
                           along(base->round0, series_keys[0].second)});
      lines.push_back(line{"vote at equal calls (debate, then vote)", true,
                           along(base->equal_calls, series_keys[0].second)});
    }
    for (auto& md : metrics) {
      plot_panel p;
      p.title = md.title;
      p.ylabel = md.ylabel;
      p.unit_range = md.unit;
      for (auto& l : lines) {
        plot_series s;
        s.name = l.name;
        s.dashed = l.dashed;
        for (size_t v = 0; v < axis.values.size(); ++v) {
          double y, lo, hi;
          point(md, &l.cells[v], y, lo, hi);
          s.x.push_back(axis.numeric ? axis.numbers[v]
                                     : static_cast<double>(v));
          s.y.push_back(y);
          s.lo.push_back(lo);
          s.hi.push_back(hi);
        }
        p.series.push_back(std::move(s));
      }
      ch.panels.push_back(std::move(p));
    }
    out.emplace_back(two_digits(out.size() + 1) + "-" + file_stem(axis.key),
                     std::move(ch));
  }
  return out;
}

std::vector<std::pair<std::string, heatmap_chart>>
heatmaps(const results& res) {
  std::vector<std::pair<std::string, heatmap_chart>> out;
  auto& axes = res.axes;
  if (axes.size() < 2)
    return out;
  for (size_t a = 0; a < axes.size() && out.size() < 3; ++a)
    for (size_t b = a + 1; b < axes.size() && out.size() < 3; ++b) {
      auto nx = axes[a].values.size();
      auto ny = axes[b].values.size();
      if (nx * ny > max_heatmap_cells)
        continue; // unreadable; the line charts show these parameters
      // Pool the cells of every (x, y) in one pass.
      std::vector<std::vector<const cell_result*>> parts(nx * ny);
      for (auto& c : res.cells)
        if (c.present && c.coords.size() == axes.size())
          parts[c.coords[b] * nx + c.coords[a]].push_back(&c);
      std::vector<cell_result> grid;
      grid.reserve(parts.size());
      for (auto& p : parts)
        grid.push_back(pool(p));
      heatmap_chart ch;
      ch.title = scenario_name(res) + ": " + axes[a].key + " x " + axes[b].key
                 + (axes.size() > 2 ? " (pooled over the other parameters)"
                                    : "");
      ch.xlabel = axes[a].key;
      ch.ylabel = axes[b].key;
      ch.xtics = axes[a].values;
      ch.ytics = axes[b].values;
      for (size_t mi = 0; mi < 4; ++mi) {
        auto& md = metrics[mi];
        heatmap_panel p;
        p.title = md.title;
        p.unit_range = md.unit;
        p.z.assign(axes[b].values.size(),
                   std::vector<double>(axes[a].values.size(), nan));
        for (size_t x = 0; x < nx; ++x)
          for (size_t y = 0; y < ny; ++y) {
            double v, lo, hi;
            point(md, &grid[y * nx + x], v, lo, hi);
            p.z[y][x] = v;
          }
        ch.panels.push_back(std::move(p));
      }
      out.emplace_back("heatmap-" + file_stem(axes[a].key) + "-"
                         + file_stem(axes[b].key),
                       std::move(ch));
    }
  return out;
}

// -- HTML ---------------------------------------------------------------------

std::string html_escape(const std::string& x) {
  std::string out;
  out.reserve(x.size());
  for (auto c : x) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string inline_svg(const std::string& svg, const std::string& prefix) {
  auto start = svg.find("<svg");
  std::string body = start == std::string::npos ? svg : svg.substr(start);
  std::string out;
  out.reserve(body.size() + 1024);
  // Prefix `id='X'`, `id="X"`, `href='#X'`, `href="#X"` and `url(#X)`.
  static const char* const patterns[] = {"id='", "id=\"", "href='#", "href=\"#",
                                         "url(#"};
  size_t i = 0;
  while (i < body.size()) {
    bool matched = false;
    for (auto* pat : patterns) {
      auto len = std::char_traits<char>::length(pat);
      if (body.compare(i, len, pat) == 0
          && (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\n'
              || body[i - 1] == '\t' || body[i - 1] == ':' || pat[0] == 'u')) {
        out.append(pat, len);
        out += prefix;
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched)
      out += body[i++];
  }
  return out;
}

namespace {

std::string rate_html(const rate& r) {
  if (r.n == 0)
    return "&ndash;";
  return fmt(r.value, 3) + " <small>[" + fmt(r.lo, 2) + ", " + fmt(r.hi, 2)
         + "]</small>";
}

std::string mean_html(const mean_ci& m, int prec, double scale = 1) {
  if (m.n == 0)
    return "&ndash;";
  return fmt(m.value * scale, prec) + " <small>&plusmn;"
         + fmt((m.hi - m.value) * scale, prec) + "</small>";
}

const char* css = R"(
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; }
small { color: #666; }
figure.chart { margin: 1.5em 0; border: 1px solid #ddd; padding: 0.5em; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto;
      font-size: 0.8em; max-height: 30em; }
.note { color: #555; font-size: 0.9em; }
div.wide { overflow-x: auto; max-width: 100%; }
)";

std::string json_text(const json& m, const char* a, const char* b = nullptr) {
  auto i = m.find(a);
  if (i == m.end())
    return {};
  const json* x = &*i;
  if (b != nullptr) {
    if (!x->is_object())
      return {};
    auto j = x->find(b);
    if (j == x->end())
      return {};
    x = &*j;
  }
  return x->is_string() ? x->get<std::string>() : x->dump();
}

void scenario_section(std::ostream& os, const results& res) {
  auto& m = res.manifest;
  os << "<h2 id=\"scenario\">Scenario and manifest</h2>\n<table>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    if (!v.empty())
      os << "<tr><th>" << html_escape(k) << "</th><td>" << html_escape(v)
         << "</td></tr>\n";
  };
  row("scenario", json_text(m, "scenario", "name"));
  row("description", json_text(m, "scenario", "description"));
  row("file", json_text(m, "scenario", "file"));
  row("hash", json_text(m, "scenario", "hash"));
  row("command", json_text(m, "command"));
  row("program", json_text(m, "program"));
  row("engine", json_text(m, "engine"));
  row("seed", json_text(m, "seed"));
  row("replicates", json_text(m, "replicates"));
  row("seed derivation", json_text(m, "seed_derivation"));
  for (auto& a : res.axes) {
    std::string vals;
    for (auto& v : a.values)
      vals += (vals.empty() ? "" : ", ") + v;
    row("swept: " + a.key, vals);
  }
  row("summaries from", res.source);
  os << "</table>\n";
  // The resolved parameters of the first cell (the others differ only in
  // the swept values).
  auto cells = m.find("cells");
  if (cells != m.end() && cells->is_array() && !cells->empty()
      && (*cells)[0].is_object() && (*cells)[0].contains("resolved")
      && (*cells)[0]["resolved"].is_object()) {
    auto& r = (*cells)[0]["resolved"];
    if (r.contains("params") && r["params"].is_object()) {
      os << "<p>Parameters of cell 0 (other cells differ only in the swept "
            "values):</p>\n<div class=\"wide\"><table><tr>";
      for (auto& [k, v] : r["params"].items())
        os << "<th>" << html_escape(k) << "</th>";
      os << "</tr><tr>";
      for (auto& [k, v] : r["params"].items())
        os << "<td>"
           << html_escape(v.is_string() ? v.get<std::string>() : v.dump())
           << "</td>";
      os << "</tr></table></div>\n";
    }
    if (r.contains("agents") && r["agents"].is_array()) {
      os << "<p>Agents (ground truth <b>"
         << html_escape(json_text(r, "ground_truth"))
         << "</b>):</p>\n<table><tr><th>group</th><th>count</th>"
            "<th>latency</th><th>fail</th><th>no answer</th><th>crash "
            "after</th><th>answers</th><th>behaviour</th><th>noise</th></tr>\n";
      for (auto& g : r["agents"]) {
        if (!g.is_object())
          continue;
        os << "<tr><td>" << html_escape(json_text(g, "name")) << "</td><td>"
           << html_escape(json_text(g, "count")) << "</td><td>"
           << html_escape(json_text(g, "latency")) << "</td><td>"
           << html_escape(json_text(g, "fail")) << "</td><td>"
           << html_escape(json_text(g, "no_answer")) << "</td><td>"
           << html_escape(json_text(g, "crash_after")) << "</td><td>"
           << html_escape(json_text(g, "answers")) << "</td><td>"
           << html_escape(json_text(g, "behaviour")) << "</td><td>"
           << html_escape(json_text(g, "noise")) << "</td></tr>\n";
      }
      os << "</table>\n";
    }
  }
  os << "<details><summary>The whole manifest (manifest.json)</summary>\n"
     << "<pre>" << html_escape(m.dump(2)) << "</pre></details>\n";
}

void summary_section(std::ostream& os, const results& res,
                     const baselines* base) {
  os << "<h2 id=\"summary\">Summary</h2>\n"
        "<p class=\"note\">Rates with [95% Wilson interval]; means with "
        "&plusmn; the 95% t-interval half-width.</p>\n<table>\n<tr>"
        "<th>cell</th>";
  for (auto& a : res.axes)
    os << "<th>" << html_escape(a.key) << "</th>";
  os << "<th>runs</th><th>finalized</th><th>accuracy</th><th>acc. among "
        "finalized</th><th>rounds</th><th>sim. latency s</th>"
        "<th>calls</th></tr>\n";
  // Missing cells are listed one by one when there are few of them; rows
  // stop after max_table_rows (summary.csv has every cell).
  size_t missing = 0;
  for (auto& c : res.cells)
    if (!c.present)
      ++missing;
  bool list_missing = missing <= max_missing_rows;
  size_t rows = 0;
  size_t skipped = 0;
  for (auto& c : res.cells) {
    if (!c.present && !list_missing)
      continue;
    if (rows == max_table_rows) {
      ++skipped;
      continue;
    }
    ++rows;
    os << "<tr><td class=\"num\">" << c.cell << "</td>";
    for (size_t i = 0; i < res.axes.size(); ++i)
      os << "<td>" << html_escape(res.axes[i].values[c.coords[i]]) << "</td>";
    if (!c.present) {
      os << "<td colspan=\"7\"><i>no results</i></td></tr>\n";
      continue;
    }
    os << "<td class=\"num\">" << c.runs << "</td><td class=\"num\">"
       << rate_html(c.finalize_rate) << "</td><td class=\"num\">"
       << rate_html(c.accuracy) << "</td><td class=\"num\">"
       << rate_html(c.accuracy_finalized) << "</td><td class=\"num\">"
       << mean_html(c.rounds, 2) << "</td><td class=\"num\">"
       << mean_html(c.latency_ms, 1, 0.001) << "</td><td class=\"num\">"
       << mean_html(c.calls, 1) << "</td></tr>\n";
  }
  os << "</table>\n";
  if (!list_missing)
    os << "<p class=\"note\">" << missing << " of " << res.cells.size()
       << " cells have no results and are not listed.</p>\n";
  if (skipped > 0)
    os << "<p class=\"note\">The table stops after " << max_table_rows
       << " cells; " << skipped
       << " more are in summary.jsonl / summary.csv.</p>\n";
  if (base == nullptr)
    return;
  os << "<h2 id=\"baselines\">Baselines: <code>vote</code> at the same "
        "seeds</h2>\n"
        "<p class=\"note\">Each cell's runs repeated with policy "
        "<code>vote</code> and the same run seeds (so round 0 draws the same "
        "answers): <b>majority after round 0</b> (self-consistency, one call "
        "per agent) and <b>equal calls</b>: debate-then-vote with the number "
        "of rounds whose calls per run come closest to the cell's mean "
        "calls.</p>\n<div class=\"wide\"><table>\n<tr><th rowspan=\"2\">"
        "cell</th><th colspan=\"3\">this scenario</th><th colspan=\"3\">"
        "vote, majority after round 0</th><th colspan=\"4\">vote at equal "
        "calls</th></tr>\n<tr><th>calls</th><th>accuracy</th><th>finalized"
        "</th><th>calls</th><th>accuracy</th><th>finalized</th><th>rounds"
        "</th><th>calls</th><th>accuracy</th><th>finalized</th></tr>\n";
  size_t base_rows = 0;
  for (auto& c : res.cells) {
    if (!c.present || base_rows++ >= max_table_rows)
      continue;
    auto& b0 = base->round0[c.cell];
    auto& be = base->equal_calls[c.cell];
    os << "<tr><td>" << html_escape(c.label.empty() ? "all" : c.label)
       << "</td><td class=\"num\">" << mean_html(c.calls, 1)
       << "</td><td class=\"num\">" << rate_html(c.accuracy)
       << "</td><td class=\"num\">" << rate_html(c.finalize_rate)
       << "</td><td class=\"num\">" << mean_html(b0.calls, 1)
       << "</td><td class=\"num\">" << rate_html(b0.accuracy)
       << "</td><td class=\"num\">" << rate_html(b0.finalize_rate)
       << "</td><td class=\"num\">" << base->budget_rounds[c.cell]
       << "</td><td class=\"num\">" << mean_html(be.calls, 1)
       << "</td><td class=\"num\">" << rate_html(be.accuracy)
       << "</td><td class=\"num\">" << rate_html(be.finalize_rate)
       << "</td></tr>\n";
  }
  os << "</table></div>\n";
}

void policy_section(std::ostream& os, const results& res) {
  auto a = std::find_if(res.axes.begin(), res.axes.end(),
                        [](const result_axis& x) { return x.key == "policy"; });
  if (a == res.axes.end())
    return;
  auto ai = static_cast<size_t>(a - res.axes.begin());
  os << "<h2 id=\"policies\">Policies compared</h2>\n"
        "<p class=\"note\">Each policy pooled over the other swept "
        "parameters.</p>\n<table>\n<tr><th>policy</th><th>runs</th>"
        "<th>finalized</th><th>accuracy</th><th>acc. among finalized</th>"
        "<th>rounds</th><th>sim. latency s</th><th>calls</th></tr>\n";
  auto pooled = pooled_by(res.cells, res.axes, ai);
  for (size_t v = 0; v < a->values.size(); ++v) {
    auto& c = pooled[v];
    os << "<tr><td>" << html_escape(a->values[v]) << "</td>";
    if (!c.present) {
      os << "<td colspan=\"7\"><i>no results</i></td></tr>\n";
      continue;
    }
    os << "<td class=\"num\">" << c.runs << "</td><td class=\"num\">"
       << rate_html(c.finalize_rate) << "</td><td class=\"num\">"
       << rate_html(c.accuracy) << "</td><td class=\"num\">"
       << rate_html(c.accuracy_finalized) << "</td><td class=\"num\">"
       << mean_html(c.rounds, 2) << "</td><td class=\"num\">"
       << mean_html(c.latency_ms, 1, 0.001) << "</td><td class=\"num\">"
       << mean_html(c.calls, 1) << "</td></tr>\n";
  }
  os << "</table>\n";
}

} // namespace

std::string report_html(const results& res,
                        const std::vector<chart_file>& charts,
                        const baselines* base) {
  std::ostringstream os;
  auto name = scenario_name(res);
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>Report: "
     << html_escape(name) << "</title>\n<style>" << css
     << "</style>\n</head>\n<body>\n<h1>Report: " << html_escape(name)
     << "</h1>\n";
  auto desc = json_text(res.manifest, "scenario", "description");
  if (!desc.empty())
    os << "<p>" << html_escape(desc) << "</p>\n";
  os << "<p class=\"note\">Generated by " << html_escape(program_version)
     << " (<code>consensus-sim report</code>) from <code>"
     << html_escape(res.dir) << "</code>. Self-contained: the charts below "
     << "are inline SVG drawn by gnuplot; the same charts are in "
        "<code>charts/</code> as SVG and PNG files.</p>\n"
     << "<p><a href=\"#scenario\">Scenario</a> &middot; <a "
        "href=\"#summary\">Summary</a> &middot; <a "
        "href=\"#charts\">Charts</a>"
     << (base != nullptr ? " &middot; <a href=\"#baselines\">Baselines</a>"
                         : "")
     << "</p>\n";
  scenario_section(os, res);
  summary_section(os, res, base);
  policy_section(os, res);
  os << "<h2 id=\"charts\">Charts</h2>\n"
        "<p class=\"note\">Lines: observed values; shaded bands and error "
        "bars: 95% intervals (Wilson for rates, Student t for means). Dashed: "
        "the <code>vote</code> baselines.</p>\n";
  for (size_t i = 0; i < charts.size(); ++i) {
    auto& c = charts[i];
    os << "<figure class=\"chart\" id=\"chart-" << html_escape(c.name)
       << "\" data-chart=\"" << html_escape(c.name) << "\">\n"
       << inline_svg(c.svg, "c" + std::to_string(i) + "-") << "\n"
       << "<figcaption>" << html_escape(c.caption)
       << " Files: <a href=\"charts/" << html_escape(c.name)
       << ".svg\">SVG</a>, <a href=\"charts/" << html_escape(c.name)
       << ".png\">PNG</a>.</figcaption>\n</figure>\n";
  }
  os << "<h2>How to read this</h2>\n<ul class=\"note\">\n"
        "<li><b>finalized</b>: share of runs whose winner reached beta_2 "
        "(Phase II finality).</li>\n"
        "<li><b>accuracy</b>: share of runs whose winner gave the "
        "ground-truth answer.</li>\n"
        "<li><b>accuracy among finalized</b>: the safety of finality.</li>\n"
        "<li><b>rounds</b>: refinement rounds executed (the early stop at "
        "beta_1 makes it smaller than the <code>rounds</code> "
        "parameter).</li>\n"
        "<li><b>simulated latency</b>: the sum over rounds of the slowest "
        "call (virtual time).</li>\n"
        "<li><b>calls</b>: execute calls per run: what real model calls "
        "would cost.</li>\n</ul>\n</body>\n</html>\n";
  return os.str();
}

expected<report_written> write_report(const results& res,
                                      const report_options& opts) {
  auto out_dir = opts.out_dir.empty() ? (fs::path{res.dir} / "report").string()
                                      : opts.out_dir;
  std::error_code ec;
  fs::create_directories(fs::path{out_dir} / "charts", ec);
  if (ec)
    return make_error(errc::malformed_input, "cannot create '" + out_dir
                                               + "/charts': " + ec.message());
  report_written written;
  std::vector<chart_file> files;
  auto write = [&](const fs::path& p, const std::string& bytes) -> error {
    std::ofstream f{p, std::ios::binary | std::ios::trunc};
    f << bytes;
    f.close();
    if (!f)
      return make_error(errc::malformed_input,
                        "cannot write '" + p.string() + "'");
    return {};
  };
  auto emit = [&](const std::string& name, const auto& chart,
                  const std::string& caption) -> error {
    auto svg = draw(chart, plot_format::svg, opts.gnuplot);
    if (!svg)
      return make_error(errc::execute_failed,
                        "chart '" + name + "': " + render(svg.error()));
    auto svg_path = fs::path{out_dir} / "charts" / (name + ".svg");
    if (auto err = write(svg_path, *svg))
      return err;
    written.chart_paths.push_back(svg_path.string());
    if (opts.png) {
      auto png = draw(chart, plot_format::png, opts.gnuplot);
      if (!png)
        return make_error(errc::execute_failed,
                          "chart '" + name + "' (PNG): " + render(png.error()));
      auto png_path = fs::path{out_dir} / "charts" / (name + ".png");
      if (auto err = write(png_path, *png))
        return err;
      written.chart_paths.push_back(png_path.string());
    }
    files.push_back(chart_file{name, chart.title, caption, std::move(*svg)});
    return {};
  };
  for (auto& [name, chart] : line_charts(res, opts.base)) {
    std::string caption = res.axes.empty()
                            ? "The scenario's only cell."
                            : "Finalize rate, accuracy, accuracy among "
                              "finalized runs, mean rounds, simulated latency "
                              "and calls against "
                                + chart.xlabel + ", with 95% intervals.";
    if (auto err = emit(name, chart, caption))
      return err;
  }
  for (auto& [name, chart] : heatmaps(res))
    if (auto err = emit(name, chart,
                        "Heatmap of " + chart.xlabel + " (x) and "
                          + chart.ylabel
                          + " (y): finalize rate, accuracy, accuracy among "
                            "finalized runs and mean rounds."))
      return err;
  auto html = report_html(res, files, opts.base);
  auto html_path = fs::path{out_dir} / "index.html";
  if (auto err = write(html_path, html))
    return err;
  written.html_path = html_path.string();
  return written;
}

} // namespace caf::consensus::sim

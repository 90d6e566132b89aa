// caf-consensus benchmarks: turns Google Benchmark JSON output into the
// tables of docs/performance.md and checks the targets of issue 7.
//
//   consensus-bench-report FILE.json...
//
// Reads every file (the outputs of consensus-bench and consensus-bench-sweep,
// usually with repetitions), takes the median of each benchmark's
// repetitions, prints Markdown to stdout and exits with 0. Exit status 1 and
// a message on stderr for a file that cannot be read or is not Google
// Benchmark JSON. A benchmark that is missing or failed shows as "not
// measured" and its targets as "not measured", never as met.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;

// -- reading ------------------------------------------------------------------

/// The median of one benchmark over its repetitions.
struct measurement {
  double real_ns = 0;
  double cpu_ns = 0;
  /// Items per second (0 if the benchmark sets none).
  double items_per_second = 0;
  std::map<std::string, double> counters;
  size_t repetitions = 0;
};

struct samples {
  std::vector<double> real_ns;
  std::vector<double> cpu_ns;
  std::vector<double> items_per_second;
  std::map<std::string, std::vector<double>> counters;
  std::optional<measurement> median_aggregate;
  std::string error;
};

double median(std::vector<double> xs) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

double to_ns(double x, const std::string& unit) {
  if (unit == "ns")
    return x;
  if (unit == "us")
    return x * 1e3;
  if (unit == "ms")
    return x * 1e6;
  if (unit == "s")
    return x * 1e9;
  throw std::runtime_error("unknown time_unit '" + unit + "'");
}

const std::vector<std::string> known_keys = {"name",
                                             "family_index",
                                             "per_family_instance_index",
                                             "run_name",
                                             "run_type",
                                             "repetitions",
                                             "repetition_index",
                                             "threads",
                                             "iterations",
                                             "real_time",
                                             "cpu_time",
                                             "time_unit",
                                             "items_per_second",
                                             "aggregate_name",
                                             "aggregate_unit",
                                             "error_occurred",
                                             "error_message",
                                             "bytes_per_second",
                                             "label"};

struct context {
  std::string host;
  std::string date;
  int num_cpus = 0;
  double mhz = 0;
  std::vector<double> load;
  std::string build_type;
};

class reader {
public:
  /// Reads one file; throws std::runtime_error naming the file and problem.
  void read(const std::string& file) {
    std::ifstream in{file};
    if (!in)
      throw std::runtime_error(file + ": cannot open file");
    json doc;
    try {
      doc = json::parse(in);
    } catch (const json::parse_error& e) {
      throw std::runtime_error(file + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("benchmarks")
        || !doc["benchmarks"].is_array())
      throw std::runtime_error(file
                               + ": not Google Benchmark JSON output (no "
                                 "\"benchmarks\" array; run the benchmark "
                                 "with --benchmark_out_format=json)");
    if (!have_context_ && doc.contains("context")
        && doc["context"].is_object()) {
      read_context(doc["context"]);
      have_context_ = true;
    }
    size_t index = 0;
    for (auto& b : doc["benchmarks"]) {
      auto where = file + ": benchmarks[" + std::to_string(index++) + "]";
      try {
        read_entry(b, where);
      } catch (const json::exception& e) {
        throw std::runtime_error(where + ": " + e.what());
      }
    }
  }

  std::optional<measurement> get(const std::string& name) const {
    auto i = runs_.find(name);
    if (i == runs_.end() || !i->second.error.empty())
      return std::nullopt;
    auto& s = i->second;
    if (s.median_aggregate)
      return s.median_aggregate;
    if (s.real_ns.empty())
      return std::nullopt;
    measurement m;
    m.real_ns = median(s.real_ns);
    m.cpu_ns = median(s.cpu_ns);
    m.items_per_second = median(s.items_per_second);
    for (auto& [k, v] : s.counters)
      m.counters[k] = median(v);
    m.repetitions = s.real_ns.size();
    return m;
  }

  /// Returns the error of a failed benchmark, empty otherwise.
  std::string error(const std::string& name) const {
    auto i = runs_.find(name);
    return i == runs_.end() ? std::string{} : i->second.error;
  }

  const context& ctx() const {
    return ctx_;
  }

  size_t size() const {
    return runs_.size();
  }

private:
  void read_context(const json& c) {
    auto str = [&](const char* key) {
      return c.contains(key) && c[key].is_string() ? c[key].get<std::string>()
                                                   : std::string{};
    };
    if (ctx_.host.empty())
      ctx_.host = str("host_name");
    if (ctx_.date.empty())
      ctx_.date = str("date");
    if (ctx_.build_type.empty())
      ctx_.build_type = str("library_build_type");
    if (c.contains("num_cpus") && c["num_cpus"].is_number())
      ctx_.num_cpus = c["num_cpus"].get<int>();
    if (c.contains("mhz_per_cpu") && c["mhz_per_cpu"].is_number())
      ctx_.mhz = c["mhz_per_cpu"].get<double>();
    if (c.contains("load_avg") && c["load_avg"].is_array())
      for (auto& x : c["load_avg"])
        if (x.is_number())
          ctx_.load.push_back(x.get<double>());
  }

  static double number(const json& b, const char* key,
                       const std::string& where) {
    if (!b.contains(key) || !b[key].is_number())
      throw std::runtime_error(where + ": missing or non-numeric \"" + key
                               + "\"");
    return b[key].get<double>();
  }

  void read_entry(const json& b, const std::string& where) {
    if (!b.is_object() || !b.contains("name") || !b["name"].is_string())
      throw std::runtime_error(where + ": not a benchmark entry (no name)");
    auto run_name = b.contains("run_name") && b["run_name"].is_string()
                      ? b["run_name"].get<std::string>()
                      : b["name"].get<std::string>();
    auto& s = runs_[run_name];
    if (b.value("error_occurred", false)) {
      s.error = b.value("error_message", std::string{"failed"});
      return;
    }
    auto unit = b.value("time_unit", std::string{"ns"});
    auto run_type = b.value("run_type", std::string{"iteration"});
    measurement m;
    m.real_ns = to_ns(number(b, "real_time", where), unit);
    m.cpu_ns = to_ns(number(b, "cpu_time", where), unit);
    if (b.contains("items_per_second") && b["items_per_second"].is_number())
      m.items_per_second = b["items_per_second"].get<double>();
    for (auto& [k, v] : b.items())
      if (v.is_number()
          && std::find(known_keys.begin(), known_keys.end(), k)
               == known_keys.end())
        m.counters[k] = v.get<double>();
    if (run_type == "aggregate") {
      if (b.value("aggregate_name", std::string{}) == "median") {
        m.repetitions = static_cast<size_t>(b.value("repetitions", 0));
        s.median_aggregate = m;
      }
      return;
    }
    s.real_ns.push_back(m.real_ns);
    s.cpu_ns.push_back(m.cpu_ns);
    s.items_per_second.push_back(m.items_per_second);
    for (auto& [k, v] : m.counters)
      s.counters[k].push_back(v);
  }

  std::map<std::string, samples> runs_;
  context ctx_;
  bool have_context_ = false;
};

// -- formatting ---------------------------------------------------------------

std::string fmt(double x, int digits = 3) {
  if (!std::isfinite(x))
    return "n/a";
  std::ostringstream os;
  os.precision(digits);
  if (std::fabs(x) >= 1e9 || (std::fabs(x) < 1e-2 && x != 0))
    os << std::scientific << x;
  else
    os << std::fixed << x;
  return os.str();
}

std::string fmt_time(double ns) {
  if (ns >= 1e9)
    return fmt(ns / 1e9, 2) + " s";
  if (ns >= 1e6)
    return fmt(ns / 1e6, 2) + " ms";
  if (ns >= 1e3)
    return fmt(ns / 1e3, 1) + " µs";
  return fmt(ns, 0) + " ns";
}

const std::string not_measured = "not measured";

struct verdict {
  std::string target;
  std::string measured;
  std::string required;
  std::optional<bool> met; // nullopt: not measured
  /// An extra view of a target (not counted in the summary).
  bool reference = false;
};

std::string status(const verdict& v) {
  if (!v.met)
    return "**not measured**";
  return *v.met ? "met" : "**missed**";
}

// -- the report ---------------------------------------------------------------

struct shape {
  const char* name;
  const char* python_label;
};

/// Python reference (issue 7): runs/s of shape S and M with 50 and 300 words.
double python_reference(const std::string& shape, int words) {
  if (shape == "S")
    return words == 50 ? 2660 : 680;
  return words == 50 ? 160 : 33;
}

void report(const reader& r) {
  auto& c = r.ctx();
  std::cout << "## Machine and run\n\n"
            << "- host: " << (c.host.empty() ? "?" : c.host) << ", "
            << c.num_cpus << " CPUs";
  if (c.mhz > 0)
    std::cout << " @ " << fmt(c.mhz, 0) << " MHz";
  std::cout << "\n- date: " << (c.date.empty() ? "?" : c.date);
  if (!c.load.empty()) {
    std::cout << "\n- load average at start:";
    for (auto x : c.load)
      std::cout << " " << fmt(x, 2);
  }
  std::cout << "\n- times are medians of the repetitions (wall clock, "
               "`UseRealTime`)\n\n";
  std::vector<verdict> verdicts;
  // Floors.
  std::cout << "## Floors\n\n| floor | median | per item |\n|---|---|---|\n";
  for (auto sh : {"S", "M"})
    for (int words : {50, 300})
      for (auto kind : {"tokenize", "tokenize_ids", "api_copies"}) {
        auto name = std::string{"floor/"} + kind + "/" + sh + "/w"
                    + std::to_string(words) + "/real_time";
        auto m = r.get(name);
        auto what = std::string{kind} == "api_copies"
                      ? "API copies of one run (no logic)"
                      : std::string{kind} + " every output of one run";
        std::cout << "| " << what << ", " << sh << ", " << words << " words | "
                  << (m ? fmt_time(m->real_ns) : not_measured) << " | ";
        if (m && m->counters.count("outputs"))
          std::cout << fmt_time(m->real_ns / m->counters.at("outputs"))
                    << " per output";
        std::cout << " |\n";
      }
  auto per_item = [](const std::optional<measurement>& m) {
    return m && m->items_per_second > 0 ? 1e9 / m->items_per_second : NAN;
  };
  for (auto sched : {"sharing", "stealing"}) {
    auto m = r.get(std::string{"floor/round_trip/"} + sched + "/real_time");
    std::cout << "| CAF round trip actor→actor (" << sched << ", 1 thread) | "
              << (m ? fmt_time(m->real_ns) + " per 1000" : not_measured)
              << " | " << (m ? fmt_time(per_item(m)) : "") << " |\n";
    m = r.get(std::string{"floor/round_trip_blocking/"} + sched + "/real_time");
    std::cout << "| CAF round trip blocking caller→actor (" << sched << ") | "
              << (m ? fmt_time(m->real_ns) : not_measured) << " | "
              << (m ? fmt_time(per_item(m)) : "") << " |\n";
  }
  for (int n : {5, 50, 1000}) {
    auto m
      = r.get("floor/fan_out/sharing/N=" + std::to_string(n) + "/real_time");
    std::cout << "| fan-out/fan-in to N=" << n << " actors | "
              << (m ? fmt_time(m->real_ns) + " per iteration" : not_measured)
              << " | " << (m ? fmt_time(per_item(m)) + " per pair" : "")
              << " |\n";
  }
  auto rt = r.get("floor/round_trip/sharing/real_time");
  auto rt_ns = per_item(rt);
  // Whole runs.
  std::cout << "\n## Whole runs\n\n"
            << "| shape | words | policy | inline runs/s | actors runs/s | "
               "actors (reused actors) runs/s | inline / token-id floor | "
               "inline / text::tokenize floor | actors − inline | "
               "budget 2·calls·RT | Python runs/s | inline ×Py | actors ×Py "
               "|\n"
            << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (auto sh : {"S", "M"})
    for (int words : {50, 300})
      for (auto policy : {"hanzo", "metastable"}) {
        auto base = std::string{"run/"} + sh + "/w" + std::to_string(words)
                    + "/" + policy + "/";
        auto in = r.get(base + "inline/real_time");
        auto ac = r.get(base + "actors/real_time");
        auto reused = r.get(base + "actors_reused/real_time");
        auto floor = r.get(std::string{"floor/tokenize_ids/"} + sh + "/w"
                           + std::to_string(words) + "/real_time");
        auto string_floor = r.get(std::string{"floor/tokenize/"} + sh + "/w"
                                  + std::to_string(words) + "/real_time");
        auto py = python_reference(sh, words);
        auto label = std::string{sh} + " w" + std::to_string(words) + " "
                     + policy;
        double ratio = in && floor ? in->real_ns / floor->real_ns : NAN;
        double string_ratio
          = in && string_floor ? in->real_ns / string_floor->real_ns : NAN;
        double calls = ac && ac->counters.count("calls")
                         ? ac->counters.at("calls")
                         : (in && in->counters.count("calls")
                              ? in->counters.at("calls")
                              : NAN);
        double extra = in && ac ? ac->real_ns - in->real_ns : NAN;
        double budget = 2 * calls * rt_ns;
        double in_rate = in ? 1e9 / in->real_ns : NAN;
        double ac_rate = ac ? 1e9 / ac->real_ns : NAN;
        std::cout << "| " << sh << " | " << words << " | " << policy << " | "
                  << (in ? fmt(in_rate, 0) : not_measured) << " | "
                  << (ac ? fmt(ac_rate, 0) : not_measured) << " | "
                  << (reused ? fmt(1e9 / reused->real_ns, 0) : "–") << " | "
                  << fmt(ratio, 2) << " | " << fmt(string_ratio, 2) << " | "
                  << fmt_time(extra) << " | " << fmt_time(budget) << " | "
                  << fmt(py, 0) << " | " << fmt(in_rate / py, 1) << " | "
                  << fmt(ac_rate / py, 1) << " |\n";
        verdicts.push_back(
          {"inline ≤ 2× tokenization floor, interned ids (" + label + ")",
           fmt(ratio, 2) + "×", "≤ 2×",
           std::isfinite(ratio) ? std::optional<bool>{ratio <= 2.0}
                                : std::nullopt});
        verdicts.push_back(
          {"(reference) inline ≤ 2× tokenization floor, text::tokenize ("
             + label + ")",
           fmt(string_ratio, 2) + "×", "≤ 2×",
           std::isfinite(string_ratio)
             ? std::optional<bool>{string_ratio <= 2.0}
             : std::nullopt,
           true});
        verdicts.push_back({"actors ≤ inline + 2·calls·RT (" + label + ")",
                            "+" + fmt_time(extra), "≤ +" + fmt_time(budget),
                            std::isfinite(extra) && std::isfinite(budget)
                              ? std::optional<bool>{extra <= budget}
                              : std::nullopt});
        if (reused) {
          double reused_extra = in ? reused->real_ns - in->real_ns : NAN;
          verdicts.push_back(
            {"(reference) actors with reused actors ≤ inline + 2·calls·RT ("
               + label + ")",
             "+" + fmt_time(reused_extra), "≤ +" + fmt_time(budget),
             std::isfinite(reused_extra) && std::isfinite(budget)
               ? std::optional<bool>{reused_extra <= budget}
               : std::nullopt,
             true});
        }
        verdicts.push_back({"inline ≥ 30× Python (" + label + ")",
                            fmt(in_rate / py, 1) + "×", "≥ 30×",
                            std::isfinite(in_rate)
                              ? std::optional<bool>{in_rate >= 30 * py}
                              : std::nullopt});
        verdicts.push_back({"actors ≥ 10× Python (" + label + ")",
                            fmt(ac_rate / py, 1) + "×", "≥ 10×",
                            std::isfinite(ac_rate)
                              ? std::optional<bool>{ac_rate >= 10 * py}
                              : std::nullopt});
      }
  // Scaling.
  std::cout << "\n## Scaling (inline, 5 rounds, k = 3, 50 words)\n\n"
            << "| policy | n | time per run | per participant-round |\n"
            << "|---|---|---|---|\n";
  for (auto policy : {"metastable", "hanzo"}) {
    double lo = INFINITY;
    double hi = 0;
    bool all = true;
    for (int n : {100, 1000, 10000}) {
      auto m = r.get(std::string{"scaling/"} + policy
                     + "/n=" + std::to_string(n) + "/real_time");
      auto per = per_item(m);
      std::cout << "| " << policy << " | " << n << " | "
                << (m ? fmt_time(m->real_ns) : not_measured) << " | "
                << fmt_time(per) << " |\n";
      if (!m)
        all = false;
      else {
        lo = std::min(lo, per);
        hi = std::max(hi, per);
      }
    }
    verdicts.push_back(
      {std::string{"time per participant-round roughly flat, n = 100 … "
                   "10,000 ("}
         + policy + ")",
       "max/min " + fmt(hi / lo, 2), "≤ 1.5",
       all ? std::optional<bool>{hi / lo <= 1.5} : std::nullopt});
  }
  // Memory.
  std::cout << "\n## Shape L (10,000 participants × 5 rounds, inline)\n\n"
            << "| policy | time | peak RSS | of which fixture |\n"
            << "|---|---|---|---|\n";
  for (auto policy : {"metastable", "hanzo"}) {
    auto name = std::string{"memory/L/"} + policy + "/iterations:1/real_time";
    auto m = r.get(name);
    auto err = r.error(name);
    double peak = m && m->counters.count("peak_rss_mb")
                    ? m->counters.at("peak_rss_mb")
                    : NAN;
    double fixture = m && m->counters.count("fixture_mb")
                       ? m->counters.at("fixture_mb")
                       : NAN;
    std::cout << "| " << policy << " | "
              << (m ? fmt_time(m->real_ns)
                    : (err.empty() ? not_measured : "failed: " + err))
              << " | " << fmt(peak, 0) << " MB | " << fmt(fixture, 0)
              << " MB |\n";
    verdicts.push_back(
      {std::string{"shape L completes, peak memory < 512 MB ("} + policy + ")",
       fmt(peak, 0) + " MB", "< 512 MB",
       std::isfinite(peak) ? std::optional<bool>{peak < 512} : std::nullopt});
  }
  // Sweeps.
  std::cout << "\n## Sweep throughput (scenarios/quickstart.yaml, 1600 runs)"
               "\n\n| engine | threads | time per sweep | runs/s |\n"
            << "|---|---|---|---|\n";
  for (auto engine : {"inline", "actors"}) {
    double rate[3] = {NAN, NAN, NAN};
    for (int t : {1, 2}) {
      auto m = r.get(std::string{"sweep/quickstart/"} + engine
                     + "/threads=" + std::to_string(t) + "/real_time");
      if (m)
        rate[t] = m->items_per_second;
      std::cout << "| " << engine << " | " << t << " | "
                << (m ? fmt_time(m->real_ns) : not_measured) << " | "
                << (m ? fmt(m->items_per_second, 0) : "") << " |\n";
    }
    auto speedup = rate[2] / rate[1];
    verdicts.push_back(
      {std::string{"2 threads ≥ 1.7× sweep throughput of 1 ("} + engine + ")",
       fmt(speedup, 2) + "×", "≥ 1.7×",
       std::isfinite(speedup) ? std::optional<bool>{speedup >= 1.7}
                              : std::nullopt});
  }
  // Targets.
  std::cout << "\n## Targets\n\n| target | measured | required | status |\n"
            << "|---|---|---|---|\n";
  size_t met = 0;
  size_t counted = 0;
  for (auto& v : verdicts) {
    std::cout << "| " << v.target << " | " << v.measured << " | " << v.required
              << " | " << status(v) << " |\n";
    if (v.reference)
      continue;
    ++counted;
    if (v.met && *v.met)
      ++met;
  }
  std::cout << "\n"
            << met << " of " << counted
            << " targets met (rows marked (reference) are other views of a "
               "target and not counted).\n";
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string{argv[1]} == "--help"
      || std::string{argv[1]} == "-h") {
    std::cerr << "usage: consensus-bench-report FILE.json...\n"
                 "Reads Google Benchmark JSON output of consensus-bench and "
                 "consensus-bench-sweep\nand prints the tables and target "
                 "checks of docs/performance.md as Markdown.\n";
    return argc < 2 ? 2 : 0;
  }
  reader r;
  try {
    for (int i = 1; i < argc; ++i)
      r.read(argv[i]);
  } catch (const std::exception& e) {
    std::cerr << "consensus-bench-report: " << e.what() << '\n';
    return 1;
  }
  if (r.size() == 0) {
    std::cerr << "consensus-bench-report: no benchmark results in the given "
                 "files\n";
    return 1;
  }
  report(r);
  return 0;
}

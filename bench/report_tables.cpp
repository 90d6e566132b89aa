// caf-consensus benchmarks: prints the tables and target checks of
// docs/performance.md as Markdown for consensus-bench-report.

#include "report_tables.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace caf::consensus::bench {

namespace {

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

/// Time per item of a benchmark that counts items (NaN without).
double per_item(const std::optional<measurement>& m) {
  return m && m->items_per_second > 0 ? 1e9 / m->items_per_second : NAN;
}

void print_machine(const reader& r) {
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
}

void print_floors(const reader& r) {
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
}

void print_runs(const reader& r, std::vector<verdict>& verdicts) {
  auto rt = r.get("floor/round_trip/sharing/real_time");
  auto rt_ns = per_item(rt);
  // Whole runs.
  std::cout << "\n## Whole runs\n\n"
            << "| shape | words | policy | inline runs/s | actors runs/s | "
               "actors (reused actors) runs/s | inline / token-id floor | "
               "inline / text::tokenize floor | actors − inline | "
               "budget 2·calls·RT |\n"
            << "|---|---|---|---|---|---|---|---|---|---|\n";
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
                  << fmt_time(extra) << " | " << fmt_time(budget) << " |\n";
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
      }
}

void print_scaling(const reader& r, std::vector<verdict>& verdicts) {
  std::cout << "\n## Scaling (inline, 5 rounds, k = 3, 50 words)\n\n"
            << "| policy | n | time per run | per participant-round |\n"
            << "|---|---|---|---|\n";
  for (auto policy :
       {"metastable", "hanzo", "snowball", "vote", "sequential",
        "floor/peer_reads", "floor/api_copies", "floor/api_copies_no_peers"}) {
    // The memory floors of these runs (bench/floors_bench.cpp) are printed
    // for comparison.
    auto floor = std::string{policy}.rfind("floor/", 0) == 0;
    auto prefix = floor ? std::string{policy}
                        : "scaling/" + std::string{policy};
    double lo = INFINITY;
    double hi = 0;
    bool all = true;
    for (int n : {100, 1000, 10000}) {
      auto m = r.get(prefix + "/n=" + std::to_string(n) + "/real_time");
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
    if (floor)
      continue; // a floor is a comparison, not a target
    verdicts.push_back(
      {std::string{"time per participant-round flat, n = 100 … 10,000 ("}
         + policy + ")",
       "max/min " + fmt(hi / lo, 2), "≤ 1.3",
       all ? std::optional<bool>{hi / lo <= 1.3} : std::nullopt});
  }
}

void print_memory(const reader& r, std::vector<verdict>& verdicts) {
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
}

void print_sweeps(const reader& r, std::vector<verdict>& verdicts) {
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
}

void print_targets(const std::vector<verdict>& verdicts) {
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

void print_report(const reader& r) {
  print_machine(r);
  std::vector<verdict> verdicts;
  print_floors(r);
  print_runs(r, verdicts);
  print_scaling(r, verdicts);
  print_memory(r, verdicts);
  print_sweeps(r, verdicts);
  print_targets(verdicts);
}

} // namespace caf::consensus::bench

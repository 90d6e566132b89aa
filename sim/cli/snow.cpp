// consensus-sim snow: runs Snow-family studies (scenarios/studies/*.yaml)
// and prints safety and speed per arm, paired with the baseline.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "caf/consensus/sim/snow/study.hpp"
#include "caf/consensus/sim/snow/study_file.hpp"
#include "caf/consensus/sim/snow/text.hpp"
#include "caf/consensus/sim/store/output_file.hpp"
#include "cli/options.hpp"

namespace caf::consensus::cli {

// A named namespace, not an anonymous one: the unity build compiles this file
// together with other commands that have helpers of the same names.
namespace snow_cmd {

using sim::snow::fixed;
using sim::snow::sci;

std::string percent(const sim::snow::proportion& p) {
  return fixed(100 * p.rate, 1) + "%";
}

std::string with_ci(const sim::snow::mean_ci& m, int digits) {
  if (m.n == 0)
    return "–";
  return sim::snow::mean_text(m, digits);
}

/// Disagreement: count/runs, then the exact 95% bounds.
std::string safety(const sim::snow::proportion& p) {
  auto head = std::to_string(p.events) + "/" + std::to_string(p.trials);
  if (p.events == 0)
    return head + " (≤ " + sci(p.upper_one_sided) + ")";
  return head + " (" + sci(p.rate) + " [" + sci(p.low) + ", " + sci(p.high)
         + "])";
}

std::string describe(const sim::snow::config& x) {
  std::ostringstream out;
  out << x.nodes << " nodes, " << x.colours << " colours, K " << x.q.k
      << ", alpha_p " << x.q.alpha_preference << ", alpha_c "
      << x.q.alpha_confidence << ", beta " << x.q.beta << ", "
      << to_string(x.sem) << ", " << to_string(x.sched);
  if (x.adversaries > 0)
    out << ", " << x.adversaries << " " << to_string(x.attack)
        << " adversaries";
  return out.str();
}

std::string synopsis() {
  return "FILE... [--runs N] [--seed S] [--threads N] [--out DIR]\n\n"
         "Runs Snow-family studies (format: docs/studies.md): for each arm,\n"
         "the share of runs in which every honest node decided, the share\n"
         "stopped by the cap, disagreements (two honest nodes deciding\n"
         "differently) with exact 95% bounds (Clopper-Pearson; with none,\n"
         "the one-sided bound 1 - 0.05^(1/runs) ~ 3/runs), with fixed\n"
         "adversaries the share whose first decision was their colour, polls\n"
         "and queries (polls x K) per honest node and steps (async) or\n"
         "rounds (sync) over finished runs, and the\n"
         "paired difference in polls per node against the baseline on the\n"
         "same seeds. Results do not depend on --threads. With --out, DIR\n"
         "gets STUDY.csv (the table), STUDY-decided.csv (share of honest\n"
         "nodes decided after t polls per node) and STUDY-decided.gp (a\n"
         "gnuplot script drawing it).";
}

struct arm_row {
  std::string name;
  sim::snow::config cfg;
  sim::snow::arm_summary s;
  sim::snow::mean_ci paired;
  bool has_paired = false;
};

int run_study(const sim::snow::study_file& st, unsigned threads,
              const std::string& out_dir) {
  std::vector<arm_row> rows;
  std::optional<sim::snow::arm> base;
  auto t0 = std::chrono::steady_clock::now();
  uint64_t total = 0;
  if (st.baseline) {
    base = sim::snow::run_arm(st.baseline->cfg, st.seed, st.runs, threads);
    rows.push_back({st.baseline->name + " (baseline)",
                    st.baseline->cfg,
                    sim::snow::summarize(*base),
                    {},
                    false});
    total += st.runs;
  }
  for (auto& a : st.arms) {
    auto r = sim::snow::run_arm(a.cfg, st.seed, st.runs, threads);
    arm_row row{a.name, a.cfg, sim::snow::summarize(r), {}, false};
    if (base) {
      row.paired = sim::snow::paired_polls_difference(*base, r);
      row.has_paired = true;
    }
    rows.push_back(std::move(row));
    total += st.runs;
  }
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  std::cout << "## " << st.name << " (" << st.runs << " runs per arm, seed "
            << st.seed << ")\n\n";
  for (auto& r : rows)
    std::cout << "- " << r.name << ": " << describe(r.cfg) << '\n';
  std::cout
    << "\n| arm | finished | capped | disagreement (95% bound) "
       "| decided the fixed colour | polls/node [95% CI] | queries/node | "
    << "steps or rounds"
    << " | paired Δ polls/node vs baseline [95% CI] |\n"
    << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  std::ostringstream csv;
  csv << "arm,runs,finished,capped,disagreements,disagreement_upper95,"
         "decided_wrong,polls_per_node,ppn_low,ppn_high,steps,paired_diff,"
         "paired_low,paired_high,paired_n\n";
  for (auto& r : rows) {
    auto& s = r.s;
    std::cout
      << "| " << r.name << " | " << percent(s.finished) << " | "
      << percent(s.capped) << " | " << safety(s.disagreement) << " | "
      << (r.cfg.adversaries > 0 && r.cfg.attack == sim::snow::adversary::fixed
            ? percent(s.decided_wrong)
            : std::string{"–"})
      << " | " << with_ci(s.polls_per_node, 2) << " | "
      << (s.polls_per_node.n > 0 ? fixed(s.polls_per_node.mean * r.cfg.q.k, 0)
                                 : std::string{"–"})
      << " | " << (s.steps.n > 0 ? fixed(s.steps.mean, 0) : "–") << " | "
      << (r.has_paired
            ? with_ci(r.paired, 2) + " (n " + std::to_string(r.paired.n) + ")"
            : "–")
      << " |\n";
    csv << r.name << ',' << s.runs << ',' << s.finished.events << ','
        << s.capped.events << ',' << s.disagreement.events << ','
        << s.disagreement.upper_one_sided << ',' << s.decided_wrong.events
        << ',' << s.polls_per_node.mean << ',' << s.polls_per_node.low << ','
        << s.polls_per_node.high << ',' << s.steps.mean << ','
        << (r.has_paired ? r.paired.mean : 0) << ','
        << (r.has_paired ? r.paired.low : 0) << ','
        << (r.has_paired ? r.paired.high : 0) << ','
        << (r.has_paired ? r.paired.n : 0) << '\n';
  }
  std::cout << '\n';
  std::cerr << st.name << ": " << total << " runs in " << fixed(secs, 1)
            << " s (" << fixed(static_cast<double>(total) / secs, 0)
            << " runs/s)\n";
  if (out_dir.empty())
    return 0;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::ostringstream dec;
  dec << "t";
  for (auto& r : rows)
    dec << ',' << r.name;
  dec << '\n';
  size_t points = 0;
  for (auto& r : rows)
    points = std::max(points, r.s.decided_share.size());
  for (size_t t = 0; t < points; ++t) {
    dec << t + 1;
    for (auto& r : rows)
      dec << ',' << (t < r.s.decided_share.size() ? r.s.decided_share[t] : 1.0);
    dec << '\n';
  }
  auto stem = out_dir + "/" + st.name;
  std::ostringstream gp;
  gp << "set terminal svg size 820,420 font 'sans,12' noenhanced\n"
     << "set output '" << st.name << "-decided.svg'\n"
     << "set datafile separator ','\nset key outside right\n"
     << "set xlabel 'polls per honest node'\n"
     << "set ylabel 'share of honest nodes decided'\nset yrange [0:1.02]\n"
     << "set title '" << st.name << "'\n"
     << "plot for [i=2:" << rows.size() + 1 << "] '" << st.name
     << "-decided.csv' using 1:i with lines lw 2 title columnhead(i)\n";
  for (auto& [path, text] : std::vector<std::pair<std::string, std::string>>{
         {stem + ".csv", csv.str()},
         {stem + "-decided.csv", dec.str()},
         {stem + "-decided.gp", gp.str()}}) {
    if (auto err = sim::write_file(path, text)) {
      std::cerr << "consensus-sim snow: " << render(err) << '\n';
      return 1;
    }
  }
  return 0;
}

} // namespace snow_cmd

int snow(const args& xs) {
  po::options_description desc{"options"};
  std::vector<std::string> files;
  int64_t runs = 0;
  int64_t seed = -1;
  unsigned threads = 0;
  std::string out;
  desc.add_options()("help,h", "show this help")(
    "file", po::value(&files)->required()->multitoken(), "study files")(
    "runs", po::value(&runs), "runs per arm (overrides the file's runs)")(
    "seed", po::value(&seed), "base seed (overrides the file's seed)")(
    "threads", po::value(&threads), "worker threads (default: one per core)")(
    "out", po::value(&out), "write CSV files and a gnuplot script here");
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  if (auto rc = parse("snow", xs, desc, pos, vm, snow_cmd::synopsis().c_str()))
    return *rc;
  if (vm.count("runs") && (runs < 1 || runs > 100000000)) {
    std::cerr << "consensus-sim snow: --runs must be in [1, 10^8], got " << runs
              << '\n';
    return 2;
  }
  if (threads > 1024) {
    std::cerr << "consensus-sim snow: --threads must be in [0, 1024], got "
              << threads << '\n';
    return 2;
  }
  int rc = 0;
  for (auto& file : files) {
    auto st = sim::snow::load_study(file);
    if (!st) {
      std::cerr << context_text(st.error()) << '\n';
      rc = 1;
      continue;
    }
    if (vm.count("runs"))
      st->runs = static_cast<uint64_t>(runs);
    if (vm.count("seed"))
      st->seed = static_cast<uint64_t>(seed);
    if (auto r = snow_cmd::run_study(*st, threads, out); r != 0)
      rc = r;
  }
  return rc;
}

} // namespace caf::consensus::cli

// caf-consensus sim: the HTML page of a report: style, the scenario and
// manifest, the summary and baseline tables, the policy comparison, the
// charts inlined and how to read them.

#include "caf/consensus/sim/report/report_page.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/report/internal/format.hpp"
#include "caf/consensus/sim/report/internal/results_view.hpp"
#include "caf/consensus/sim/report/internal/words.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;
using report_internal::answers_words;
using report_internal::behaviour_words;
using report_internal::crash_words;
using report_internal::fmt;
using report_internal::latency_words;
using report_internal::number_words;
using report_internal::param_words;
using report_internal::pooled_by;
using report_internal::scenario_name;
using report_internal::share_words;

namespace {

// -- limits -------------------------------------------------------------------

constexpr size_t max_table_rows = 5000;
constexpr size_t max_missing_rows = 50;

// -- cells and style ----------------------------------------------------------

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

/// A paired difference with its interval: +0.012 [-0.003, +0.027].
std::string gain_html(const mean_ci& m) {
  if (m.n == 0)
    return "&ndash;";
  auto sgn = [](double x) {
    return (x >= 0 ? "+" : "&minus;") + fmt(std::abs(x), 3);
  };
  return sgn(m.value) + " <small>[" + sgn(m.lo) + ", " + sgn(m.hi)
         + "]</small>";
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

// -- sections -----------------------------------------------------------------

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
        os << "<td>" << html_escape(param_words(k, v)) << "</td>";
      os << "</tr></table></div>\n";
    }
    if (r.contains("agents") && r["agents"].is_array()) {
      // In words: distributions with their parameters, shares as
      // percentages, sentinels (crash_after -1) as what they mean.
      os << "<p>Agents (ground truth <b>"
         << html_escape(json_text(r, "ground_truth"))
         << "</b>):</p>\n<table><tr><th>group</th><th>count</th>"
            "<th>latency</th><th>calls failing</th><th>calls without an "
            "answer</th><th>crashes</th><th>answers</th><th>"
            "behaviour</th><th>noise</th></tr>\n";
      for (auto& g : r["agents"]) {
        if (!g.is_object())
          continue;
        auto at = [&g](const char* key) { return g.value(key, json{}); };
        os << "<tr><td>" << html_escape(json_text(g, "name")) << "</td><td>"
           << html_escape(number_words(at("count"))) << "</td><td>"
           << html_escape(latency_words(at("latency"))) << "</td><td>"
           << html_escape(share_words(at("fail"), "calls")) << "</td><td>"
           << html_escape(share_words(at("no_answer"), "calls")) << "</td><td>"
           << html_escape(crash_words(at("crash_after"))) << "</td><td>"
           << html_escape(answers_words(at("answers"))) << "</td><td>"
           << html_escape(behaviour_words(g)) << "</td><td>"
           << html_escape(share_words(at("noise"), "words")) << "</td></tr>\n";
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
        "<th>calls</th>";
  bool baseline = std::any_of(res.cells.begin(), res.cells.end(),
                              [](auto& c) { return c.has_baseline; });
  if (baseline)
    os << "<th title=\"plain majority vote over the same number of calls, "
          "same agents and seeds\">vote at equal calls</th><th "
          "title=\"accuracy minus vote at equal calls, paired run by "
          "run\">gain</th><th title=\"expected calibration error of the "
          "winner's confidence\">ECE</th>";
  os << "</tr>\n";
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
      os << "<td colspan=\"" << (baseline ? 10 : 7)
         << "\"><i>no results</i></td></tr>\n";
      continue;
    }
    os << "<td class=\"num\">" << c.runs << "</td><td class=\"num\">"
       << rate_html(c.finalize_rate) << "</td><td class=\"num\">"
       << rate_html(c.accuracy) << "</td><td class=\"num\">"
       << rate_html(c.accuracy_finalized) << "</td><td class=\"num\">"
       << mean_html(c.rounds, 2) << "</td><td class=\"num\">"
       << mean_html(c.latency_ms, 1, 0.001) << "</td><td class=\"num\">"
       << mean_html(c.calls, 1) << "</td>";
    if (baseline) {
      if (c.has_baseline)
        os << "<td class=\"num\">" << rate_html(c.equal_calls_accuracy)
           << "</td><td class=\"num\">" << gain_html(c.gain_over_equal_calls)
           << "</td><td class=\"num\">" << fmt(c.ece, 3) << "</td>";
      else
        os << "<td></td><td></td><td></td>";
    }
    os << "</tr>\n";
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
        "bars: 95% intervals (Wilson for rates, Student t for means). Long "
        "dashes: the <code>vote</code> baselines. Series differ in colour, "
        "point symbol and dash pattern, and on a named axis their points "
        "stand side by side within a category, so series with equal values "
        "stay visible. Rates run from 0 to 1; rounds, latency and calls from "
        "0. A gap in a line or a gray <i>n/a</i> heatmap cell: no value "
        "there (never a 0).</p>\n";
  if (charts.empty())
    os << "<p class=\"note\">No charts. "
       << (res.axes.empty()
             ? "This scenario sweeps no parameter, so there is nothing to "
               "draw against one; the convergence charts need the per-round "
               "data of a results store (<code>consensus-sim run FILE --out "
               "DIR</code>), which this directory does not have. "
             : "")
       << "The summary table above has the numbers.</p>\n";
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

} // namespace caf::consensus::sim

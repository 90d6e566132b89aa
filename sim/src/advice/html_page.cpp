#include "caf/consensus/sim/advice/internal/html_page.hpp"

#include <algorithm>
#include <sstream>

#include "caf/consensus/sim/advice/internal/format.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim::advice_detail {

std::string advice_page(const advice_report& rep, const std::string& command,
                        const std::vector<chart_file>& charts) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>consensus-sim advice</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 2em auto; max-width: 1100px;"
        " color: #222; padding: 0 1em; }\n"
        "table { border-collapse: collapse; font-size: 0.88em; }\n"
        "th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; "
        "vertical-align: top; text-align: left; }\n"
        "th { background: #f3f3f3; }\n"
        ".holds { color: #1a7f37; font-weight: bold; }\n"
        ".only { color: #9a6700; font-weight: bold; }\n"
        ".not { color: #cf222e; font-weight: bold; }\n"
        ".unknown { color: #57606a; font-weight: bold; }\n"
        "figure.chart { margin: 1.5em 0; border: 1px solid #ddd; padding: "
        "0.5em; }\nfigure.chart svg { width: 100%; height: auto; display: "
        "block; }\n"
        "</style>\n</head>\n<body>\n<h1>Tuning advice: verdicts</h1>\n"
     << "<p>Produced by <code>" << html_escape(command) << "</code> ("
     << html_escape(program_version) << "). Population <b>"
     << html_escape(rep.population_name) << "</b>: " << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "; " << rep.replicates
     << " runs per cell, shared run seeds (base " << rep.seed << "); "
     << rep.runs << " runs.</p>\n"
     << "<p>A claim <b>holds</b> when the 95% interval of its effect lies on "
        "the claimed side of 0, <b>does not hold</b> when the interval rules "
        "out any relevant effect in the claimed direction, and is "
        "<b>inconclusive</b> otherwise; <b>holds only when</b> names the "
        "conditions in which it holds.</p>\n"
     << "<table>\n<tr><th>policy</th><th>claim</th><th>verdict</th>"
        "<th>condition</th><th>effect [95% CI]</th><th>in this condition"
        "</th></tr>\n";
  auto css_class = [](verdict v) {
    switch (v) {
      case verdict::holds:
        return "holds";
      case verdict::holds_only_when:
        return "only";
      case verdict::does_not_hold:
        return "not";
      default:
        return "unknown";
    }
  };
  for (auto& c : rep.claims) {
    auto rows = std::max<size_t>(1, c.conditions.size());
    for (size_t i = 0; i < rows; ++i) {
      os << "<tr>";
      if (i == 0)
        os << "<td rowspan=\"" << rows << "\">" << html_escape(c.policy)
           << "</td><td rowspan=\"" << rows << "\">" << html_escape(c.claim)
           << "<br><small>" << html_escape(c.measure)
           << "</small></td><td rowspan=\"" << rows << "\" class=\""
           << css_class(c.v) << "\">" << html_escape(c.summary) << "</td>";
      if (i < c.conditions.size()) {
        auto& cond = c.conditions[i];
        os << "<td>" << html_escape(cond.condition) << "</td><td>";
        for (auto& [what, e] : cond.effects)
          os << html_escape(what) << ": "
             << html_escape(effect_text(e, precision_of(what))) << "<br>";
        os << "</td><td class=\"" << css_class(cond.v) << "\">"
           << html_escape(to_string(cond.v)) << "<br><small>"
           << html_escape(cond.note) << "</small></td>";
      } else {
        os << "<td></td><td></td><td></td>";
      }
      os << "</tr>\n";
    }
  }
  os << "</table>\n";
  if (!rep.baselines.empty()) {
    os << "<h2>Baselines</h2>\n<p>Default parameters, same run seeds: "
          "accuracy of each policy minus that of <code>vote</code>.</p>\n"
          "<table><tr><th>policy</th><th>calls</th><th>accuracy</th><th>vote "
          "after round 0</th><th>difference</th><th>vote at equal calls</th>"
          "<th>difference</th></tr>\n";
    for (auto& b : rep.baselines)
      os << "<tr><td>" << html_escape(b.policy) << "</td><td>"
         << format_num(b.calls.value, 1) << "</td><td>" << rate_text(b.accuracy)
         << "</td><td>" << rate_text(b.vote0_accuracy) << " ("
         << format_num(b.vote0_calls.value, 1) << " calls)</td><td>"
         << effect_text(b.vs_vote0, 3) << "</td><td>"
         << rate_text(b.budget_accuracy) << " (" << b.budget_rounds
         << " rounds, " << format_num(b.budget_calls.value, 1)
         << " calls)</td><td>" << effect_text(b.vs_budget, 3) << "</td></tr>\n";
    os << "</table>\n";
  }
  os << "<h2>Charts</h2>\n";
  for (size_t i = 0; i < charts.size(); ++i)
    os << "<figure class=\"chart\" id=\"chart-" << html_escape(charts[i].name)
       << "\">\n"
       << inline_svg(charts[i].svg, "a" + std::to_string(i) + "-")
       << "\n<figcaption>" << html_escape(charts[i].title)
       << " (95% bands).</figcaption>\n</figure>\n";
  os << "</body>\n</html>\n";
  return os.str();
}

} // namespace caf::consensus::sim::advice_detail

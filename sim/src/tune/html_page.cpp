// caf-consensus sim: the self-contained HTML page of a `tune` result.

#include <sstream>

#include "caf/consensus/sim/tune/output.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

std::string tune_page(const tune_result& res, const std::string& command,
                      const std::vector<chart_file>& charts) {
  std::ostringstream os;
  os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n<title>consensus-sim tune: "
     << html_escape(res.scenario_name)
     << "</title>\n<style>\n"
        "body { font-family: sans-serif; margin: 2em auto; max-width: 1200px;"
        " color: #222; padding: 0 1em; }\n"
        "pre { font-size: 0.8em; overflow-x: auto; background: #f6f8fa; "
        "padding: 0.8em; }\n"
        "figure.chart { margin: 1.5em 0; border: 1px solid #ddd; padding: "
        "0.5em; }\nfigure.chart svg { width: 100%; height: auto; display: "
        "block; }\n"
        "</style>\n</head>\n<body>\n<h1>Best settings: "
     << html_escape(res.scenario_name) << "</h1>\n"
     << "<p>Produced by <code>" << html_escape(command) << "</code> ("
     << html_escape(program_version) << "). Objective <b>"
     << html_escape(res.objective.text) << "</b>; verdict <b>"
     << html_escape(to_string(res.verdict)) << "</b>";
  if (res.has_choice)
    os << "; chosen cell " << res.chosen << " <b>"
       << html_escape(res.cells[res.chosen].label) << "</b>";
  os << ". Cells race on common run seeds; intervals are "
     << static_cast<int>(100 * res.confidence + 0.5)
     << "% (see docs/tune.md).</p>\n<pre>" << html_escape(tune_text(res))
     << "</pre>\n";
  if (!charts.empty())
    os << "<h2>Charts</h2>\n";
  for (size_t i = 0; i < charts.size(); ++i)
    os << "<figure class=\"chart\" id=\"chart-" << html_escape(charts[i].name)
       << "\">\n"
       << inline_svg(charts[i].svg, "t" + std::to_string(i) + "-")
       << "\n<figcaption>" << html_escape(charts[i].title) << ". "
       << html_escape(charts[i].caption) << "</figcaption>\n</figure>\n";
  os << "</body>\n</html>\n";
  return os.str();
}

} // namespace caf::consensus::sim

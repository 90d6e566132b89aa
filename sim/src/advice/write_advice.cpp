// The folder `consensus-sim advice --out` writes: advice.md, advice.json,
// the charts (SVG, PNG) and index.html.

#include <filesystem>
#include <fstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/advice/internal/html_page.hpp"
#include "caf/consensus/sim/advice/output.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/store/output_file.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;

error write_advice(const advice_report& rep, const std::string& dir,
                   const std::string& command, bool png,
                   const gnuplot_options& gnuplot) {
  std::error_code ec;
  fs::create_directories(fs::path{dir} / "charts", ec);
  if (ec)
    return make_error(errc::malformed_input,
                      "cannot create '" + dir + "/charts': " + ec.message());
  auto write = [&](const fs::path& p, const std::string& bytes) -> error {
    return write_file(p.string(), bytes);
  };
  if (auto err = write(fs::path{dir} / "advice.md",
                       advice_markdown(rep, command)))
    return err;
  if (auto err = write(fs::path{dir} / "advice.json",
                       advice_json(rep, command).dump(2) + "\n"))
    return err;
  std::vector<chart_file> charts;
  for (auto& [name, chart] : advice_charts(rep)) {
    auto svg = draw(chart, plot_format::svg, gnuplot);
    if (!svg)
      return make_error(errc::execute_failed,
                        "chart '" + name + "': " + render(svg.error()));
    if (auto err = write(fs::path{dir} / "charts" / (name + ".svg"), *svg))
      return err;
    if (png) {
      auto img = draw(chart, plot_format::png, gnuplot);
      if (!img)
        return make_error(errc::execute_failed,
                          "chart '" + name + "' (PNG): " + render(img.error()));
      if (auto err = write(fs::path{dir} / "charts" / (name + ".png"), *img))
        return err;
    }
    charts.push_back(chart_file{name, chart.title, "", std::move(*svg)});
  }
  return write(fs::path{dir} / "index.html",
               advice_detail::advice_page(rep, command, charts));
}

} // namespace caf::consensus::sim

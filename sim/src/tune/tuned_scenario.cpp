// caf-consensus sim: the scenario file with the chosen settings, and the
// folder `tune --out` writes.

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/store/output_file.hpp"
#include "caf/consensus/sim/tune/output.hpp"

namespace caf::consensus::sim {

namespace {

/// A sweep value as a YAML flow scalar: numbers, null and booleans plain,
/// anything else double-quoted.
std::string yaml_scalar(const std::string& v) {
  if (v == "null" || v == "~" || v == "true" || v == "false")
    return v;
  if (!v.empty()) {
    char* end = nullptr;
    std::strtod(v.c_str(), &end);
    if (end == v.c_str() + v.size()
        && v.find_first_not_of("0123456789+-.eE") == std::string::npos)
      return v;
  }
  std::string out = "\"";
  for (auto ch : v) {
    if (ch == '"' || ch == '\\')
      out += '\\';
    out += ch;
  }
  return out + '"';
}

/// One line of a comment: control characters as spaces.
std::string comment_text(std::string x) {
  for (auto& ch : x)
    if (static_cast<unsigned char>(ch) < 0x20)
      ch = ' ';
  return x;
}

} // namespace

expected<std::string> tuned_scenario_text(const scenario& s,
                                          const std::string& text,
                                          const tune_result& res) {
  if (!res.has_choice)
    return make_error(errc::invalid_params,
                      "tune: no cell was chosen (no cell meets the "
                      "constraints)");
  auto& chosen = res.cells[res.chosen];
  std::ostringstream out;
  out << "# " << comment_text(s.name) << " with the settings chosen by "
      << "consensus-sim tune\n# (objective: "
      << comment_text(res.objective.text) << "; cell " << res.chosen << ": "
      << comment_text(chosen.label) << "; verdict " << to_string(res.verdict)
      << ").\n";
  try {
    auto root = YAML::Load(text);
    if (!root.IsMap())
      return make_error(errc::malformed_input, s.file + ": not a map of keys");
    root.remove("sweep");
    YAML::Emitter em;
    em << root;
    out << em.c_str() << '\n';
  } catch (const YAML::Exception& e) {
    return make_error(errc::malformed_input, s.file + ": " + e.what());
  }
  if (!chosen.settings.empty()) {
    out << "sweep:\n";
    for (auto& [key, value] : chosen.settings)
      out << "  " << key << ": [" << yaml_scalar(value) << "]\n";
  }
  auto result = out.str();
  // The file must parse back to exactly the chosen settings.
  auto back = parse_scenario(result, s.file + " (tuned)");
  if (!back)
    return make_error(errc::malformed_input,
                      "tune: the scenario with the chosen settings does not "
                      "parse: "
                        + render(back.error()));
  auto same = cell_count(*back) == 1
              && back->sweep.size() == chosen.settings.size();
  for (size_t i = 0; same && i < back->sweep.size(); ++i)
    same = back->sweep[i].key == chosen.settings[i].first
           && back->sweep[i].values.front() == chosen.settings[i].second;
  if (!same)
    return make_error(errc::malformed_input,
                      "tune: the scenario with the chosen settings does not "
                      "read back as cell "
                        + std::to_string(res.chosen));
  return result;
}

error write_tune(const tune_result& res, const scenario& s,
                 const std::string& scenario_text, const std::string& dir,
                 const std::string& command, const gnuplot_options* gnuplot) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return make_error(errc::malformed_input,
                      "cannot create folder '" + dir + "': " + ec.message());
  auto path = [&](const std::string& name) {
    return (fs::path{dir} / name).string();
  };
  if (auto err = write_file(path("tune.json"),
                            tune_json(res, command).dump(2) + "\n", {s.file}))
    return err;
  if (auto err = write_file(path("tune.txt"), tune_text(res), {s.file}))
    return err;
  if (res.has_choice) {
    auto text = tuned_scenario_text(s, scenario_text, res);
    if (!text)
      return std::move(text.error());
    if (auto err = write_file(path("tuned.yaml"), *text, {s.file}))
      return err;
  }
  if (gnuplot == nullptr)
    return error{};
  fs::create_directories(fs::path{dir} / "charts", ec);
  if (ec)
    return make_error(errc::malformed_input, "cannot create folder '" + dir
                                               + "/charts': " + ec.message());
  std::vector<chart_file> charts;
  for (auto& [name, chart] : tune_charts(res, s)) {
    auto svg = draw(chart, plot_format::svg, *gnuplot);
    if (!svg)
      return make_error(errc::execute_failed,
                        "chart '" + name + "': " + render(svg.error()));
    if (auto err = write_file(path("charts/" + name + ".svg"), *svg, {s.file}))
      return err;
    auto caption = name == "front"
                     ? std::string{"Mean calls against accuracy and latency "
                                   "of the cells on the Pareto front and "
                                   "the other cells left (95% intervals)"}
                     : std::string{"The cells that differ from the chosen "
                                   "one in this parameter only, with the "
                                   "runs each got in the race (95% "
                                   "intervals; wide where a cell was "
                                   "dropped early)"};
    charts.push_back(chart_file{name, chart.title, caption, std::move(*svg)});
  }
  return write_file(path("index.html"), tune_page(res, command, charts),
                    {s.file});
}

} // namespace caf::consensus::sim

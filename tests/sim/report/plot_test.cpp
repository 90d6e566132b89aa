// Tests: gnuplot charts (safe labels, malformed charts, SVG/PNG, errors).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "sim/report/report_fixture.hpp"

using namespace caf::consensus;
using namespace report_test;
namespace fs = std::filesystem;

namespace {

sim::line_chart two_series_chart() {
  sim::line_chart ch;
  ch.title = "test chart";
  ch.xlabel = "beta_2";
  sim::plot_panel p;
  p.title = "accuracy";
  p.ylabel = "share";
  p.unit_range = true;
  for (int s = 0; s < 2; ++s) {
    sim::plot_series ser;
    ser.name = s == 0 ? "first" : "second";
    for (int i = 0; i < 4; ++i) {
      ser.x.push_back(0.6 + 0.1 * i);
      ser.y.push_back(0.5 + 0.1 * i - 0.2 * s);
      ser.lo.push_back(ser.y.back() - 0.05);
      ser.hi.push_back(ser.y.back() + 0.05);
    }
    p.series.push_back(ser);
  }
  ch.panels.push_back(p);
  return ch;
}

} // namespace

TEST(plot, text_loses_every_character_gnuplot_could_interpret) {
  auto x = sim::gnuplot_text("a\"b`c$d@e\\f\ng'h{i}^j beta_2 ≥ 0.5");
  for (auto c : std::string{"\"`$@\\\n'{}^"})
    EXPECT_EQ(x.find(c), std::string::npos) << "kept '" << c << "' in " << x;
  EXPECT_NE(x.find("beta_2 ≥ 0.5"), std::string::npos) << x;
  EXPECT_EQ(sim::gnuplot_text("ok\xff\xfe"), "ok??");
  EXPECT_EQ(sim::gnuplot_text("\xe2\x89"), "??"); // cut UTF-8 sequence
  EXPECT_LE(sim::gnuplot_text(std::string(1000, 'x')).size(), 120u);
  // Cut on a code point boundary.
  auto many = sim::gnuplot_text(std::string(200, 'a') + "≥");
  EXPECT_EQ(many.size(), 120u);
  std::string multi;
  for (int i = 0; i < 100; ++i)
    multi += "≥";
  auto cut = sim::gnuplot_text(multi);
  EXPECT_EQ(cut.size() % 3, 0u);
}

TEST(plot, malformed_charts_are_rejected_with_the_reason) {
  sim::line_chart empty;
  empty.title = "t";
  EXPECT_NE(sim::check_chart(empty).find("has no panel"), std::string::npos);
  auto ch = two_series_chart();
  EXPECT_EQ(sim::check_chart(ch), "");
  ch.panels[0].series[1].lo.pop_back();
  EXPECT_NE(sim::check_chart(ch).find("differ in length"), std::string::npos);
  auto cat = two_series_chart();
  cat.xtics = {"a", "b"};
  EXPECT_NE(sim::check_chart(cat).find("not a category index"),
            std::string::npos);
  auto inf = two_series_chart();
  inf.panels[0].series[0].x[0] = INFINITY;
  EXPECT_NE(sim::check_chart(inf).find("not a finite number"),
            std::string::npos);
  sim::heatmap_chart hm;
  hm.title = "h";
  hm.xtics = {"1", "2"};
  hm.ytics = {"a"};
  hm.panels.push_back(sim::heatmap_panel{"p", true, {{0.1}}});
  EXPECT_NE(sim::check_chart(hm).find("row of 1 cells for 2 x values"),
            std::string::npos);
  auto err = sim::draw(empty, sim::plot_format::svg, {});
  ASSERT_FALSE(err);
  EXPECT_NE(render(err.error()).find("has no panel"), std::string::npos);
}

TEST(plot, draws_line_charts_as_svg_and_png) {
  auto ch = two_series_chart();
  auto svg = sim::draw(ch, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  EXPECT_EQ(svg->find("<?xml"), 0u);
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  EXPECT_NE(svg->find("test chart"), std::string::npos);
  EXPECT_NE(svg->find("second"), std::string::npos);
  // Two series, each a band and a line: four plot groups with paths.
  EXPECT_GE(count_of(*svg, "gnuplot_plot_"), 4u);
  EXPECT_NE(svg->find("rgb( 31, 119, 180)"), std::string::npos); // #1f77b4
  EXPECT_NE(svg->find("rgb(255, 127,  14)"), std::string::npos); // #ff7f0e
  auto png = sim::draw(ch, sim::plot_format::png, {});
  ASSERT_TRUE(png) << render(png.error());
  ASSERT_GT(png->size(), 1000u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(plot, draws_heatmaps_and_categorical_charts) {
  sim::heatmap_chart hm;
  hm.title = "heat";
  hm.xlabel = "k";
  hm.ylabel = "policy";
  hm.xtics = {"1", "2", "3"};
  hm.ytics = {"hanzo", "metastable"};
  hm.panels.push_back(
    sim::heatmap_panel{"accuracy", true, {{0.1, 0.5, NAN}, {0.9, 0.7, 0.3}}});
  auto svg = sim::draw(hm, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  EXPECT_NE(svg->find("metastable"), std::string::npos);
  EXPECT_NE(svg->find("0.9"), std::string::npos); // a cell label
  auto ch = two_series_chart();
  ch.xtics = {"a", "b", "c", "d"};
  for (auto& s : ch.panels[0].series)
    for (size_t i = 0; i < s.x.size(); ++i)
      s.x[i] = static_cast<double>(i);
  auto cat = sim::draw(ch, sim::plot_format::svg, {});
  ASSERT_TRUE(cat) << render(cat.error());
  EXPECT_GE(count_of(*cat, "gnuplot_plot_"), 2u);
}

TEST(plot, labels_cannot_run_commands) {
  temp_dir tmp;
  auto victim = tmp.path / "pwned";
  auto ch = two_series_chart();
  ch.title = "`touch " + victim.string() + "`";
  ch.xlabel = "\" ; system(\"touch " + victim.string() + "\") ; \"";
  ch.panels[0].series[0].name = "@x $y \\\"";
  auto svg = sim::draw(ch, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  EXPECT_FALSE(fs::exists(victim));
}

TEST(plot, missing_or_failing_gnuplot_is_a_clear_error) {
  sim::gnuplot_options opts;
  opts.program = "/nonexistent/gnuplot";
  auto r = sim::draw(two_series_chart(), sim::plot_format::svg, opts);
  ASSERT_FALSE(r);
  EXPECT_NE(render(r.error()).find("gnuplot-nox"), std::string::npos)
    << render(r.error());
  auto bad = sim::run_gnuplot("this is not a gnuplot command\n", {});
  ASSERT_FALSE(bad);
  EXPECT_NE(render(bad.error()).find("gnuplot failed"), std::string::npos)
    << render(bad.error());
}

TEST(plot, categories_and_point_series_are_never_joined_by_lines) {
  // Numeric x: a line with its band.
  auto ch = two_series_chart();
  auto numeric = sim::gnuplot_script(ch, sim::plot_format::svg);
  EXPECT_NE(numeric.find("with linespoints"), std::string::npos);
  EXPECT_NE(numeric.find("with filledcurves"), std::string::npos);
  // Categorical x: points with error bars only.
  auto cat = ch;
  cat.xtics = {"a", "b", "c", "d"};
  for (auto& s : cat.panels[0].series)
    for (size_t i = 0; i < s.x.size(); ++i)
      s.x[i] = static_cast<double>(i);
  auto script = sim::gnuplot_script(cat, sim::plot_format::svg);
  EXPECT_EQ(script.find("lines"), std::string::npos) << script;
  EXPECT_NE(script.find("with yerrorbars"), std::string::npos) << script;
  // A scatter (points = true) on a numeric axis: no line either.
  auto scatter = ch;
  for (auto& s : scatter.panels[0].series)
    s.points = true;
  script = sim::gnuplot_script(scatter, sim::plot_format::svg);
  EXPECT_EQ(script.find("lines"), std::string::npos) << script;
  EXPECT_EQ(script.find("filledcurves"), std::string::npos) << script;
}

namespace {

/// The `set yrange [lo:hi]` lines of a script, in order.
std::vector<std::pair<double, double>> yranges(const std::string& script) {
  std::vector<std::pair<double, double>> out;
  std::regex re{"set yrange \\[([^:\\]]+):([^\\]]+)\\]"};
  for (auto i = std::sregex_iterator(script.begin(), script.end(), re);
       i != std::sregex_iterator(); ++i)
    out.emplace_back(std::stod((*i)[1].str()), std::stod((*i)[2].str()));
  return out;
}

/// A one-panel chart (not a rate) with one series through `ys`, each with
/// the interval y +- `half`.
sim::line_chart panel_of(std::vector<double> ys, double half) {
  sim::line_chart ch;
  ch.title = "t";
  ch.xlabel = "x";
  sim::plot_panel p;
  p.title = "mean rounds";
  p.ylabel = "rounds";
  sim::plot_series s;
  s.name = "s";
  for (size_t i = 0; i < ys.size(); ++i) {
    s.x.push_back(static_cast<double>(i));
    s.y.push_back(ys[i]);
    s.lo.push_back(ys[i] - half);
    s.hi.push_back(ys[i] + half);
  }
  p.series.push_back(s);
  ch.panels.push_back(p);
  return ch;
}

/// The `pt N` and `dt N` of each plotted series (one per `title "..."`).
std::vector<std::string> styles(const std::string& script, const char* what) {
  std::vector<std::string> out;
  std::regex re{std::string{" "} + what + " ([0-9]+)[^\\n]* title \""};
  for (auto i = std::sregex_iterator(script.begin(), script.end(), re);
       i != std::sregex_iterator(); ++i)
    out.push_back((*i)[1].str());
  return out;
}

} // namespace

TEST(plot, y_axes_span_the_values_magnitude_not_their_noise) {
  // A constant 1 +- 0.01 (not a rate): the axis starts at 0 and reaches at
  // least 1, so the interval looks as small as it is.
  auto script = sim::gnuplot_script(panel_of({1, 1, 1}, 0.01),
                                    sim::plot_format::svg);
  EXPECT_EQ(script.find("autoscale y"), std::string::npos) << script;
  auto r = yranges(script);
  ASSERT_EQ(r.size(), 1u) << script;
  EXPECT_EQ(r[0].first, 0.0);
  EXPECT_GE(r[0].second, 1.01);
  EXPECT_LE(r[0].second, 1.5);
  // Latency 900 +- 5: from 0, never 895..905.
  r = yranges(
    sim::gnuplot_script(panel_of({900, 901, 899}, 5), sim::plot_format::svg));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].first, 0.0);
  EXPECT_GE(r[0].second, 906.0);
  EXPECT_LE(r[0].second, 1200.0);
  // A constant 0 without spread: [0, 1], not -1..1.
  r = yranges(sim::gnuplot_script(panel_of({0, 0}, 0), sim::plot_format::svg));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::pair<double, double>{0, 1}));
  // Negative values: the range ends at 0 and spans them all.
  r = yranges(
    sim::gnuplot_script(panel_of({-5, -4.9}, 0.05), sim::plot_format::svg));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_LE(r[0].first, -5.05);
  EXPECT_EQ(r[0].second, 0.0);
  // Values of both signs: both ends, at least 10% of the magnitude apart.
  r = yranges(
    sim::gnuplot_script(panel_of({-2, 3}, 0.5), sim::plot_format::svg));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_LE(r[0].first, -2.5);
  EXPECT_GE(r[0].second, 3.5);
  // Rates keep [0, 1] (with a margin for the markers).
  auto rates = sim::gnuplot_script(two_series_chart(), sim::plot_format::svg);
  r = yranges(rates);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], (std::pair<double, double>{-0.02, 1.02}));
  // A heatmap's colour scale follows the same rule: mean rounds 2.9 and 3
  // are two shades of one colour, not the palette's two ends.
  sim::heatmap_chart hm;
  hm.title = "h";
  hm.xtics = {"1", "2"};
  hm.ytics = {"a"};
  hm.panels.push_back(sim::heatmap_panel{"mean rounds", false, {{2.9, 3}}});
  auto heat = sim::gnuplot_script(hm, sim::plot_format::svg);
  EXPECT_NE(heat.find("set cbrange [0:3]"), std::string::npos) << heat;
  hm.panels[0].z = {{0, 0}};
  heat = sim::gnuplot_script(hm, sim::plot_format::svg);
  EXPECT_NE(heat.find("set cbrange [0:1]"), std::string::npos) << heat;
}

TEST(plot, coinciding_series_stay_distinguishable) {
  // Four series with the same values on a numeric axis (the quickstart's
  // four beta_2 cells in the agreement chart): each has its own point type
  // and dash pattern, so the ones underneath still show.
  auto ch = panel_of({0.5, 0.7, 0.9}, 0.05);
  ch.panels[0].unit_range = true;
  for (auto name : {"b", "c", "d"}) {
    auto s = ch.panels[0].series[0];
    s.name = name;
    ch.panels[0].series.push_back(s);
  }
  auto script = sim::gnuplot_script(ch, sim::plot_format::svg);
  auto pts = styles(script, "pt");
  ASSERT_EQ(pts.size(), 4u) << script;
  EXPECT_EQ(std::set<std::string>(pts.begin(), pts.end()).size(), 4u) << script;
  auto dts = styles(script, "dt");
  // The first series solid (no dt), the others each a distinct pattern.
  EXPECT_EQ(std::set<std::string>(dts.begin(), dts.end()).size(), 3u) << script;
  // A baseline keeps the long dashes (dt 2), and no other series uses them.
  ch.panels[0].series[3].dashed = true;
  script = sim::gnuplot_script(ch, sim::plot_format::svg);
  dts = styles(script, "dt");
  EXPECT_EQ(std::count(dts.begin(), dts.end(), "2"), 1) << script;
  // Named categories: the series' points sit side by side within their
  // category, not on top of each other, and keep distinct point types.
  ch.xtics = {"a", "b", "c"};
  script = sim::gnuplot_script(ch, sim::plot_format::svg);
  std::set<std::string> first_x;
  for (int s = 0; s < 4; ++s) {
    auto block = "$p0s" + std::to_string(s) + " << EOD\n";
    auto i = script.find(block);
    ASSERT_NE(i, std::string::npos) << script;
    auto line = script.substr(i + block.size());
    auto x = std::stod(line.substr(0, line.find(' ')));
    EXPECT_GT(x, -0.45);
    EXPECT_LT(x, 0.45);
    first_x.insert(line.substr(0, line.find(' ')));
  }
  EXPECT_EQ(first_x.size(), 4u) << script;
  pts = styles(script, "pt");
  EXPECT_EQ(std::set<std::string>(pts.begin(), pts.end()).size(), 4u) << script;
  // Coinciding series drawn: the SVG uses four point symbols.
  ch.xtics.clear();
  auto svg = sim::draw(ch, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  std::set<std::string> symbols;
  std::regex use{"xlink:href='#(gpPt[0-9]+)' transform"};
  for (auto i = std::sregex_iterator(svg->begin(), svg->end(), use);
       i != std::sregex_iterator(); ++i)
    symbols.insert((*i)[1].str());
  EXPECT_GE(symbols.size(), 4u);
}

TEST(plot, missing_values_are_marked_not_hidden) {
  // A heatmap cell without data is a gray cell labelled n/a, with a key
  // entry, in SVG and PNG alike; never a white cell that reads as 0.
  sim::heatmap_chart hm;
  hm.title = "heat";
  hm.xlabel = "k";
  hm.ylabel = "policy";
  hm.xtics = {"1", "2"};
  hm.ytics = {"a", "b"};
  hm.panels.push_back(
    sim::heatmap_panel{"accuracy", true, {{0.1, NAN}, {0.9, 0.7}}});
  for (auto fmt : {sim::plot_format::svg, sim::plot_format::png}) {
    auto script = sim::gnuplot_script(hm, fmt);
    EXPECT_NE(script.find("\"n/a\""), std::string::npos) << script;
    EXPECT_NE(script.find("title \"n/a: no data\""), std::string::npos)
      << script;
  }
  auto svg = sim::draw(hm, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  EXPECT_NE(svg->find(">n/a<"), std::string::npos);
  EXPECT_NE(svg->find("rgb(217, 217, 217)"), std::string::npos); // #d9d9d9
  auto png = sim::draw(hm, sim::plot_format::png, {});
  ASSERT_TRUE(png) << render(png.error());
  // A heatmap without a missing cell has no n/a key.
  hm.panels[0].z[0][1] = 0.5;
  EXPECT_EQ(sim::gnuplot_script(hm, sim::plot_format::svg).find("n/a"),
            std::string::npos);
  // A panel with no data at all: every cell n/a.
  hm.panels[0].z = {{NAN, NAN}, {NAN, NAN}};
  svg = sim::draw(hm, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  EXPECT_GE(count_of(*svg, ">n/a<"), 4u);
  // A line with a missing value has a gap there: it is not drawn across.
  auto ch = panel_of({1, 2, NAN, 3, 3}, 0.1);
  svg = sim::draw(ch, sim::plot_format::svg, {});
  ASSERT_TRUE(svg) << render(svg.error());
  std::regex line{"<path stroke='rgb\\( 31, 119, 180\\)'  d='([^']*)'"};
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*svg, m, line)) << *svg;
  // The key's sample and two pieces of line.
  EXPECT_EQ(count_of(m[1].str(), "M"), 3u) << m[1].str();
}

// Tests: the HTML report (escaping, SVG ids, charts, tables, limits).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "sim/report/report_fixture.hpp"

using namespace caf::consensus;
using namespace report_test;
namespace fs = std::filesystem;
using json = nlohmann::json;

TEST(report_html, escapes_text_and_isolates_svg_ids) {
  EXPECT_EQ(sim::html_escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  std::string svg = "<?xml version=\"1.0\"?>\n<svg>\n<g id=\"gnuplot_canvas\">"
                    "<path id='gpPt1' d='M0,0'/><use xlink:href='#gpPt1'/>"
                    "<rect fill=\"url(#grad)\"/><g grid='x'/></g></svg>";
  auto x = sim::inline_svg(svg, "c3-");
  EXPECT_EQ(x.find("<?xml"), std::string::npos);
  EXPECT_EQ(x.find("<svg"), 0u);
  EXPECT_NE(x.find("id=\"c3-gnuplot_canvas\""), std::string::npos);
  EXPECT_NE(x.find("id='c3-gpPt1'"), std::string::npos);
  EXPECT_NE(x.find("xlink:href='#c3-gpPt1'"), std::string::npos);
  EXPECT_NE(x.find("url(#c3-grad)"), std::string::npos);
  EXPECT_NE(x.find("grid='x'"), std::string::npos);
}

TEST(report_html, quickstart_report_is_self_contained_and_complete) {
  temp_dir tmp;
  auto res = sim::load_results(quickstart_dir().string());
  ASSERT_TRUE(res);
  sim::report_options opts;
  opts.out_dir = (tmp.path / "out").string();
  auto w = sim::write_report(*res, opts);
  ASSERT_TRUE(w) << render(w.error());
  EXPECT_TRUE(fs::exists(tmp.path / "out" / "charts" / "01-beta_2.svg"));
  EXPECT_TRUE(fs::exists(tmp.path / "out" / "charts" / "01-beta_2.png"));
  auto html = slurp(w->html_path);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  // Only the SVG namespaces look like URLs.
  std::regex url{"https?://[^\"' <]*"};
  for (auto i = std::sregex_iterator(html.begin(), html.end(), url);
       i != std::sregex_iterator(); ++i)
    EXPECT_NE(i->str().find("www.w3.org"), std::string::npos) << i->str();
  EXPECT_EQ(count_of(html, "<figure class=\"chart\""), 1u);
  EXPECT_EQ(count_of(html, "<svg"), 1u);
  EXPECT_NE(html.find("quickstart"), std::string::npos);
  EXPECT_NE(html.find("Scenario and manifest"), std::string::npos);
  EXPECT_NE(html.find(load("quickstart.yaml", 1).hash), std::string::npos);
  EXPECT_NE(html.find("finalize rate"), std::string::npos);
  EXPECT_NE(html.find("accuracy among finalized"), std::string::npos);
  EXPECT_NE(html.find("mean rounds"), std::string::npos);
  // Every cell of the summary table.
  for (auto v : {"0.6", "0.7", "0.8", "0.9"})
    EXPECT_NE(html.find("<td>" + std::string{v} + "</td>"), std::string::npos);
}

TEST(report_html, two_swept_parameters_get_heatmaps_and_a_policy_section) {
  temp_dir tmp;
  write_results(load("hanzo-never-finalizes.yaml", 20), tmp.path / "hz");
  auto res = sim::load_results((tmp.path / "hz").string());
  ASSERT_TRUE(res) << render(res.error());
  auto lines = sim::line_charts(*res, nullptr);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].first, "01-policy");
  EXPECT_EQ(lines[0].second.xtics,
            (std::vector<std::string>{"hanzo", "metastable"}));
  EXPECT_NE(lines[0].second.title.find("Policies compared"), std::string::npos);
  // One series per value of the other parameter.
  EXPECT_EQ(lines[0].second.panels[0].series.size(), 3u);
  auto maps = sim::heatmaps(*res);
  ASSERT_EQ(maps.size(), 1u);
  EXPECT_EQ(maps[0].first, "heatmap-policy-beta_2");
  // hanzo (x = 0) at beta_2 = 0.8 (y = 2) never finalizes; metastable does.
  auto& z = maps[0].second.panels[0].z;
  EXPECT_DOUBLE_EQ(z[2][0], 0.0);
  EXPECT_DOUBLE_EQ(z[2][1], 1.0);
  sim::report_options opts;
  opts.out_dir = (tmp.path / "out").string();
  opts.png = false;
  auto w = sim::write_report(*res, opts);
  ASSERT_TRUE(w) << render(w.error());
  EXPECT_EQ(w->chart_paths.size(), 3u);
  auto html = slurp(w->html_path);
  EXPECT_NE(html.find("Policies compared"), std::string::npos);
  EXPECT_EQ(count_of(html, "<figure class=\"chart\""), 3u);
  EXPECT_FALSE(fs::exists(tmp.path / "out" / "charts" / "01-policy.png"));
  // hanzo never finalizes at beta_2 = 0.8: its accuracy among finalized runs
  // there has no value, a gray n/a cell (not 0), and the caption says so.
  EXPECT_TRUE(std::isnan(maps[0].second.panels[2].z[2][0]));
  EXPECT_NE(html.find("Gray cells marked n/a have no value"),
            std::string::npos);
  EXPECT_NE(html.find(">n/a<"), std::string::npos);
}

TEST(report_html, large_sparse_sweeps_stay_readable) {
  // A 100 x 100 grid with one cell present: the table lists that cell and
  // counts the missing ones; no 10,000-cell heatmap is drawn.
  temp_dir tmp;
  auto dir = tmp.path / "sparse";
  fs::create_directories(dir);
  json vals_a = json::array();
  json vals_b = json::array();
  for (int i = 0; i < 100; ++i) {
    vals_a.push_back(std::to_string(i));
    vals_b.push_back("v" + std::to_string(i));
  }
  json manifest{{"scenario", {{"name", "sparse"}}},
                {"sweep",
                 json::array({json{{"key", "a"}, {"values", vals_a}},
                              json{{"key", "b"}, {"values", vals_b}}})}};
  spit(dir / "manifest.json", manifest.dump());
  std::istringstream first{slurp(quickstart_dir() / "summary.jsonl")};
  std::string line;
  std::getline(first, line);
  auto cell = json::parse(line);
  cell["cell"] = 205; // a = 2, b = v5
  cell["assignment"] = json{{"a", "2"}, {"b", "v5"}};
  spit(dir / "summary.jsonl", cell.dump() + "\n");
  auto res = sim::load_results(dir.string());
  ASSERT_TRUE(res) << render(res.error());
  EXPECT_EQ(res->cells.size(), 10000u);
  EXPECT_TRUE(res->cells[205].present);
  EXPECT_TRUE(sim::heatmaps(*res).empty());
  auto html = sim::report_html(*res, {}, nullptr);
  EXPECT_NE(html.find("9999 of 10000 cells have no results"),
            std::string::npos);
  EXPECT_EQ(count_of(html, "<i>no results</i>"), 0u);
  EXPECT_LT(html.size(), 200000u);
  // Both line charts pool over the other parameter: one line each.
  auto charts = sim::line_charts(*res, nullptr);
  ASSERT_EQ(charts.size(), 2u);
  EXPECT_EQ(charts[0].second.panels[0].series.size(), 1u);
  EXPECT_EQ(charts[0].second.panels[0].series[0].name, "pooled over b");
}

TEST(report_html, a_scenario_without_a_sweep_gets_no_one_point_charts) {
  // voter-model.yaml sweeps nothing: no line chart of six one-point panels
  // against nothing. Its charts are the convergence charts (from a results
  // store; the CLI test in report_browser_test.cpp has one), and without a
  // store the page says why it has no chart.
  temp_dir tmp;
  write_results(load("voter-model.yaml", 40), tmp.path / "vm");
  auto res = sim::load_results((tmp.path / "vm").string());
  ASSERT_TRUE(res) << render(res.error());
  ASSERT_TRUE(res->axes.empty());
  EXPECT_TRUE(sim::line_charts(*res, nullptr).empty());
  EXPECT_TRUE(sim::heatmaps(*res).empty());
  sim::report_options opts;
  opts.out_dir = (tmp.path / "out").string();
  auto w = sim::write_report(*res, opts);
  ASSERT_TRUE(w) << render(w.error());
  EXPECT_TRUE(w->chart_paths.empty());
  for (auto& e : fs::directory_iterator{tmp.path / "out" / "charts"})
    ADD_FAILURE() << "unexpected chart " << e.path();
  auto html = slurp(w->html_path);
  EXPECT_EQ(count_of(html, "<figure class=\"chart\""), 0u);
  EXPECT_NE(html.find("sweeps no parameter"), std::string::npos);
  // The summary table has the one cell.
  EXPECT_NE(html.find("<th>runs</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">40</td>"), std::string::npos);
  // With baselines there is a comparison: the cell beside both of them.
  auto b = sim::run_baselines(*res, load("voter-model.yaml", 40),
                              sim::engine_kind::inline_calls, 2);
  ASSERT_TRUE(b) << render(b.error());
  auto with_base = sim::line_charts(*res, &*b);
  ASSERT_EQ(with_base.size(), 1u);
  EXPECT_EQ(with_base[0].first, "baselines");
  EXPECT_EQ(with_base[0].second.xtics.size(), 3u);
}

TEST(report_html, agent_and_parameter_tables_are_in_words) {
  auto res = sim::load_results(quickstart_dir().string());
  ASSERT_TRUE(res);
  // The quickstart as it is: lognormal latency, no crash, conform:0.8.
  auto html = sim::report_html(*res, {}, nullptr);
  EXPECT_NE(html.find("<td>lognormal, median 900 ms, sigma 0.4</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>lognormal, median 5000 ms, sigma 0.3</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>never</td>"), std::string::npos); // crash after
  EXPECT_NE(html.find("<td>backoff 70%, fixed 20%, none 10%</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>conform (p = 0.8)</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>20% of calls</td>"), std::string::npos); // fail
  EXPECT_NE(html.find("<td>10% of words</td>"), std::string::npos); // noise
  EXPECT_NE(html.find("<td>60000 ms</td>"), std::string::npos);     // timeout
  EXPECT_NE(html.find("<td>no</td>"), std::string::npos);           // booleans
  // No raw JSON and no sentinel in the agents table.
  auto agents = html.substr(html.find("<p>Agents"));
  agents = agents.substr(0, agents.find("</table>"));
  EXPECT_EQ(agents.find("{"), std::string::npos) << agents;
  EXPECT_EQ(agents.find("&quot;"), std::string::npos) << agents;
  EXPECT_EQ(agents.find("-1"), std::string::npos) << agents;
  // Every latency distribution and the other sentinels.
  auto& groups = res->manifest["cells"][0]["resolved"]["agents"];
  auto g = groups[0];
  auto with = [&](json latency, json extra) {
    auto x = g;
    x["latency"] = std::move(latency);
    for (auto& [k, v] : extra.items())
      x[k] = v;
    return x;
  };
  groups
    = json::array({with({{"dist", "constant"}, {"a", 200.0}, {"b", 0.0}},
                        {{"crash_after", 2}, {"fail", 0.0}, {"noise", 0.0}}),
                   with({{"dist", "uniform"}, {"a", 100.0}, {"b", 300.0}},
                        {{"answers", json::object()},
                         {"behaviour", "fixed-wrong"},
                         {"wrong_label", "fixed"}}),
                   with({{"dist", "normal"}, {"a", 500.0}, {"b", 50.0}},
                        {{"behaviour", "flip-flop"}, {"wrong_label", ""}}),
                   with({{"dist", "exponential"}, {"a", 250.0}, {"b", 0.0}},
                        {{"answers", json{{"x", 0.0}, {"y", 0.0}}}}),
                   with({{"dist", "empirical"},
                         {"a", 100.0},
                         {"b", 0.0},
                         {"values", json::array({100.0, 200.0, 1000.0})}},
                        {{"no_answer", 0.05}})});
  auto& params = res->manifest["cells"][0]["resolved"]["params"];
  params["alpha_preference"] = 0;
  params["alpha_confidence"] = 3;
  params["extractor_pattern"] = "";
  html = sim::report_html(*res, {}, nullptr);
  for (auto x :
       {"fixed 200 ms", "uniform 100-300 ms", "normal, mean 500 ms, sd 50 ms",
        "exponential, mean 250 ms", "empirical, one of 100, 200, 1000 ms",
        "after round 2", "the ground truth",
        "fixed-wrong (always answers fixed)",
        "flip-flop (ground truth, then the first other label)",
        "x, y equally likely", "5% of calls", "default: ceil(alpha * k)"})
    EXPECT_NE(html.find("<td>" + std::string{x} + "</td>"), std::string::npos)
      << x;
  EXPECT_NE(html.find("<td>none</td>"), std::string::npos); // fail, noise 0
}

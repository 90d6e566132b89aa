// The reports in a real browser, through the real CLI: `consensus-sim run`
// writes the quickstart results, `consensus-sim report` turns them into a
// page, and Debian's headless Chromium takes a screenshot of it and dumps
// its DOM. The charts must be there (inline SVG with data paths) and drawn
// (the screenshot has the series' colours over a tall area). Also: the CLI's
// errors for bad input, and `consensus-sim advice` end to end.

#include <gtest/gtest.h>

#include <png.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "caf/consensus/connectors/run_process.hpp"
#include "caf/consensus/error.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace {

const std::string sim_exe = CAF_CONSENSUS_SIM_EXE;
const std::string scenarios = CAF_CONSENSUS_SCENARIOS;

struct temp_dir {
  fs::path path;
  temp_dir() {
    auto tmpl
      = (fs::temp_directory_path() / "caf-browser-test-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path = buf.data();
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

connectors::process_result run(const std::vector<std::string>& argv,
                               int64_t timeout_ms = 120000) {
  connectors::process_options opts;
  opts.timeout_ms = timeout_ms;
  auto r = connectors::run_process(argv, opts);
  if (!r)
    throw std::runtime_error(render(r.error()));
  if (r->timed_out)
    throw std::runtime_error("timed out: " + argv[0]);
  return *r;
}

std::string chromium() {
  for (auto* name : {"chromium", "chromium-browser"}) {
    auto p = connectors::find_program(name);
    if (!p.empty())
      return p;
  }
  return {};
}

/// The flags the headless runs use: no network activity of its own, no
/// sandbox (tests may run as root), a fresh profile.
std::vector<std::string> chromium_args(const fs::path& profile) {
  return {chromium(),
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--disable-extensions",
          "--hide-scrollbars",
          "--user-data-dir=" + profile.string()};
}

struct rgb_image {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<unsigned char> pixels; // RGB
};

rgb_image read_png(const fs::path& path) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0)
    throw std::runtime_error("cannot read PNG " + path.string() + ": "
                             + image.message);
  image.format = PNG_FORMAT_RGB;
  rgb_image out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)
      == 0)
    throw std::runtime_error("cannot decode PNG " + path.string() + ": "
                             + image.message);
  return out;
}

/// Pixels within `tol` (per channel) of colour (r, g, b), and the rows they
/// span.
struct colour_hits {
  size_t count = 0;
  uint32_t first_row = 0;
  uint32_t last_row = 0;
};

colour_hits find_colour(const rgb_image& img, int r, int g, int b,
                        int tol = 30) {
  colour_hits h;
  for (uint32_t y = 0; y < img.height; ++y)
    for (uint32_t x = 0; x < img.width; ++x) {
      auto* p = &img.pixels[(static_cast<size_t>(y) * img.width + x) * 3];
      if (std::abs(p[0] - r) <= tol && std::abs(p[1] - g) <= tol
          && std::abs(p[2] - b) <= tol) {
        if (h.count == 0)
          h.first_row = y;
        h.last_row = y;
        ++h.count;
      }
    }
  return h;
}

/// The `<figure class="chart" ...>...</figure>` blocks of a DOM dump.
std::vector<std::string> figures(const std::string& dom) {
  std::vector<std::string> out;
  for (auto i = dom.find("<figure class=\"chart\""); i != std::string::npos;
       i = dom.find("<figure class=\"chart\"", i + 1)) {
    auto end = dom.find("</figure>", i);
    out.push_back(
      dom.substr(i, end == std::string::npos ? std::string::npos : end - i));
  }
  return out;
}

/// Paths of a figure whose `d` draws at least 3 segments: data, not the
/// point symbols gnuplot defines once per SVG.
size_t data_paths(const std::string& figure) {
  static const std::regex path{"<path[^>]*\\sd=\"([^\"]*)\""};
  size_t n = 0;
  for (auto i = std::sregex_iterator(figure.begin(), figure.end(), path);
       i != std::sregex_iterator(); ++i) {
    auto d = (*i)[1].str();
    if (std::count(d.begin(), d.end(), 'L') >= 3)
      ++n;
  }
  return n;
}

/// The point symbols a figure draws (gnuplot's `gpPtN`, prefixed when
/// inlined), with how often each is placed (not the definitions in <defs>).
std::map<std::string, size_t> point_symbols(const std::string& figure) {
  static const std::regex use{"href=[\"']#(?:c[0-9]+-)?(gpPt[0-9]+)[\"'] "
                              "transform=[\"']translate"};
  std::map<std::string, size_t> out;
  for (auto i = std::sregex_iterator(figure.begin(), figure.end(), use);
       i != std::sregex_iterator(); ++i)
    ++out[(*i)[1].str()];
  return out;
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (auto i = text.find(needle); i != std::string::npos;
       i = text.find(needle, i + needle.size()))
    ++n;
  return n;
}

/// Returns the DOM of `url` as headless Chromium parsed it.
connectors::process_result dump_dom(const fs::path& profile,
                                    const std::string& url) {
  auto args = chromium_args(profile);
  args.push_back("--dump-dom");
  args.push_back(url);
  return run(args);
}

/// Returns the number of pixels of `img` that are not (nearly) white.
size_t ink_of(const rgb_image& img) {
  size_t ink = 0;
  for (size_t i = 0; i + 2 < img.pixels.size(); i += 3)
    if (img.pixels[i] < 200 || img.pixels[i + 1] < 200
        || img.pixels[i + 2] < 200)
      ++ink;
  return ink;
}

} // namespace

TEST(report_browser, quickstart_report_renders_with_its_charts) {
  auto browser = chromium();
  ASSERT_FALSE(browser.empty())
    << "Debian's chromium is required (apt-get install chromium; "
       "cmake/build.sh installs it)";
  temp_dir tmp;
  auto results = tmp.path / "qs";
  auto r = run({sim_exe, "run", scenarios + "/quickstart.yaml", "--out",
                results.string(), "--engine", "inline", "--threads", "2",
                "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run(
    {sim_exe, "report", results.string(), "--baseline", "--threads", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("report: "), std::string::npos) << r.out;
  auto page = results / "report" / "index.html";
  ASSERT_TRUE(fs::exists(page));
  size_t svg_files = 0;
  for (auto& e : fs::directory_iterator{results / "report" / "charts"}) {
    if (e.path().extension() == ".svg") {
      ++svg_files;
      auto png = e.path();
      png.replace_extension(".png");
      EXPECT_TRUE(fs::exists(png)) << png;
      EXPECT_GT(fs::file_size(e.path()), 10000u);
    }
  }
  ASSERT_GE(svg_files, 1u);
  auto url = "file://" + fs::absolute(page).string();
  // The DOM as the browser parsed it: one figure per chart, each an inline
  // SVG with its data lines.
  auto dom = dump_dom(tmp.path / "profile-dom", url);
  ASSERT_EQ(dom.status, 0) << dom.err;
  auto figs = figures(dom.out);
  ASSERT_EQ(figs.size(), svg_files) << dom.out.substr(0, 2000);
  std::set<std::string> convergence;
  for (auto& f : figs) {
    EXPECT_NE(f.find("<svg"), std::string::npos);
    auto id = f.substr(0, f.find('>'));
    auto has_id = [&](const char* x) {
      return id.find(std::string{"data-chart=\""} + x + "\"")
             != std::string::npos;
    };
    if (has_id("convergence_agreement")) {
      // Two panels, a line per cell (4 cells of beta_2), each cell with its
      // own point symbol: cells with equal values stay distinguishable.
      EXPECT_GE(data_paths(f), 8u) << f.substr(0, 500);
      EXPECT_GE(point_symbols(f).size(), 4u) << f.substr(0, 500);
      convergence.insert("agreement");
    } else if (has_id("convergence_decided")
               || has_id("convergence_locked_wrong")) {
      EXPECT_GE(data_paths(f), 4u) << f.substr(0, 500);
      convergence.insert(id);
    } else if (has_id("cost_curve")) {
      // One point per cell, each cell with its own symbol (in the legend
      // and at the point).
      auto symbols = point_symbols(f);
      EXPECT_GE(symbols.size(), 4u) << f.substr(0, 500);
      for (auto& [symbol, uses] : symbols)
        EXPECT_GE(uses, 2u) << symbol;
      convergence.insert("cost");
    } else if (has_id("reliability")) {
      // The dashed diagonal and a line of bins per cell (4 cells).
      EXPECT_GE(data_paths(f), 5u) << f.substr(0, 500);
      convergence.insert("reliability");
    } else {
      // Six panels, each with the scenario's line and two baselines.
      EXPECT_GE(data_paths(f), 18u) << f.substr(0, 500);
    }
  }
  EXPECT_EQ(convergence.size(), 5u);
  EXPECT_NE(dom.out.find("Baselines"), std::string::npos);
  // The page as drawn: a screenshot of the whole page.
  auto shot_path = tmp.path / "shot.png";
  auto shot = chromium_args(tmp.path / "profile-shot");
  shot.push_back("--window-size=1200,5000");
  shot.push_back("--screenshot=" + shot_path.string());
  shot.push_back(url);
  auto s = run(shot);
  ASSERT_EQ(s.status, 0) << s.err;
  ASSERT_TRUE(fs::exists(shot_path)) << s.err;
  auto img = read_png(shot_path);
  EXPECT_EQ(img.width, 1200u);
  EXPECT_EQ(img.height, 5000u);
  // Not blank: plenty of non-white pixels.
  auto ink = ink_of(img);
  EXPECT_GT(ink, size_t{img.width} * img.height / 50);
  // The series colours: the scenario (blue), the baselines (orange, green),
  // spread over the height of a chart (six panels), not a stray pixel.
  auto blue = find_colour(img, 0x1f, 0x77, 0xb4);
  auto orange = find_colour(img, 0xff, 0x7f, 0x0e);
  auto green = find_colour(img, 0x2c, 0xa0, 0x2c);
  EXPECT_GT(blue.count, 1000u);
  EXPECT_GT(orange.count, 300u);
  EXPECT_GT(green.count, 300u);
  EXPECT_GT(blue.last_row - blue.first_row, 600u)
    << "rows " << blue.first_row << ".." << blue.last_row;
  // The separate PNG chart is a real image too.
  auto chart = read_png(results / "report" / "charts" / "01-beta_2.png");
  EXPECT_GT(chart.width, 500u);
  EXPECT_GT(find_colour(chart, 0x1f, 0x77, 0xb4).count, 500u);
}

TEST(report_browser, advice_page_renders_its_charts) {
  auto browser = chromium();
  ASSERT_FALSE(browser.empty()) << "Debian's chromium is required";
  temp_dir tmp;
  auto out = tmp.path / "advice";
  auto r = run({sim_exe, "advice", "--replicates", "40", "--policies",
                "metastable,vote", "--no-rules", "--threads", "2", "--out",
                out.string(), "--no-png", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("== metastable =="), std::string::npos);
  EXPECT_NE(r.out.find("== vote =="), std::string::npos);
  EXPECT_NE(r.out.find("baselines"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "advice.md"));
  auto dom = dump_dom(tmp.path / "profile",
                      "file://" + fs::absolute(out / "index.html").string());
  ASSERT_EQ(dom.status, 0) << dom.err;
  auto figs = figures(dom.out);
  EXPECT_EQ(figs.size(), 4u);
  for (auto& f : figs)
    EXPECT_GE(data_paths(f), 6u) << f.substr(0, 300);
  EXPECT_NE(dom.out.find("holds"), std::string::npos);
}

TEST(report_browser, cli_errors_name_what_is_wrong) {
  temp_dir tmp;
  auto r = run({sim_exe, "report", (tmp.path / "nope").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no such results directory"), std::string::npos)
    << r.err;
  r = run({sim_exe, "report"});
  EXPECT_EQ(r.status, 2);
  auto lower = r.err;
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower.find("dir"), std::string::npos) << r.err; // names DIR
  r = run({sim_exe, "report", tmp.path.string(), "--engine", "warp"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--engine must be"), std::string::npos) << r.err;
  r = run({sim_exe, "report", tmp.path.string(), "--scenario", "x.yaml"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("only used with --baseline"), std::string::npos);
  // A real results directory, then bad settings for it.
  auto results = tmp.path / "qs";
  r = run({sim_exe, "run", scenarios + "/quickstart.yaml", "--out",
           results.string(), "--engine", "inline", "--replicates", "20",
           "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run(
    {sim_exe, "report", results.string(), "--gnuplot", "/nonexistent/gnuplot"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("gnuplot-nox"), std::string::npos) << r.err;
  r = run({sim_exe, "report", results.string(), "--baseline", "--scenario",
           scenarios + "/condorcet.yaml"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("differs from the manifest"), std::string::npos)
    << r.err;
  r = run({sim_exe, "report", results.string(), "--baseline", "--scenario",
           (tmp.path / "missing.yaml").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("missing.yaml"), std::string::npos) << r.err;
  // advice
  r = run({sim_exe, "advice", "--replicates", "1"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--replicates must be in"), std::string::npos);
  r = run({sim_exe, "advice", "--agents", (tmp.path / "pop.yaml").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("pop.yaml"), std::string::npos) << r.err;
  r = run({sim_exe, "advice", "--policies", "raft", "--replicates", "10"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("unknown policy 'raft'"), std::string::npos) << r.err;
  r = run({sim_exe, "advice", "--agents", scenarios + "/condorcet.yaml"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("the population has 1 agents"), std::string::npos)
    << r.err;
}

TEST(report_browser, compare_overlays_the_convergence_of_other_directories) {
  temp_dir tmp;
  auto a = tmp.path / "metastable";
  auto b = tmp.path / "snowball";
  auto r = run({sim_exe, "run", scenarios + "/quickstart.yaml", "--out",
                a.string(), "--replicates", "20", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run({sim_exe, "run", scenarios + "/snowball-polls.yaml", "--out",
           b.string(), "--replicates", "20", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run({sim_exe, "report", a.string(), "--compare", b.string(), "--no-png"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto svg = [&](const char* name) {
    std::ifstream in{a / "report" / "charts" / (std::string{name} + ".svg")};
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
  };
  for (auto name : {"convergence_agreement", "convergence_decided",
                    "convergence_locked_wrong", "cost_curve", "reliability"}) {
    auto text = svg(name);
    EXPECT_NE(text.find("metastable: beta_2=0.6"), std::string::npos) << name;
    EXPECT_NE(text.find("metastable: beta_2=0.9"), std::string::npos) << name;
    EXPECT_NE(text.find(">snowball<"), std::string::npos) << name;
  }
  // Bad directories are named.
  r = run(
    {sim_exe, "report", a.string(), "--compare", (tmp.path / "nope").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--compare " + (tmp.path / "nope").string()),
            std::string::npos)
    << r.err;
  fs::remove(b / "results.db");
  r = run({sim_exe, "report", a.string(), "--compare", b.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no results store"), std::string::npos) << r.err;
  // A store this program cannot read (another version's, or damaged): the
  // report still comes from the summaries and says what it left out.
  {
    std::ofstream junk{a / "results.db", std::ios::binary | std::ios::trunc};
    junk << std::string(4096, 'x');
  }
  fs::remove_all(a / "report");
  r = run({sim_exe, "report", a.string(), "--no-png"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("note: no convergence charts: "), std::string::npos)
    << r.err;
  EXPECT_TRUE(fs::exists(a / "report" / "charts" / "01-beta_2.svg"));
  EXPECT_FALSE(
    fs::exists(a / "report" / "charts" / "convergence_agreement.svg"));
}

TEST(report_browser, convergence_study_report_is_readable) {
  auto browser = chromium();
  ASSERT_FALSE(browser.empty()) << "Debian's chromium is required";
  temp_dir tmp;
  auto results = tmp.path / "ck";
  auto r = run({sim_exe, "run", scenarios + "/convergence-k.yaml", "--out",
                results.string(), "--replicates", "40", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run({sim_exe, "report", results.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  // Every chart file decodes and is not blank.
  size_t pngs = 0;
  for (auto& e : fs::directory_iterator{results / "report" / "charts"}) {
    if (e.path().extension() != ".png")
      continue;
    ++pngs;
    auto img = read_png(e.path());
    ASSERT_GT(img.width, 100u) << e.path();
    auto ink = ink_of(img);
    EXPECT_GT(ink, size_t{img.width} * img.height / 100) << e.path();
  }
  // Two parameter charts (policy, k), a heatmap, four convergence charts
  // and the reliability diagram.
  EXPECT_EQ(pngs, 8u);
  auto url = "file://"
             + fs::absolute(results / "report" / "index.html").string();
  auto dom = dump_dom(tmp.path / "profile-dom", url);
  ASSERT_EQ(dom.status, 0) << dom.err;
  auto figs = figures(dom.out);
  ASSERT_EQ(figs.size(), pngs);
  for (auto& f : figs) {
    // Drawn, with labelled axes (tick labels and axis titles are texts).
    EXPECT_NE(f.find("<svg"), std::string::npos);
    EXPECT_GE(count_of(f, "<text"), 10u) << f.substr(0, 300);
  }
  for (auto label :
       {"share of live agents", "share of runs", "round (0: initial answers)",
        "refinement round", "calls per run (mean)", "policy=snowball, k=8"})
    EXPECT_NE(dom.out.find(label), std::string::npos) << label;
}

TEST(report_browser, a_scenario_without_a_sweep_gets_its_convergence_charts) {
  // voter-model.yaml sweeps nothing: `report` draws no per-parameter chart
  // (it would be six one-point panels) but the convergence charts from the
  // results store that `run --out` writes.
  temp_dir tmp;
  auto results = tmp.path / "vm";
  auto r = run({sim_exe, "run", scenarios + "/voter-model.yaml", "--out",
                results.string(), "--engine", "inline", "--replicates", "40",
                "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run({sim_exe, "report", results.string(), "--no-png"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::set<std::string> charts;
  for (auto& e : fs::directory_iterator{results / "report" / "charts"})
    charts.insert(e.path().filename().string());
  for (auto& c : charts)
    EXPECT_NE(c.substr(0, 3), "01-") << c;
  for (auto c :
       {"convergence_agreement.svg", "convergence_decided.svg",
        "convergence_locked_wrong.svg", "cost_curve.svg", "reliability.svg"})
    EXPECT_EQ(charts.count(c), 1u) << c;
  auto html = results / "report" / "index.html";
  std::ifstream in{html};
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(count_of(text.str(), "<figure class=\"chart\""), charts.size());
}

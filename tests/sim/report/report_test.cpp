// consensus-sim report: gnuplot charts, reading results directories (and
// rejecting bad ones), pooling, baselines and the HTML page.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/plot.hpp"
#include "caf/consensus/sim/report/process.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string scenarios = CAF_CONSENSUS_SCENARIOS;

/// A fresh temporary folder, removed at the end of the test.
struct temp_dir {
  fs::path path;
  temp_dir() {
    auto tmpl = (fs::temp_directory_path() / "caf-report-test-XXXXXX").string();
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

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  out << text;
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (auto i = hay.find(needle); i != std::string::npos;
       i = hay.find(needle, i + needle.size()))
    ++n;
  return n;
}

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(scenarios + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

/// Runs `sc` and writes a results directory as `consensus-sim run --out`
/// does (manifest.json, summary.jsonl, runs.jsonl).
void write_results(const sim::scenario& sc, const fs::path& dir) {
  fs::create_directories(dir);
  auto cells = sim::cell_count(sc);
  std::vector<sim::cell_summary> sums(cells);
  std::ofstream runs{dir / "runs.jsonl"};
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.on_run = [&](const sim::run_metrics& m) {
    sums[m.cell].add(m);
    runs << sim::to_json(m).dump() << '\n';
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  runs.close();
  spit(dir / "manifest.json",
       sim::manifest(sc, sim::engine_kind::inline_calls, "test").dump(2));
  std::ofstream sj{dir / "summary.jsonl"};
  for (uint64_t c = 0; c < cells; ++c)
    sj << sim::summary_json(sc, c, sums[c]).dump() << '\n';
}

/// The quickstart results (100 replicates), written once per test binary.
const fs::path& quickstart_dir() {
  static temp_dir tmp;
  static bool done = false;
  if (!done) {
    write_results(load("quickstart.yaml", 100), tmp.path / "qs");
    done = true;
  }
  static fs::path p = tmp.path / "qs";
  return p;
}

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

// -- gnuplot ------------------------------------------------------------------

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

// -- subprocesses -------------------------------------------------------------

TEST(process, feeds_input_captures_output_and_enforces_deadlines) {
  sim::process_options opts;
  opts.input = std::string(1 << 20, 'x'); // more than a pipe buffer
  auto cat = sim::run_process({"cat"}, opts);
  ASSERT_TRUE(cat) << render(cat.error());
  EXPECT_EQ(cat->status, 0);
  EXPECT_EQ(cat->out.size(), size_t{1} << 20);
  sim::process_options quick;
  quick.timeout_ms = 200;
  auto t0 = std::chrono::steady_clock::now();
  auto slow = sim::run_process({"sleep", "30"}, quick);
  auto secs
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
        .count();
  ASSERT_TRUE(slow);
  EXPECT_TRUE(slow->timed_out);
  EXPECT_LT(secs, 5.0);
  auto status = sim::run_process({"sh", "-c", "echo oops >&2; exit 3"}, {});
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 3);
  EXPECT_EQ(status->err, "oops\n");
  // A child that stops reading its input early does not kill this process.
  sim::process_options big;
  big.input = std::string(8 << 20, 'y');
  auto early = sim::run_process({"true"}, big);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 0);
  auto missing = sim::run_process({"no-such-program-caf-test"}, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(render(missing.error()).find("not found"), std::string::npos);
}

// -- results ------------------------------------------------------------------

TEST(report_results, summaries_and_runs_give_the_same_numbers) {
  auto& dir = quickstart_dir();
  auto a = sim::load_results(dir.string());
  ASSERT_TRUE(a) << render(a.error());
  EXPECT_EQ(a->source, "summary.jsonl");
  sim::load_options lo;
  lo.from_runs = true;
  auto b = sim::load_results(dir.string(), lo);
  ASSERT_TRUE(b) << render(b.error());
  EXPECT_EQ(b->source, "runs.jsonl");
  ASSERT_EQ(a->axes.size(), 1u);
  EXPECT_EQ(a->axes[0].key, "beta_2");
  EXPECT_TRUE(a->axes[0].numeric);
  EXPECT_EQ(a->axes[0].numbers, (std::vector<double>{0.6, 0.7, 0.8, 0.9}));
  ASSERT_EQ(a->cells.size(), 4u);
  ASSERT_EQ(b->cells.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    auto& x = a->cells[c];
    auto& y = b->cells[c];
    EXPECT_TRUE(x.present);
    EXPECT_EQ(x.runs, 100u);
    EXPECT_EQ(x.label, y.label);
    EXPECT_EQ(x.finalize_rate.hits, y.finalize_rate.hits);
    EXPECT_EQ(x.accuracy.hits, y.accuracy.hits);
    EXPECT_EQ(x.accuracy_finalized.hits, y.accuracy_finalized.hits);
    EXPECT_DOUBLE_EQ(x.accuracy.lo, y.accuracy.lo);
    EXPECT_NEAR(x.rounds.value, y.rounds.value, 1e-12);
    EXPECT_NEAR(x.latency_ms.hi, y.latency_ms.hi, 1e-6);
    EXPECT_NEAR(x.calls.lo, y.calls.lo, 1e-9);
  }
  // A stricter beta_2 finalizes less often (the quickstart's point).
  EXPECT_GT(a->cells[0].finalize_rate.value, a->cells[3].finalize_rate.value);
}

TEST(report_results, pooling_equals_summarizing_all_runs_together) {
  auto sc = load("quickstart.yaml", 60);
  sim::cell_summary all;
  sim::cell_summary first;
  sim::cell_summary rest;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.on_run = [&](const sim::run_metrics& m) {
    all.add(m);
    (m.cell < 1 ? first : rest).add(m);
  };
  ASSERT_FALSE(sim::run_sweep(sc, opts));
  auto a = sim::to_cell_result(first);
  auto b = sim::to_cell_result(rest);
  auto pooled = sim::pool({&a, &b});
  auto direct = sim::to_cell_result(all);
  EXPECT_EQ(pooled.runs, direct.runs);
  EXPECT_EQ(pooled.finalize_rate.hits, direct.finalize_rate.hits);
  EXPECT_DOUBLE_EQ(pooled.accuracy.lo, direct.accuracy.lo);
  EXPECT_EQ(pooled.accuracy_finalized.n, direct.accuracy_finalized.n);
  EXPECT_NEAR(pooled.rounds.value, direct.rounds.value, 1e-12);
  EXPECT_NEAR(pooled.rounds.lo, direct.rounds.lo, 1e-9);
  EXPECT_NEAR(pooled.latency_ms.hi, direct.latency_ms.hi, 1e-6);
  EXPECT_NEAR(pooled.calls.hi, direct.calls.hi, 1e-9);
  // Missing parts are ignored.
  sim::cell_result missing;
  auto same = sim::pool({&a, &missing});
  EXPECT_EQ(same.runs, a.runs);
  EXPECT_NEAR(same.rounds.hi, a.rounds.hi, 1e-9);
}

namespace {

/// Copies the quickstart results into `dst` and applies `edit` to the file
/// `name` (whole text).
void mutate(const fs::path& dst, const std::string& name,
            const std::function<std::string(std::string)>& edit) {
  fs::create_directories(dst);
  for (auto& e : fs::directory_iterator{quickstart_dir()})
    if (e.is_regular_file())
      fs::copy_file(e.path(), dst / e.path().filename(),
                    fs::copy_options::overwrite_existing);
  spit(dst / name, edit(slurp(dst / name)));
}

std::string replace_first(std::string text, const std::string& from,
                          const std::string& to) {
  auto i = text.find(from);
  if (i == std::string::npos)
    throw std::runtime_error("test setup: '" + from + "' not found");
  return text.replace(i, from.size(), to);
}

std::string load_error(const fs::path& dir, bool from_runs = false) {
  sim::load_options lo;
  lo.from_runs = from_runs;
  auto r = sim::load_results(dir.string(), lo);
  return r ? std::string{"(loaded)"} : render(r.error());
}

} // namespace

TEST(report_results, bad_directories_are_rejected_with_the_reason) {
  temp_dir tmp;
  EXPECT_NE(load_error(tmp.path / "nope").find("no such results directory"),
            std::string::npos);
  spit(tmp.path / "file", "x");
  EXPECT_NE(load_error(tmp.path / "file").find("not a directory"),
            std::string::npos);
  fs::create_directories(tmp.path / "empty");
  EXPECT_NE(load_error(tmp.path / "empty").find("manifest.json: missing"),
            std::string::npos);
  struct bad_case {
    const char* name;
    const char* file;
    std::function<std::string(std::string)> edit;
    const char* expect;
    bool from_runs;
  };
  auto line = [](std::string text, size_t n) {
    // Returns line n (0-based) of `text`.
    std::istringstream is{text};
    std::string l;
    for (size_t i = 0; i <= n; ++i)
      std::getline(is, l);
    return l;
  };
  std::vector<bad_case> cases{
    {"manifest_not_json", "manifest.json",
     [](std::string) { return std::string{"{ not json"}; },
     "manifest.json: not valid JSON", false},
    {"manifest_not_object", "manifest.json",
     [](std::string) { return std::string{"[1, 2]"}; },
     "expected a JSON object", false},
    {"sweep_not_list", "manifest.json",
     [](std::string t) {
       auto j = json::parse(t);
       j["sweep"] = "beta_2";
       return j.dump();
     },
     "field 'sweep' must be a list", false},
    {"duplicate_axis", "manifest.json",
     [](std::string t) {
       auto j = json::parse(t);
       j["sweep"].push_back(j["sweep"][0]);
       return j.dump();
     },
     "appears twice", false},
    {"axis_values_empty", "manifest.json",
     [](std::string t) {
       auto j = json::parse(t);
       j["sweep"][0]["values"] = json::array();
       return j.dump();
     },
     "must be a non-empty list", false},
    {"too_many_cells", "manifest.json",
     [](std::string t) {
       auto j = json::parse(t);
       json vals = json::array();
       for (int i = 0; i < 1001; ++i)
         vals.push_back(std::to_string(i));
       j["sweep"] = json::array({json{{"key", "a"}, {"values", vals}},
                                 json{{"key", "b"}, {"values", vals}}});
       return j.dump();
     },
     "more than 1000000 cells", false},
    {"scenario_name_not_string", "manifest.json",
     [](std::string t) {
       auto j = json::parse(t);
       j["scenario"]["name"] = 5;
       return j.dump();
     },
     "field 'scenario.name' must be a string", false},
    {"summary_line_not_json", "summary.jsonl",
     [&](std::string t) { return replace_first(t, "\n{", "\n{{"); },
     "summary.jsonl:2: not valid JSON", false},
    {"summary_line_not_object", "summary.jsonl",
     [&](std::string t) { return "[1]\n" + t; },
     "summary.jsonl:1: expected a JSON object per line", false},
    {"cell_out_of_range", "summary.jsonl",
     [&](std::string t) {
       return replace_first(t, "\"cell\":0", "\"cell\":99");
     },
     "cell 99 is outside the sweep", false},
    {"duplicate_cell", "summary.jsonl",
     [&](std::string t) { return t + line(t, 0) + "\n"; },
     "summary.jsonl:5: cell 0 appears twice", false},
    {"assignment_mismatch", "summary.jsonl",
     [&](std::string t) {
       return replace_first(t, "\"beta_2\":\"0.6\"", "\"beta_2\":\"0.7\"");
     },
     "has beta_2=0.7 but the manifest's sweep puts beta_2=0.6", false},
    {"hits_above_n", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["accuracy"]["hits"] = 1000;
       return replace_first(t, line(t, 0), first.dump());
     },
     "field 'accuracy': hits (1000) exceed n (100)", false},
    {"interval_backwards", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["finalize_rate"]["lo"] = 0.99;
       return replace_first(t, line(t, 0), first.dump());
     },
     "expected 0 <= lo <= value <= hi <= 1", false},
    {"value_not_hits_over_n", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["accuracy"]["value"] = first["accuracy"]["lo"];
       return replace_first(t, line(t, 0), first.dump());
     },
     "is not hits/n", false},
    {"mean_outside_interval", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["rounds"]["mean"] = 1e9;
       return replace_first(t, line(t, 0), first.dump());
     },
     "expected lo <= mean <= hi", false},
    {"missing_field", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first.erase("accuracy");
       return replace_first(t, line(t, 0), first.dump());
     },
     "summary.jsonl:1: missing field 'accuracy'", false},
    {"wrong_type", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["calls"]["mean"] = "ten";
       return replace_first(t, line(t, 0), first.dump());
     },
     "field 'calls.mean' must be a number", false},
    {"negative_runs", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["runs"] = -3;
       return replace_first(t, line(t, 0), first.dump());
     },
     "field 'runs' must be a non-negative integer", false},
    {"finalized_n_mismatch", "summary.jsonl",
     [&](std::string t) {
       auto first = json::parse(line(t, 0));
       first["accuracy_finalized"]["n"] = 3;
       first["accuracy_finalized"]["hits"] = 3;
       first["accuracy_finalized"]["value"] = 1.0;
       first["accuracy_finalized"]["lo"] = 0.4;
       first["accuracy_finalized"]["hi"] = 1.0;
       return replace_first(t, line(t, 0), first.dump());
     },
     "must equal the finalized runs", false},
    {"summary_empty", "summary.jsonl",
     [](std::string) { return std::string{"\n\n"}; }, "holds no cell", false},
    {"runs_bad_type", "runs.jsonl",
     [&](std::string t) {
       return replace_first(t, "\"finalized\":", "\"finalized\":1,\"x\":");
     },
     "runs.jsonl:1: field 'finalized' must be true or false", true},
    {"runs_bad_cell", "runs.jsonl",
     [&](std::string t) { return "{\"cell\":7}\n" + t; },
     "runs.jsonl:1: cell 7 is outside the sweep", true},
    {"runs_missing_field", "runs.jsonl",
     [&](std::string t) {
       return replace_first(t, "\"calls\":", "\"callz\":");
     },
     "runs.jsonl:1: missing field 'calls'", true},
  };
  for (auto& c : cases) {
    auto dir = tmp.path / c.name;
    mutate(dir, c.file, c.edit);
    auto err = load_error(dir, c.from_runs);
    EXPECT_NE(err.find(c.expect), std::string::npos)
      << c.name << ": got '" << err << "', expected '" << c.expect << "'";
  }
  // Neither summaries nor runs.
  auto none = tmp.path / "none";
  fs::create_directories(none);
  fs::copy_file(quickstart_dir() / "manifest.json", none / "manifest.json");
  EXPECT_NE(load_error(none).find("neither summary.jsonl nor runs.jsonl"),
            std::string::npos);
  // Only runs.jsonl: summarized from the runs.
  auto runs_only = tmp.path / "runs-only";
  mutate(runs_only, "runs.jsonl", [](std::string t) { return t; });
  fs::remove(runs_only / "summary.jsonl");
  auto r = sim::load_results(runs_only.string());
  ASSERT_TRUE(r) << render(r.error());
  EXPECT_EQ(r->source, "runs.jsonl");
}

TEST(report_results, a_missing_cell_is_shown_as_missing) {
  temp_dir tmp;
  auto dir = tmp.path / "partial";
  mutate(dir, "summary.jsonl", [](std::string t) {
    // Drop the line of cell 2.
    std::istringstream is{t};
    std::string out;
    std::string l;
    while (std::getline(is, l))
      if (l.find("\"cell\":2,") == std::string::npos)
        out += l + "\n";
    return out;
  });
  auto r = sim::load_results(dir.string());
  ASSERT_TRUE(r) << render(r.error());
  EXPECT_TRUE(r->cells[1].present);
  EXPECT_FALSE(r->cells[2].present);
  auto charts = sim::line_charts(*r, nullptr);
  ASSERT_EQ(charts.size(), 1u);
  auto& ys = charts[0].second.panels[0].series[0].y;
  ASSERT_EQ(ys.size(), 4u);
  EXPECT_TRUE(std::isnan(ys[2]));
  EXPECT_FALSE(std::isnan(ys[1]));
}

// -- HTML ---------------------------------------------------------------------

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
}

// -- baselines ----------------------------------------------------------------

TEST(report_baselines, call_budget_rounds) {
  EXPECT_EQ(sim::equal_call_rounds(10.4, 5), 1);
  EXPECT_EQ(sim::equal_call_rounds(5, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(2, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(28, 7), 3);
  EXPECT_EQ(sim::equal_call_rounds(NAN, 5), 0);
  EXPECT_EQ(sim::equal_call_rounds(10, 0), 0);
}

TEST(report_baselines, vote_runs_beside_every_cell_with_the_same_seeds) {
  auto res = sim::load_results(quickstart_dir().string());
  ASSERT_TRUE(res);
  auto sc = load("quickstart.yaml", 100);
  auto b = sim::run_baselines(*res, sc, sim::engine_kind::inline_calls, 2);
  ASSERT_TRUE(b) << render(b.error());
  ASSERT_EQ(b->round0.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    // Majority after round 0: one call per agent, no refinement round.
    EXPECT_EQ(b->round0[c].runs, 100u);
    EXPECT_DOUBLE_EQ(b->round0[c].calls.value, 5.0);
    EXPECT_DOUBLE_EQ(b->round0[c].rounds.value, 0.0);
    // The quickstart uses about 10.4 calls: one debate round (10 calls).
    EXPECT_EQ(b->budget_rounds[c], 1);
    EXPECT_DOUBLE_EQ(b->equal_calls[c].calls.value, 10.0);
    EXPECT_GT(b->round0[c].accuracy.value, 0.5);
  }
  // The baseline of a cell does not depend on the cell's beta_2 (vote
  // ignores it), but it does depend on the cell's run seeds: the same seeds
  // give the same numbers, other seeds (almost surely) others.
  auto again = sim::run_baselines(*res, sc, sim::engine_kind::actors, 1);
  ASSERT_TRUE(again);
  for (size_t c = 0; c < 4; ++c)
    EXPECT_EQ(again->round0[c].accuracy.hits, b->round0[c].accuracy.hits);
  // A changed scenario file is refused.
  auto other = sc;
  other.hash = "0000000000000000";
  auto refused = sim::run_baselines(*res, other, sim::engine_kind::inline_calls,
                                    1);
  ASSERT_FALSE(refused);
  EXPECT_NE(render(refused.error()).find("differs from the manifest"),
            std::string::npos);
  // Baselines appear in the charts and the page.
  auto charts = sim::line_charts(*res, &*b);
  ASSERT_EQ(charts.size(), 1u);
  auto& series = charts[0].second.panels[0].series;
  ASSERT_EQ(series.size(), 3u);
  EXPECT_TRUE(series[1].dashed);
  EXPECT_NE(series[1].name.find("round 0"), std::string::npos);
  auto html = sim::report_html(*res, {}, &*b);
  EXPECT_NE(html.find("Baselines"), std::string::npos);
  EXPECT_NE(html.find("vote at equal calls"), std::string::npos);
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

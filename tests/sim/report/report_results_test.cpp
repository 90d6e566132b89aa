// Tests: reading results directories, pooling, rejecting bad ones.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/report.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "sim/report/report_fixture.hpp"

using namespace caf::consensus;
using namespace report_test;
namespace fs = std::filesystem;
using json = nlohmann::json;

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
  // The caption says so (the line has a gap there).
  sim::report_options opts;
  opts.out_dir = (tmp.path / "out").string();
  opts.png = false;
  auto w = sim::write_report(*r, opts);
  ASSERT_TRUE(w) << render(w.error());
  EXPECT_NE(slurp(w->html_path).find("the lines have gaps there"),
            std::string::npos);
}

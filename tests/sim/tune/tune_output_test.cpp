// consensus-sim tune: the outputs: the tuned scenario reads back as the
// chosen cell, tune.json holds the race, and the table names the choice.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/tune/output.hpp"
#include "caf/consensus/sim/tune/tune.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace {

const char* tuned_yaml = R"(name: tuned-output
policy: metastable
labels:
  right: add a composite index on customer id and created at
  "no": do not add any index at all
ground_truth: right
agents:
  - name: a
    count: 3
    answers: {right: 0.6, "no": 0.4}
    behaviour: "conform:0.8"
  - name: b
    count: 2
    answers: {right: 0.6, "no": 0.4}
replicates: 200
seed: 11
sweep:
  rounds: {from: 1, to: 3}
  agents.b.behaviour: [stubborn, "conform:0.9"]
)";

std::string read_text(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

} // namespace

TEST(tune_output, tuned_scenario_is_the_chosen_cell) {
  auto s = sim::parse_scenario(tuned_yaml, "tuned-output.yaml");
  ASSERT_TRUE(s) << render(s.error());
  sim::tune_options o;
  o.budget = 600;
  auto obj = sim::parse_objective("accuracy");
  ASSERT_TRUE(obj);
  auto res = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(res) << render(res.error());
  ASSERT_TRUE(res->has_choice);
  auto text = sim::tuned_scenario_text(*s, tuned_yaml, *res);
  ASSERT_TRUE(text) << render(text.error());
  auto back = sim::parse_scenario(*text, "tuned.yaml");
  ASSERT_TRUE(back) << render(back.error()) << '\n' << *text;
  ASSERT_EQ(sim::cell_count(*back), 1u);
  auto mine = sim::resolve_cell(*back, 0);
  auto theirs = sim::resolve_cell(*s, res->chosen);
  ASSERT_TRUE(mine && theirs);
  EXPECT_EQ(sim::cell_json(*mine).dump(), sim::cell_json(*theirs).dump());
  EXPECT_EQ(mine->groups[1].refine, theirs->groups[1].refine);
  EXPECT_EQ(mine->groups[1].conform_p, theirs->groups[1].conform_p);
  EXPECT_EQ(mine->ps.rounds, theirs->ps.rounds);
  EXPECT_NE(text->find("consensus-sim tune"), std::string::npos);
}

TEST(tune_output, folder_holds_json_text_and_scenario) {
  auto s = sim::parse_scenario(tuned_yaml, "tuned-output.yaml");
  ASSERT_TRUE(s);
  sim::tune_options o;
  o.budget = 600;
  auto obj = sim::parse_objective("accuracy, wrong_final<=0.5");
  ASSERT_TRUE(obj);
  auto res = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(res) << render(res.error());
  auto dir = fs::temp_directory_path()
             / ("tune-out-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ASSERT_FALSE(sim::write_tune(*res, *s, tuned_yaml, dir.string(), "cmd"));
  auto j = nlohmann::json::parse(read_text(dir / "tune.json"));
  EXPECT_EQ(j["command"], "cmd");
  EXPECT_EQ(j["cells"].size(), 6u);
  EXPECT_EQ(j["runs"]["total"].get<uint64_t>(),
            res->runs_search + res->runs_confirm);
  EXPECT_LE(j["runs"]["total"].get<uint64_t>(), 600u);
  EXPECT_EQ(j["chosen"]["cell"].get<uint64_t>(), res->chosen);
  EXPECT_EQ(j["objective"]["constraints"][0]["metric"], "wrong_final");
  EXPECT_EQ(read_text(dir / "tune.txt"), sim::tune_text(*res));
  EXPECT_TRUE(fs::exists(dir / "tuned.yaml"));
  fs::remove_all(dir);
}

TEST(tune_output, a_stopped_tune_resumes_from_the_store) {
  auto s = sim::parse_scenario(tuned_yaml, "tuned-output.yaml");
  ASSERT_TRUE(s);
  auto obj = sim::parse_objective("accuracy");
  ASSERT_TRUE(obj);
  auto dir = fs::temp_directory_path()
             / ("tune-store-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  // The whole race at once, without a store.
  sim::tune_options o;
  o.budget = 1000;
  o.confirm = 100;
  auto whole = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(whole) << render(whole.error());
  // Stopped early by a small budget, its runs stored ...
  o.store_dir = dir.string();
  o.scenario_text = tuned_yaml;
  o.budget = 400;
  auto part = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(part) << render(part.error());
  EXPECT_EQ(part->runs_reused, 0u);
  // ... a second start without --resume is refused ...
  o.budget = 1000;
  auto again = sim::run_tune(*s, *obj, o);
  ASSERT_FALSE(again);
  EXPECT_NE(render(again.error()).find("exists already"), std::string::npos);
  // ... another seed cannot resume it ...
  o.resume = true;
  o.seed = 99;
  again = sim::run_tune(*s, *obj, o);
  ASSERT_FALSE(again);
  EXPECT_NE(render(again.error()).find("give the same --seed"),
            std::string::npos);
  // ... and the resumed race ends where the whole one did, running only the
  // runs the first part had not.
  o.seed.reset();
  auto rest = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(rest) << render(rest.error());
  EXPECT_EQ(rest->runs_reused, part->runs_search);
  EXPECT_GT(rest->runs_reused, 0u);
  auto a = sim::tune_json(*whole, "x");
  auto b = sim::tune_json(*rest, "x");
  for (auto* j : {&a, &b}) {
    j->erase("seconds");
    (*j)["runs"].erase("reused");
  }
  EXPECT_EQ(a.dump(), b.dump());
  fs::remove_all(dir);
}

TEST(tune_output, charts_show_the_front_and_each_axis_around_the_choice) {
  auto s = sim::parse_scenario(tuned_yaml, "tuned-output.yaml");
  ASSERT_TRUE(s);
  sim::tune_options o;
  o.budget = 600;
  auto obj = sim::parse_objective("accuracy");
  ASSERT_TRUE(obj);
  auto res = sim::run_tune(*s, *obj, o);
  ASSERT_TRUE(res) << render(res.error());
  auto charts = sim::tune_charts(*res, *s);
  // The front, then rounds (3 values) and agents.b.behaviour (2 values).
  ASSERT_EQ(charts.size(), 3u);
  EXPECT_EQ(charts[0].first, "front");
  auto& front = charts[0].second.panels[0].series.back();
  EXPECT_EQ(front.name, "on the front");
  EXPECT_EQ(front.x.size(), res->front.size());
  EXPECT_EQ(charts[1].first, "effect-1-rounds");
  EXPECT_EQ(charts[2].first, "effect-2-agents.b.behaviour");
  // rounds is numeric, behaviour categorical.
  EXPECT_TRUE(charts[1].second.xtics.empty());
  EXPECT_EQ(charts[2].second.xtics,
            (std::vector<std::string>{"stubborn", "conform:0.9"}));
  for (size_t i = 1; i < charts.size(); ++i) {
    auto& acc = charts[i].second.panels[0];
    EXPECT_EQ(acc.title, "accuracy");
    ASSERT_EQ(acc.series.size(), 2u);
    ASSERT_EQ(acc.series[1].y.size(), 1u);
    EXPECT_EQ(acc.series[1].y[0], res->cells[res->chosen].est.accuracy.value);
    EXPECT_EQ(sim::check_chart(charts[i].second), "");
  }
  EXPECT_EQ(sim::check_chart(charts[0].second), "");
  // Drawn into the folder and the page.
  auto dir = fs::temp_directory_path()
             / ("tune-charts-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  sim::gnuplot_options gp;
  auto err = sim::write_tune(*res, *s, tuned_yaml, dir.string(), "cmd", &gp);
  ASSERT_FALSE(err) << render(err);
  EXPECT_TRUE(fs::exists(dir / "charts" / "front.svg"));
  EXPECT_TRUE(fs::exists(dir / "charts" / "effect-1-rounds.svg"));
  auto page = read_text(dir / "index.html");
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("id=\"chart-effect-2-agents.b.behaviour\""),
            std::string::npos);
  fs::remove_all(dir);
}

// Tests: run seeds of any size from scenario files reach the run whole
// (`hanzo` seeds Python's generator with them), stay equal across engines,
// and survive runs.csv, runs.jsonl and the results store.

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "caf/deep_to_string.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/python_random.hpp"
#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;

namespace {

// Six hanzo agents that each see k = 2 of their five peers: which peers is
// drawn from Python's generator seeded with the run seed.
const std::string text = "ground_truth: correct\n"
                         "policy: hanzo\n"
                         "params: {rounds: 2, k: 2}\n"
                         "labels: {correct: the answer is right, wrong: the "
                         "answer is wrong}\n"
                         "agents:\n"
                         "  - name: a\n"
                         "    count: 6\n"
                         "    answers: {correct: 0.5, wrong: 0.5}\n"
                         "seeds: [0, 18446744073709551616, "
                         "1267650600228229401496703205383, -1, 1, "
                         "-9223372036854775808, 9223372036854775808]\n";

sim::scenario scenario() {
  auto s = sim::parse_scenario(text, "big-seeds.yaml");
  if (!s)
    throw std::runtime_error(render(s.error()));
  return std::move(*s);
}

rng::seed big(const char* x) {
  auto s = rng::seed::parse(x);
  if (!s)
    throw std::runtime_error("bad seed text in a test");
  return std::move(*s);
}

// The peers hanzo sampled in round 1 (every agent answers: the draw depends
// on the seed alone).
std::string first_samples(const sim::scenario& s, uint64_t rep) {
  auto st = sim::run_inline(s, sim::run_seed(s, 0, rep));
  if (!st)
    throw std::runtime_error(render(st.error()));
  if (st->trace.size() < 2)
    throw std::runtime_error("no refinement round");
  return caf::deep_to_string(st->trace[1].samples);
}

std::vector<sim::run_metrics> sweep(const sim::scenario& s,
                                    sim::engine_kind engine, size_t threads) {
  std::vector<sim::run_metrics> out;
  sim::sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.on_run = [&](const sim::run_metrics& m) { out.push_back(m); };
  if (auto err = sim::run_sweep(s, opts))
    throw std::runtime_error(render(err));
  return out;
}

} // namespace

TEST(sim_run_seed, listed_seeds_reach_the_run_whole) {
  auto s = scenario();
  EXPECT_EQ(sim::run_seed(s, 0, 1), big("18446744073709551616"));
  EXPECT_EQ(sim::run_params(s, sim::run_seed(s, 0, 2)).seed,
            big("1267650600228229401496703205383"));
  // The agents draw from the seed modulo 2^64 (2^64 = 0, -1 = 2^64 - 1) ...
  EXPECT_EQ(sim::agents_seed(sim::run_seed(s, 0, 1)),
            sim::agents_seed(sim::run_seed(s, 0, 0)));
  EXPECT_EQ(sim::agents_seed(sim::run_seed(s, 0, 3)),
            sim::agents_seed(rng::seed{UINT64_MAX}));
  // ... while hanzo's peer samples come from Python's generator seeded with
  // the whole integer: 2^64 samples differently from 0, and -1 as 1 (Python
  // seeds with |n|).
  EXPECT_NE(rng::python_random{big("18446744073709551616")}.random(),
            rng::python_random{rng::seed{0}}.random());
  EXPECT_NE(first_samples(s, 1), first_samples(s, 0));
  EXPECT_EQ(first_samples(s, 3), first_samples(s, 4));
  EXPECT_EQ(first_samples(s, 5), first_samples(s, 6)); // -(2^63), 2^63
  EXPECT_NE(first_samples(s, 2), first_samples(s, 6));
}

TEST(sim_run_seed, derived_seeds_take_the_scenario_seed_modulo_2_64) {
  auto s = scenario();
  s.seeds.clear();
  s.seed = big("18446744073709551621"); // 2^64 + 5
  EXPECT_EQ(sim::run_seed(s, 3, 4), rng::seed{rng::derive(5, {3, 4})});
}

TEST(sim_run_seed, engines_and_threads_agree_on_big_seeds) {
  auto s = scenario();
  auto ref = sweep(s, sim::engine_kind::inline_calls, 1);
  ASSERT_EQ(ref.size(), s.seeds.size());
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_EQ(ref[i].seed, s.seeds[i]) << i;
  auto text_of = [](const std::vector<sim::run_metrics>& xs) {
    std::string out;
    for (auto& m : xs)
      out += sim::to_csv(m) + "\n";
    return out;
  };
  EXPECT_EQ(text_of(ref), text_of(sweep(s, sim::engine_kind::inline_calls, 2)));
  EXPECT_EQ(text_of(ref), text_of(sweep(s, sim::engine_kind::actors, 2)));
}

TEST(sim_run_seed, files_and_the_store_keep_every_digit) {
  auto s = scenario();
  auto runs = sweep(s, sim::engine_kind::inline_calls, 1);
  // runs.csv: the decimal text; runs.jsonl: an integer within 64 bits, the
  // decimal text beyond.
  EXPECT_EQ(sim::to_csv(runs[2]).substr(0, 36),
            "0,2,1267650600228229401496703205383,");
  EXPECT_EQ(sim::to_json(runs[2])["seed"], "1267650600228229401496703205383");
  EXPECT_EQ(sim::to_json(runs[3])["seed"], -1);
  EXPECT_EQ(sim::to_json(runs[6])["seed"], 9223372036854775808ull);
  EXPECT_EQ(sim::to_json(runs[1])["seed"], "18446744073709551616");
  // The store gives back exactly what it was given.
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path()
             / ("caf-consensus-seed-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    auto st = sim::results_store::create(dir.string(), s, text, false,
                                         nlohmann::json::object());
    ASSERT_TRUE(st) << render(st.error());
    ASSERT_FALSE(st->insert(runs));
  }
  auto st = sim::results_store::open(dir.string());
  ASSERT_TRUE(st) << render(st.error());
  std::vector<sim::run_metrics> back;
  ASSERT_FALSE(
    st->for_each([&](const sim::run_metrics& m) { back.push_back(m); }));
  ASSERT_EQ(back.size(), runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(back[i].seed, runs[i].seed) << i;
    EXPECT_EQ(sim::to_csv(back[i]), sim::to_csv(runs[i])) << i;
  }
  auto again = st->load_scenario();
  ASSERT_TRUE(again) << render(again.error());
  EXPECT_EQ(again->seeds, s.seeds);
  fs::remove_all(dir);
}

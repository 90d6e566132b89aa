// Tests: the durable results store (suite store_test).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <sqlite3.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "support/process.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace {

const std::string scenarios = CAF_CONSENSUS_SCENARIOS;

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(scenarios + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

std::string text_of(const sim::scenario& s) {
  return test_util::slurp(s.file);
}

/// runs.csv + agents.csv + runs.jsonl of a run sequence.
struct outputs {
  std::string csv = sim::runs_csv_header() + "\n";
  std::string agents = sim::agents_csv_header() + "\n";
  std::string jsonl;
  std::string rounds;

  void add(const sim::run_metrics& m) {
    csv += sim::to_csv(m) + "\n";
    agents += sim::agents_csv(m);
    jsonl += sim::to_json(m).dump() + "\n";
    rounds += sim::rounds_csv(m) + sim::rounds_jsonl(m);
  }
};

/// Runs the sweep directly (no store).
outputs direct(const sim::scenario& s, bool agent_rows) {
  outputs out;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.agent_rows = agent_rows;
  opts.on_run = [&](const sim::run_metrics& m) { out.add(m); };
  if (auto err = sim::run_sweep(s, opts))
    throw std::runtime_error(render(err));
  return out;
}

outputs exported(const sim::results_store& st) {
  outputs out;
  if (auto err = st.for_each([&](const sim::run_metrics& m) { out.add(m); }))
    throw std::runtime_error(sim::render_sweep_error(err));
  return out;
}

sim::results_store make_store(const std::string& dir, const sim::scenario& s,
                              bool agent_rows) {
  auto st = sim::results_store::create(
    dir, s, text_of(s), agent_rows,
    sim::manifest(s, sim::engine_kind::inline_calls, "test"));
  if (!st)
    throw std::runtime_error(sim::render_sweep_error(st.error()));
  return std::move(*st);
}

std::string message_of(const caf::error& err) {
  return sim::render_sweep_error(err);
}

class store_test : public ::testing::Test {
protected:
  void SetUp() override {
    dir = test_util::temp_dir("store");
    ASSERT_FALSE(dir.empty());
  }

  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::string sub(const std::string& name) {
    return (fs::path{dir} / name).string();
  }

  std::string dir;
};

} // namespace

TEST_F(store_test, stored_runs_export_byte_for_byte) {
  auto s = load("quickstart.yaml", 30);
  auto ref = direct(s, true);
  auto st = make_store(sub("a"), s, true);
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.agent_rows = true;
  uint64_t batches = 0;
  opts.on_batch = [&](const std::vector<sim::run_metrics>& xs) {
    ++batches;
    return st.insert(xs);
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_GT(batches, 4u); // one transaction per batch, not one per sweep
  auto count = st.count();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 4u * 30u);
  auto got = exported(st);
  EXPECT_EQ(got.csv, ref.csv);
  EXPECT_EQ(got.agents, ref.agents);
  EXPECT_EQ(got.jsonl, ref.jsonl);
  EXPECT_GT(ref.rounds.size(), 10000u);
  EXPECT_EQ(got.rounds, ref.rounds);
  // The same through a reader opened while the writer is still open.
  auto reader = sim::results_store::open(sub("a"));
  ASSERT_TRUE(reader) << message_of(reader.error());
  EXPECT_EQ(exported(*reader).csv, ref.csv);
}

TEST_F(store_test, the_database_runs_in_wal_mode_with_a_keyed_table) {
  auto s = load("quickstart.yaml", 2);
  auto st = make_store(sub("a"), s, false);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(st.path().c_str(), &db, SQLITE_OPEN_READONLY,
                            nullptr),
            SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)), "wal");
  sqlite3_finalize(q);
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name FROM pragma_table_info('runs') "
                               "WHERE pk > 0 ORDER BY pk",
                               -1, &q, nullptr),
            SQLITE_OK);
  std::vector<std::string> keys;
  while (sqlite3_step(q) == SQLITE_ROW)
    keys.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  sqlite3_close(db);
  EXPECT_EQ(keys, (std::vector<std::string>{"cell", "replicate"}));
}

TEST_F(store_test, special_doubles_and_large_integers_survive) {
  auto s = load("quickstart.yaml", 2);
  auto st = make_store(sub("a"), s, true);
  sim::run_metrics m;
  m.cell = 1;
  m.replicate = 1;
  m.seed = std::numeric_limits<uint64_t>::max() - 7; // above INT64_MAX
  m.policy = "metastable";
  m.alpha = -0.0;
  m.beta_1 = 1.0;
  m.beta_2 = 5e-324;
  m.winner_confidence = std::numeric_limits<double>::quiet_NaN();
  m.winner_score = std::numeric_limits<double>::infinity();
  m.agreement = 0.1 + 0.2;
  m.winner = "a,\"quoted\"\nname";
  m.calls = std::numeric_limits<uint64_t>::max();
  m.latency_ms = -5;
  m.agents.push_back(sim::agent_row{"x", "yes", -0.0, 3, 1, -1, "", -1});
  ASSERT_FALSE(st.insert({m}));
  std::vector<sim::run_metrics> back;
  ASSERT_FALSE(
    st.for_each([&](const sim::run_metrics& x) { back.push_back(x); }));
  ASSERT_EQ(back.size(), 1u);
  auto& x = back[0];
  EXPECT_EQ(sim::to_csv(x), sim::to_csv(m));
  EXPECT_EQ(sim::to_json(x).dump(), sim::to_json(m).dump());
  EXPECT_EQ(sim::agents_csv(x), sim::agents_csv(m));
  EXPECT_TRUE(std::signbit(x.alpha));
  EXPECT_TRUE(std::isnan(x.winner_confidence));
  EXPECT_EQ(x.beta_2, 5e-324);
  EXPECT_EQ(x.seed, m.seed);
  EXPECT_EQ(x.calls, m.calls);
  EXPECT_EQ(x.winner, m.winner);
  EXPECT_TRUE(std::signbit(x.agents.at(0).confidence));
}

TEST_F(store_test, every_run_is_stored_exactly_once) {
  auto s = load("quickstart.yaml", 5);
  auto st = make_store(sub("a"), s, true);
  std::vector<sim::run_metrics> all;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.agent_rows = true;
  opts.on_run = [&](const sim::run_metrics& m) { all.push_back(m); };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  std::vector<sim::run_metrics> first(all.begin(), all.begin() + 8);
  uint64_t added = 0;
  ASSERT_FALSE(st.insert(first, &added));
  EXPECT_EQ(added, 8u);
  ASSERT_FALSE(st.insert(all, &added)); // overlaps the first batch
  EXPECT_EQ(added, all.size() - 8);
  ASSERT_FALSE(st.insert(all, &added));
  EXPECT_EQ(added, 0u);
  EXPECT_EQ(*st.count(), all.size());
  outputs ref;
  for (auto& m : all)
    ref.add(m);
  auto got = exported(st);
  EXPECT_EQ(got.csv, ref.csv);
  EXPECT_EQ(got.agents, ref.agents); // no duplicated agent rows either
}

TEST_F(store_test, an_interrupted_sweep_resumes_to_identical_results) {
  auto s = load("voter-model.yaml", 40);
  auto ref = direct(s, true);
  auto total = sim::cell_count(s) * s.replicates;
  {
    // First attempt: "dies" after three batches.
    auto st = make_store(sub("a"), s, true);
    sim::sweep_options opts;
    opts.engine = sim::engine_kind::inline_calls;
    opts.threads = 2;
    opts.agent_rows = true;
    opts.batch_size = 7;
    int batches = 0;
    opts.on_batch = [&](const std::vector<sim::run_metrics>& xs) {
      if (++batches > 3)
        return sim::make_error(sim::sweep_errc::store_failed, "power cut");
      return st.insert(xs);
    };
    auto err = sim::run_sweep(s, opts);
    ASSERT_TRUE(err);
    EXPECT_NE(message_of(err).find("power cut"), std::string::npos);
    EXPECT_EQ(*st.count(), 21u);
  }
  auto st = sim::results_store::resume(sub("a"), s, true);
  ASSERT_TRUE(st) << message_of(st.error());
  auto stored = st->stored();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), 21u);
  std::set<uint64_t> computed;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::actors; // the other engine, same results
  opts.threads = 2;
  opts.agent_rows = true;
  opts.skip = [&](uint64_t cell, uint64_t rep) {
    return stored->contains(cell * s.replicates + rep);
  };
  bool repeated = false;
  opts.on_batch = [&](const std::vector<sim::run_metrics>& xs) {
    for (auto& m : xs) {
      auto idx = m.cell * s.replicates + m.replicate;
      repeated |= stored->contains(idx) || !computed.insert(idx).second;
    }
    return st->insert(xs);
  };
  ASSERT_FALSE(sim::run_sweep(s, opts));
  EXPECT_FALSE(repeated);
  EXPECT_EQ(computed.size(), total - 21);
  EXPECT_EQ(*st->count(), total);
  auto got = exported(*st);
  EXPECT_EQ(got.csv, ref.csv);
  EXPECT_EQ(got.agents, ref.agents);
  EXPECT_EQ(got.jsonl, ref.jsonl);
}

TEST_F(store_test, resume_refuses_a_different_sweep_and_names_the_difference) {
  auto s = load("quickstart.yaml", 10);
  { make_store(sub("a"), s, false); }
  auto expect_refusal = [&](const sim::scenario& other, bool agents,
                            const std::string& needle) {
    auto st = sim::results_store::resume(sub("a"), other, agents);
    ASSERT_FALSE(st) << needle;
    EXPECT_EQ(st.error().category(), sim::sweep_errc_category);
    EXPECT_EQ(st.error().code(),
              static_cast<uint8_t>(sim::sweep_errc::store_mismatch));
    auto msg = message_of(st.error());
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  };
  auto other = load("voter-model.yaml", 10);
  expect_refusal(other, false, "different scenario");
  expect_refusal(other, false, s.hash);
  expect_refusal(other, false, other.hash);
  auto more = s;
  more.replicates = 11;
  expect_refusal(more, false, "replicates");
  auto reseeded = s;
  reseeded.seed = s.seed.low64() + 1;
  expect_refusal(reseeded, false, "seed");
  expect_refusal(s, true, "--agents");
  // The same sweep resumes.
  EXPECT_TRUE(sim::results_store::resume(sub("a"), s, false));
  // Creating over an existing store is refused.
  auto again = sim::results_store::create(sub("a"), s, text_of(s), false,
                                          nlohmann::json::object());
  ASSERT_FALSE(again);
  EXPECT_NE(message_of(again.error()).find("--resume"), std::string::npos);
}

TEST_F(store_test, a_store_has_one_writer_at_a_time) {
  auto s = load("quickstart.yaml", 3);
  auto first = make_store(sub("a"), s, false);
  auto second = sim::results_store::resume(sub("a"), s, false);
  ASSERT_FALSE(second);
  EXPECT_NE(message_of(second.error()).find("another process"),
            std::string::npos)
    << message_of(second.error());
  // Readers are welcome.
  EXPECT_TRUE(sim::results_store::open(sub("a")));
}

TEST_F(store_test, bad_store_files_give_clear_errors) {
  auto expect_error = [&](const std::string& d, const std::string& needle) {
    auto st = sim::results_store::open(d);
    ASSERT_FALSE(st) << d;
    auto msg = message_of(st.error());
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    auto rs = sim::results_store::resume(d, load("quickstart.yaml", 3), false);
    ASSERT_FALSE(rs);
  };
  // No store at all.
  expect_error(sub("missing"), "no results store");
  // Not an SQLite file.
  fs::create_directories(sub("garbage"));
  {
    std::ofstream f{sub("garbage") + "/results.db", std::ios::binary};
    for (int i = 0; i < 4096; ++i)
      f.put(static_cast<char>((i * 7919) & 0xFF));
  }
  expect_error(sub("garbage"), "not an SQLite database");
  // An SQLite database of something else.
  fs::create_directories(sub("other"));
  {
    sqlite3* db = nullptr;
    sqlite3_open((sub("other") + "/results.db").c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  expect_error(sub("other"), "no meta table");
  // Our tables, someone else's format tag / a future schema.
  fs::create_directories(sub("future"));
  {
    sqlite3* db = nullptr;
    sqlite3_open((sub("future") + "/results.db").c_str(), &db);
    sqlite3_exec(db,
                 "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                 "INSERT INTO meta VALUES('format', 'caf-consensus results "
                 "store'), ('schema_version', '99');",
                 nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  expect_error(sub("future"), "schema version '99'");
  // A row whose per-round data is damaged: export names the run.
  {
    auto damaged = load("quickstart.yaml", 3);
    auto st = make_store(sub("blob"), damaged, false);
    sim::run_metrics m;
    m.cell = 1;
    m.replicate = 2;
    m.trajectory.resize(2);
    ASSERT_FALSE(st.insert({m}));
  }
  {
    sqlite3* db = nullptr;
    sqlite3_open((sub("blob") + "/results.db").c_str(), &db);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE runs SET trajectory = x'0102'", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    auto st = sim::results_store::open(sub("blob"));
    ASSERT_TRUE(st) << message_of(st.error());
    auto err = st->for_each([](const sim::run_metrics&) {});
    ASSERT_TRUE(err);
    EXPECT_NE(message_of(err).find("stored run (cell 1, replicate 2) has a "
                                   "damaged trajectory (per-round data)"),
              std::string::npos)
      << message_of(err);
  }
  // A store whose rows lie outside its grid.
  auto s = load("quickstart.yaml", 3);
  {
    auto st = make_store(sub("grid"), s, false);
    sim::run_metrics m;
    m.cell = 99;
    ASSERT_FALSE(st.insert({m}));
  }
  auto st = sim::results_store::open(sub("grid"));
  ASSERT_TRUE(st);
  auto ids = st->stored();
  ASSERT_FALSE(ids);
  EXPECT_NE(message_of(ids.error()).find("outside the sweep's grid"),
            std::string::npos);
  // Export (for_each) refuses such a row as resume does.
  uint64_t seen = 0;
  auto err = st->for_each([&](const sim::run_metrics&) { ++seen; });
  ASSERT_TRUE(err);
  EXPECT_NE(message_of(err).find("stored run (cell 99, replicate 0) is outside "
                                 "the sweep's grid of 4 cells x 3 replicates"),
            std::string::npos)
    << message_of(err);
  EXPECT_EQ(seen, 0u);
}

TEST_F(store_test, the_stored_scenario_loads_again) {
  auto s = load("snowball-polls.yaml", 7);
  auto st = make_store(sub("a"), s, false);
  auto back = st.load_scenario();
  ASSERT_TRUE(back) << message_of(back.error());
  EXPECT_EQ(back->hash, s.hash);
  EXPECT_EQ(back->replicates, 7u);
  EXPECT_EQ(sim::cell_count(*back), sim::cell_count(s));
  EXPECT_EQ(st.manifest()["scenario"]["hash"], s.hash);
}

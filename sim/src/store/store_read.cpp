// caf-consensus sim: reading a results store back: its manifest and
// scenario, the stored runs (count, set) and every run in canonical order.

#include "caf/consensus/sim/store/store.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include <sqlite3.h>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/internal/schema.hpp"
#include "caf/consensus/sim/store/internal/sqlite.hpp"
#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

using namespace store_internal;

namespace {

/// Reads one `runs` row (column order of the schema); names the damage when
/// its seed is neither an integer nor a decimal text or its trajectory does
/// not unpack.
const char* read_run(const stmt& s, run_metrics& m) {
  m.cell = s.u64(0);
  m.replicate = s.u64(1);
  if (s.is_text(2)) {
    auto x = rng::seed::parse(s.text(2));
    if (!x)
      return "has a seed that is not an integer";
    m.seed = std::move(*x);
  } else {
    m.seed = s.u64(2);
  }
  m.policy = s.text(3);
  m.rounds = s.i32(4);
  m.k = s.i32(5);
  m.alpha = s.dbl(6);
  m.beta_1 = s.dbl(7);
  m.beta_2 = s.dbl(8);
  m.rounds_executed = s.i32(9);
  m.stop_reason = s.text(10);
  m.finalized = s.i64(11) != 0;
  m.winner = s.text(12);
  m.winner_label = s.text(13);
  m.winner_correct = s.i64(14) != 0;
  m.winner_confidence = s.dbl(15);
  m.winner_score = s.dbl(16);
  m.agreement = s.dbl(17);
  m.unanimity_round = s.i32(18);
  m.unanimity_label = s.text(19);
  m.calls = s.u64(20);
  m.failures = s.u64(21);
  m.timeouts = s.u64(22);
  m.latency_ms = s.i64(23);
  m.rounds_to_decide = s.i32(24);
  m.polls_to_decide = s.i64(25);
  m.rounds_to_decide_live = s.i32(26);
  m.polls_to_decide_live = s.i64(27);
  m.stopped_early = s.i64(28) != 0;
  auto t = decode_trajectory(s.blob(29));
  if (!t)
    return "has a damaged trajectory (per-round data)";
  m.trajectory = std::move(*t);
  m.equal_calls_label = s.text(30);
  m.equal_calls_correct = s.i64(31) != 0;
  m.tokens = s.u64(32);
  m.agents.clear();
  return nullptr;
}

void read_agent(const stmt& s, agent_row& a) {
  a.agent = s.text(3);
  a.final_label = s.text(4);
  a.confidence = s.dbl(5);
  a.calls = s.u64(6);
  a.failures = s.u64(7);
  a.decided_round = s.i32(8);
  a.decided_label = s.text(9);
  a.decided_polls = s.i32(10);
}

} // namespace

// -- observers ----------------------------------------------------------------

nlohmann::json results_store::manifest() const {
  auto j = nlohmann::json::parse(manifest_, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

expected<scenario> results_store::load_scenario() const {
  auto s = parse_scenario(scenario_text_, scenario_file_);
  if (!s)
    return make_error(sweep_errc::no_store,
                      path_ + ": the stored scenario does not load: "
                        + render_sweep_error(s.error()));
  if (s->hash != id_.scenario_hash)
    return make_error(sweep_errc::no_store,
                      path_
                        + ": the stored scenario text does not match its "
                          "recorded hash");
  s->replicates = id_.replicates;
  s->seed = id_.seed;
  if (cell_count(*s) != id_.cells)
    return make_error(sweep_errc::no_store, path_ + ": the stored scenario has "
                                              + std::to_string(cell_count(*s))
                                              + " cells, the store records "
                                              + std::to_string(id_.cells));
  return s;
}

expected<uint64_t> results_store::count() const {
  stmt q;
  if (q.prepare(db_, "SELECT count(*) FROM runs") != SQLITE_OK
      || sqlite3_step(q.get()) != SQLITE_ROW)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot count runs"));
  return static_cast<uint64_t>(q.i64(0));
}

error results_store::check_in_grid(uint64_t cell, uint64_t rep) const {
  if (cell < id_.cells && rep < id_.replicates)
    return error{};
  return make_error(sweep_errc::no_store,
                    path_ + ": stored run (cell " + std::to_string(cell)
                      + ", replicate " + std::to_string(rep)
                      + ") is outside the sweep's grid of "
                      + std::to_string(id_.cells) + " cells x "
                      + std::to_string(id_.replicates) + " replicates");
}

expected<run_set> results_store::stored() const {
  stmt q;
  if (q.prepare(db_, "SELECT cell, replicate FROM runs ORDER BY cell, "
                     "replicate")
      != SQLITE_OK)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot list runs"));
  run_set out;
  int rc;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
    auto cell = q.u64(0);
    auto rep = q.u64(1);
    if (auto err = check_in_grid(cell, rep))
      return err;
    out.push_back(cell * id_.replicates + rep);
  }
  if (rc != SQLITE_DONE)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot list runs"));
  return out;
}

error results_store::for_each(
  const std::function<void(const run_metrics&)>& f) const {
  stmt runs;
  stmt agents;
  if (runs.prepare(db_, select_runs_sql) != SQLITE_OK
      || agents.prepare(db_, select_agents_sql) != SQLITE_OK)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot read runs"));
  // Both queries walk their primary keys in the same order: merge them.
  int arc = id_.agent_rows ? sqlite3_step(agents.get()) : SQLITE_DONE;
  run_metrics m;
  int rc;
  while ((rc = sqlite3_step(runs.get())) == SQLITE_ROW) {
    if (auto damage = read_run(runs, m))
      return make_error(sweep_errc::no_store,
                        path_ + ": stored run (cell "
                          + std::to_string(runs.u64(0)) + ", replicate "
                          + std::to_string(runs.u64(1)) + ") " + damage);
    // A row outside the grid means a damaged or foreign store: refuse it as
    // --resume does instead of exporting it.
    if (auto err = check_in_grid(m.cell, m.replicate))
      return err;
    auto key = std::make_pair(m.cell, m.replicate);
    while (arc == SQLITE_ROW) {
      auto akey = std::make_pair(agents.u64(0), agents.u64(1));
      if (akey > key)
        break;
      if (akey == key) {
        m.agents.emplace_back();
        read_agent(agents, m.agents.back());
      }
      arc = sqlite3_step(agents.get());
    }
    if (arc != SQLITE_ROW && arc != SQLITE_DONE)
      return make_error(sweep_errc::store_failed,
                        db_error(db_, path_, "cannot read agent rows"));
    f(m);
  }
  if (rc != SQLITE_DONE)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot read runs"));
  return error{};
}

} // namespace caf::consensus::sim

// caf-consensus sim: writing runs into a results store: the prepared
// statements of a writer and one transaction per batch.

#include "caf/consensus/sim/store/store.hpp"

#include <sqlite3.h>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/internal/schema.hpp"
#include "caf/consensus/sim/store/internal/sqlite.hpp"
#include "caf/consensus/sim/store/internal/statements.hpp"
#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

using namespace store_internal;

namespace {

/// Binds one `runs` row (column order of the schema).
void bind_run(stmt& s, const run_metrics& m) {
  s.bind_u(1, m.cell);
  s.bind_u(2, m.replicate);
  if (m.seed.fits_uint64())
    s.bind_u(3, m.seed.low64());
  else
    s.bind(3, m.seed.to_string());
  s.bind(4, m.policy);
  s.bind(5, int64_t{m.rounds});
  s.bind(6, int64_t{m.k});
  s.bind(7, m.alpha);
  s.bind(8, m.beta_1);
  s.bind(9, m.beta_2);
  s.bind(10, int64_t{m.rounds_executed});
  s.bind(11, m.stop_reason);
  s.bind(12, int64_t{m.finalized ? 1 : 0});
  s.bind(13, m.winner);
  s.bind(14, m.winner_label);
  s.bind(15, int64_t{m.winner_correct ? 1 : 0});
  s.bind(16, m.winner_confidence);
  s.bind(17, m.winner_score);
  s.bind(18, m.agreement);
  s.bind(19, int64_t{m.unanimity_round});
  s.bind(20, m.unanimity_label);
  s.bind_u(21, m.calls);
  s.bind_u(22, m.failures);
  s.bind_u(23, m.timeouts);
  s.bind(24, m.latency_ms);
  s.bind(25, int64_t{m.rounds_to_decide});
  s.bind(26, m.polls_to_decide);
  s.bind(27, int64_t{m.rounds_to_decide_live});
  s.bind(28, m.polls_to_decide_live);
  s.bind(29, int64_t{m.stopped_early ? 1 : 0});
  s.bind_blob(30, encode_trajectory(m.trajectory));
  s.bind(31, m.equal_calls_label);
  s.bind(32, int64_t{m.equal_calls_correct ? 1 : 0});
  s.bind_u(33, m.tokens);
}

/// Binds one `agents` row (column order of the schema).
void bind_agent(stmt& s, const run_metrics& m, size_t idx, const agent_row& a) {
  s.bind_u(1, m.cell);
  s.bind_u(2, m.replicate);
  s.bind_u(3, idx);
  s.bind(4, a.agent);
  s.bind(5, a.final_label);
  s.bind(6, a.confidence);
  s.bind_u(7, a.calls);
  s.bind_u(8, a.failures);
  s.bind(9, int64_t{a.decided_round});
  s.bind(10, a.decided_label);
  s.bind(11, int64_t{a.decided_polls});
}

} // namespace

// -- internals ----------------------------------------------------------------

error results_store::prepare_insert() {
  st_ = std::make_unique<statements>();
  auto prep = [&](stmt& s, const char* sql) -> error {
    if (s.prepare(db_, sql) != SQLITE_OK)
      return make_error(sweep_errc::store_failed,
                        db_error(db_, path_,
                                 std::string{"cannot prepare '"} + sql + "'"));
    return error{};
  };
  if (auto err = prep(st_->begin, "BEGIN IMMEDIATE"))
    return err;
  if (auto err = prep(st_->commit, "COMMIT"))
    return err;
  if (auto err = prep(st_->rollback, "ROLLBACK"))
    return err;
  if (auto err = prep(st_->run, insert_run_sql))
    return err;
  return prep(st_->agent, insert_agent_sql);
}

// -- modifiers ----------------------------------------------------------------

error results_store::insert(const std::vector<run_metrics>& batch,
                            uint64_t* added) {
  if (added != nullptr)
    *added = 0;
  if (!st_)
    return make_error(sweep_errc::store_failed,
                      path_ + ": the store is open for reading only");
  // A failed statement is reset only after its error was read: a reset can
  // clear the system's reason (e.g. "File too large").
  stmt* failed = nullptr;
  auto fail = [&](const char* what) {
    auto err = make_error(sweep_errc::store_failed, db_error(db_, path_, what));
    if (failed != nullptr)
      sqlite3_reset(failed->get());
    sqlite3_reset(st_->run.get());
    sqlite3_reset(st_->agent.get());
    if (!sqlite3_get_autocommit(db_)) {
      sqlite3_step(st_->rollback.get());
      sqlite3_reset(st_->rollback.get());
    }
    return err;
  };
  auto step = [&](stmt& s) {
    auto rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
      sqlite3_reset(s.get());
    else
      failed = &s;
    return rc;
  };
  if (step(st_->begin) != SQLITE_DONE)
    return fail("cannot begin a transaction");
  uint64_t n = 0;
  for (auto& m : batch) {
    bind_run(st_->run, m);
    if (step(st_->run) != SQLITE_DONE)
      return fail("cannot store a run");
    if (sqlite3_changes(db_) == 0)
      continue; // stored before: its agent rows are there too
    ++n;
    if (id_.agent_rows) {
      for (size_t i = 0; i < m.agents.size(); ++i) {
        bind_agent(st_->agent, m, i, m.agents[i]);
        if (step(st_->agent) != SQLITE_DONE)
          return fail("cannot store an agent row");
      }
    }
  }
  if (step(st_->commit) != SQLITE_DONE)
    return fail("cannot commit");
  if (added != nullptr)
    *added = n;
  return error{};
}

} // namespace caf::consensus::sim

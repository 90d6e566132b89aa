// caf-consensus sim: the results store's database layout: tables, the
// statements that write and read runs, and the format tag (private header,
// not installed).

#pragma once

namespace caf::consensus::sim::store_internal {

/// The schema. Floating-point columns have no declared type (BLOB affinity):
/// SQLite then keeps every double bit for bit, whereas a REAL column stores
/// integral values as integers and turns -0.0 into 0. NaN is stored as NULL
/// (SQLite's rule) and read back as NaN. Unsigned 64-bit values are stored as
/// their two's-complement signed bit pattern. `seed` has no declared type
/// either: a seed in [0, 2^64) is stored as an integer (its bit pattern), any
/// other (negative, or 2^64 and beyond) as its decimal text. `trajectory`
/// holds the run's per-round numbers packed by `encode_trajectory`.
inline constexpr const char* schema_sql = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE runs (
  cell INTEGER NOT NULL,
  replicate INTEGER NOT NULL,
  seed NOT NULL,
  policy TEXT NOT NULL,
  rounds INTEGER NOT NULL,
  k INTEGER NOT NULL,
  alpha,
  beta_1,
  beta_2,
  rounds_executed INTEGER NOT NULL,
  stop_reason TEXT NOT NULL,
  finalized INTEGER NOT NULL,
  winner TEXT NOT NULL,
  winner_label TEXT NOT NULL,
  winner_correct INTEGER NOT NULL,
  winner_confidence,
  winner_score,
  agreement,
  unanimity_round INTEGER NOT NULL,
  unanimity_label TEXT NOT NULL,
  calls INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  timeouts INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  rounds_to_decide INTEGER NOT NULL,
  polls_to_decide INTEGER NOT NULL,
  rounds_to_decide_live INTEGER NOT NULL,
  polls_to_decide_live INTEGER NOT NULL,
  stopped_early INTEGER NOT NULL,
  trajectory BLOB NOT NULL,
  equal_calls_label TEXT NOT NULL,
  equal_calls_correct INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  PRIMARY KEY (cell, replicate)
) WITHOUT ROWID;
CREATE TABLE agents (
  cell INTEGER NOT NULL,
  replicate INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  agent TEXT NOT NULL,
  final_label TEXT NOT NULL,
  confidence,
  calls INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  decided_round INTEGER NOT NULL,
  decided_label TEXT NOT NULL,
  decided_polls INTEGER NOT NULL,
  PRIMARY KEY (cell, replicate, idx)
) WITHOUT ROWID;
)sql";

inline constexpr const char* insert_run_sql
  = "INSERT OR IGNORE INTO runs VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

inline constexpr const char* insert_agent_sql
  = "INSERT OR IGNORE INTO agents VALUES (?,?,?,?,?,?,?,?,?,?,?)";

inline constexpr const char* select_runs_sql
  = "SELECT * FROM runs ORDER BY cell, replicate";

inline constexpr const char* select_agents_sql
  = "SELECT * FROM agents ORDER BY cell, replicate, idx";

inline constexpr const char* format_tag = "caf-consensus results store";

} // namespace caf::consensus::sim::store_internal

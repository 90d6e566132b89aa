#include "caf/consensus/sim/store/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>

#include <sqlite3.h>

#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;

// -- run_set ------------------------------------------------------------------

void run_set::push_back(uint64_t idx) {
  ++size_;
  if (!xs_.empty() && xs_.back().second == idx) {
    ++xs_.back().second;
    return;
  }
  xs_.emplace_back(idx, idx + 1);
}

bool run_set::contains(uint64_t idx) const {
  // First interval whose end is past idx.
  auto i = std::upper_bound(xs_.begin(), xs_.end(), idx,
                            [](uint64_t x, const auto& iv) {
                              return x < iv.second;
                            });
  return i != xs_.end() && i->first <= idx;
}

// -- SQLite helpers -----------------------------------------------------------

namespace {

/// The schema. Floating-point columns have no declared type (BLOB affinity):
/// SQLite then keeps every double bit for bit, whereas a REAL column stores
/// integral values as integers and turns -0.0 into 0. NaN is stored as NULL
/// (SQLite's rule) and read back as NaN. Unsigned 64-bit values are stored as
/// their two's-complement signed bit pattern.
constexpr const char* schema_sql = R"sql(
CREATE TABLE meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE runs (
  cell INTEGER NOT NULL,
  replicate INTEGER NOT NULL,
  seed INTEGER NOT NULL,
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
  polls_to_decide INTEGER NOT NULL,
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

constexpr const char* insert_run_sql
  = "INSERT OR IGNORE INTO runs VALUES "
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

constexpr const char* insert_agent_sql
  = "INSERT OR IGNORE INTO agents VALUES (?,?,?,?,?,?,?,?,?,?,?)";

constexpr const char* select_runs_sql
  = "SELECT * FROM runs ORDER BY cell, replicate";

constexpr const char* select_agents_sql
  = "SELECT * FROM agents ORDER BY cell, replicate, idx";

constexpr const char* format_tag = "caf-consensus results store";

std::string db_error(sqlite3* db, const std::string& path,
                     const std::string& what) {
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  return path + ": " + what + ": " + msg;
}

int64_t to_i64(uint64_t x) {
  int64_t y;
  std::memcpy(&y, &x, sizeof(y));
  return y;
}

uint64_t to_u64(int64_t x) {
  uint64_t y;
  std::memcpy(&y, &x, sizeof(y));
  return y;
}

/// A prepared statement (finalized on destruction).
class stmt {
public:
  stmt() = default;

  stmt(stmt&& other) noexcept : ptr_(other.ptr_) {
    other.ptr_ = nullptr;
  }

  stmt& operator=(stmt&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    return *this;
  }

  ~stmt() {
    sqlite3_finalize(ptr_);
  }

  int prepare(sqlite3* db, const char* sql) {
    sqlite3_finalize(ptr_);
    ptr_ = nullptr;
    return sqlite3_prepare_v2(db, sql, -1, &ptr_, nullptr);
  }

  sqlite3_stmt* get() const {
    return ptr_;
  }

  explicit operator bool() const {
    return ptr_ != nullptr;
  }

  // -- binding (1-based) ------------------------------------------------------

  void bind(int i, int64_t x) {
    sqlite3_bind_int64(ptr_, i, x);
  }

  void bind_u(int i, uint64_t x) {
    sqlite3_bind_int64(ptr_, i, to_i64(x));
  }

  void bind(int i, double x) {
    sqlite3_bind_double(ptr_, i, x); // NaN becomes NULL
  }

  void bind(int i, const std::string& x) {
    sqlite3_bind_text(ptr_, i, x.data(), static_cast<int>(x.size()),
                      SQLITE_TRANSIENT);
  }

  // -- reading (0-based) ------------------------------------------------------

  int64_t i64(int i) const {
    return sqlite3_column_int64(ptr_, i);
  }

  uint64_t u64(int i) const {
    return to_u64(sqlite3_column_int64(ptr_, i));
  }

  int32_t i32(int i) const {
    return static_cast<int32_t>(sqlite3_column_int64(ptr_, i));
  }

  double dbl(int i) const {
    if (sqlite3_column_type(ptr_, i) == SQLITE_NULL)
      return std::numeric_limits<double>::quiet_NaN();
    return sqlite3_column_double(ptr_, i);
  }

  std::string text(int i) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(ptr_, i));
    auto n = sqlite3_column_bytes(ptr_, i);
    return p != nullptr ? std::string(p, static_cast<size_t>(n))
                        : std::string{};
  }

private:
  sqlite3_stmt* ptr_ = nullptr;
};

/// Reads one `runs` row (column order of the schema).
void read_run(const stmt& s, run_metrics& m) {
  m.cell = s.u64(0);
  m.replicate = s.u64(1);
  m.seed = s.u64(2);
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
  m.polls_to_decide = s.i32(24);
  m.agents.clear();
}

void bind_run(stmt& s, const run_metrics& m) {
  s.bind_u(1, m.cell);
  s.bind_u(2, m.replicate);
  s.bind_u(3, m.seed);
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
  s.bind(25, int64_t{m.polls_to_decide});
}

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

error exec(sqlite3* db, const std::string& path, const char* sql,
           const char* what) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
    return error{};
  std::string text = msg != nullptr ? msg : sqlite3_errmsg(db);
  sqlite3_free(msg);
  return make_error(sweep_errc::store_failed, path + ": " + what + ": " + text);
}

std::string db_path(const std::string& dir) {
  return (fs::path{dir} / results_store::file_name).string();
}

} // namespace

// -- prepared statements of a writer ------------------------------------------

struct results_store::statements {
  stmt begin;
  stmt commit;
  stmt rollback;
  stmt run;
  stmt agent;
};

// -- constructors, destructors, and assignment operators ----------------------

results_store::results_store(results_store&& other) noexcept
  : db_(other.db_),
    st_(std::move(other.st_)),
    lock_fd_(other.lock_fd_),
    path_(std::move(other.path_)),
    id_(std::move(other.id_)),
    scenario_text_(std::move(other.scenario_text_)),
    scenario_file_(std::move(other.scenario_file_)),
    manifest_(std::move(other.manifest_)) {
  other.db_ = nullptr;
  other.lock_fd_ = -1;
}

results_store& results_store::operator=(results_store&& other) noexcept {
  std::swap(db_, other.db_);
  std::swap(st_, other.st_);
  std::swap(lock_fd_, other.lock_fd_);
  std::swap(path_, other.path_);
  std::swap(id_, other.id_);
  std::swap(scenario_text_, other.scenario_text_);
  std::swap(scenario_file_, other.scenario_file_);
  std::swap(manifest_, other.manifest_);
  return *this;
}

results_store::~results_store() {
  st_.reset(); // finalize statements before closing
  if (db_ != nullptr)
    sqlite3_close(db_);
  if (lock_fd_ >= 0)
    ::close(lock_fd_); // releases the flock
}

// -- factories ----------------------------------------------------------------

bool results_store::exists(const std::string& dir) {
  std::error_code ec;
  return fs::exists(db_path(dir), ec);
}

expected<results_store> results_store::open_db(const std::string& dir,
                                               bool write) {
  results_store out;
  out.path_ = db_path(dir);
  if (write) {
    // One writer per store at a time; the OS drops the lock with the process.
    auto lock_path = out.path_ + ".lock";
    out.lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC,
                          0644);
    if (out.lock_fd_ < 0)
      return make_error(sweep_errc::store_failed,
                        lock_path + ": cannot open: " + std::strerror(errno));
    if (::flock(out.lock_fd_, LOCK_EX | LOCK_NB) != 0)
      return make_error(sweep_errc::store_failed,
                        out.path_
                          + ": another process is writing this results store "
                            "(lock "
                          + lock_path + " is held)");
  }
  auto flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                     : SQLITE_OPEN_READWRITE;
  auto rc = sqlite3_open_v2(out.path_.c_str(), &out.db_, flags, nullptr);
  if (rc != SQLITE_OK && !write) {
    // A read-only file system or file: readers may still read.
    sqlite3_close(out.db_);
    out.db_ = nullptr;
    rc = sqlite3_open_v2(out.path_.c_str(), &out.db_, SQLITE_OPEN_READONLY,
                         nullptr);
  }
  if (rc != SQLITE_OK)
    return make_error(sweep_errc::store_failed,
                      db_error(out.db_, out.path_, "cannot open"));
  sqlite3_busy_timeout(out.db_, 10000);
  sqlite3_extended_result_codes(out.db_, 1);
  return out;
}

expected<results_store>
results_store::create(const std::string& dir, const scenario& s,
                      const std::string& scenario_text, bool agent_rows,
                      const nlohmann::json& manifest) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return make_error(sweep_errc::store_failed,
                      "cannot create '" + dir + "': " + ec.message());
  if (exists(dir))
    return make_error(sweep_errc::store_mismatch,
                      db_path(dir)
                        + ": a results store exists already; resume it with "
                          "--resume or choose another directory");
  auto st = open_db(dir, true);
  if (!st)
    return std::move(st.error());
  auto& x = *st;
  if (auto err = exec(x.db_, x.path_, "PRAGMA journal_mode=WAL",
                      "cannot enable WAL mode"))
    return err;
  if (auto err = exec(x.db_, x.path_, "PRAGMA synchronous=NORMAL",
                      "cannot set synchronous mode"))
    return err;
  x.id_.scenario_hash = s.hash;
  x.id_.cells = cell_count(s);
  x.id_.replicates = s.replicates;
  x.id_.seed = s.seed;
  x.id_.agent_rows = agent_rows;
  x.id_.program = program_version;
  x.scenario_text_ = scenario_text;
  x.scenario_file_ = s.file;
  x.manifest_ = manifest.dump();
  // Schema and identity in one transaction: a store either has both or is
  // recognisably incomplete.
  if (auto err = exec(x.db_, x.path_, "BEGIN IMMEDIATE", "cannot begin"))
    return err;
  if (auto err = exec(x.db_, x.path_, schema_sql, "cannot create the schema"))
    return err;
  stmt ins;
  if (ins.prepare(x.db_, "INSERT INTO meta VALUES (?, ?)") != SQLITE_OK)
    return make_error(sweep_errc::store_failed,
                      db_error(x.db_, x.path_, "cannot write meta"));
  std::vector<std::pair<std::string, std::string>> kv{
    {"format", format_tag},
    {"schema_version", std::to_string(schema_version)},
    {"program", x.id_.program},
    {"scenario_file", x.scenario_file_},
    {"scenario_name", s.name},
    {"scenario_hash", x.id_.scenario_hash},
    {"scenario_text", x.scenario_text_},
    {"cells", std::to_string(x.id_.cells)},
    {"replicates", std::to_string(x.id_.replicates)},
    {"seed", std::to_string(x.id_.seed)},
    {"agent_rows", agent_rows ? "1" : "0"},
    {"manifest", x.manifest_},
  };
  for (auto& [k, v] : kv) {
    ins.bind(1, k);
    ins.bind(2, v);
    if (sqlite3_step(ins.get()) != SQLITE_DONE)
      return make_error(sweep_errc::store_failed,
                        db_error(x.db_, x.path_,
                                 "cannot write meta '" + k + "'"));
    sqlite3_reset(ins.get());
  }
  if (auto err = exec(x.db_, x.path_, "COMMIT", "cannot commit"))
    return err;
  if (auto err = x.prepare_insert())
    return err;
  return st;
}

expected<results_store> results_store::resume(const std::string& dir,
                                              const scenario& s,
                                              bool agent_rows) {
  if (!exists(dir))
    return make_error(sweep_errc::no_store,
                      db_path(dir)
                        + ": no results store to resume (run without "
                          "--resume to start the sweep)");
  auto st = open_db(dir, true);
  if (!st)
    return std::move(st.error());
  auto& x = *st;
  if (auto err = x.read_meta())
    return err;
  if (auto err = exec(x.db_, x.path_, "PRAGMA journal_mode=WAL",
                      "cannot enable WAL mode"))
    return err;
  if (auto err = exec(x.db_, x.path_, "PRAGMA synchronous=NORMAL",
                      "cannot set synchronous mode"))
    return err;
  auto& id = x.id_;
  auto refuse = [&](const std::string& what) {
    return make_error(sweep_errc::store_mismatch,
                      x.path_ + ": cannot resume: " + what);
  };
  if (id.scenario_hash != s.hash)
    return refuse("the store was made from a different scenario (" + s.file
                  + " has hash " + s.hash + ", the store's scenario "
                  + x.scenario_file_ + " had hash " + id.scenario_hash + ")");
  if (id.cells != cell_count(s))
    return refuse("the store has " + std::to_string(id.cells)
                  + " cells, the scenario has "
                  + std::to_string(cell_count(s)));
  if (id.replicates != s.replicates)
    return refuse("the store has " + std::to_string(id.replicates)
                  + " replicates per cell, this run asks for "
                  + std::to_string(s.replicates)
                  + " (drop --replicates or give the same value)");
  if (id.seed != s.seed)
    return refuse("the store was made with seed " + std::to_string(id.seed)
                  + ", this run uses seed " + std::to_string(s.seed));
  if (id.agent_rows != agent_rows)
    return refuse(std::string{"the store was made "}
                  + (id.agent_rows ? "with" : "without")
                  + " --agents; give the same option to resume it");
  if (id.program != program_version)
    return refuse("the store was written by " + id.program + ", this is "
                  + program_version
                  + " (results could differ between versions)");
  if (auto err = x.prepare_insert())
    return err;
  return st;
}

expected<results_store> results_store::open(const std::string& dir) {
  if (!exists(dir))
    return make_error(sweep_errc::no_store,
                      db_path(dir)
                        + ": no results store (create one with "
                          "'consensus-sim run FILE --out "
                        + dir + "')");
  auto st = open_db(dir, false);
  if (!st)
    return std::move(st.error());
  if (auto err = st->read_meta())
    return err;
  return st;
}

// -- internals ----------------------------------------------------------------

error results_store::read_meta() {
  auto not_a_store = [&](const std::string& why) {
    return make_error(sweep_errc::no_store,
                      path_ + ": not a caf-consensus results store (" + why
                        + ")");
  };
  stmt q;
  auto rc = q.prepare(db_, "SELECT key, value FROM meta");
  if (rc != SQLITE_OK) {
    auto msg = std::string{sqlite3_errmsg(db_)};
    if ((rc & 0xff) == SQLITE_NOTADB)
      return not_a_store("the file is not an SQLite database");
    if (msg.find("no such table") != std::string::npos)
      return not_a_store("it has no meta table; was its creation "
                         "interrupted? remove the directory and start again");
    return make_error(sweep_errc::store_failed,
                      path_ + ": cannot read: " + msg);
  }
  std::map<std::string, std::string> kv;
  while ((rc = sqlite3_step(q.get())) == SQLITE_ROW)
    kv[q.text(0)] = q.text(1);
  if (rc != SQLITE_DONE)
    return make_error(sweep_errc::store_failed,
                      db_error(db_, path_, "cannot read meta"));
  if (kv["format"] != format_tag)
    return not_a_store("missing or wrong format tag");
  if (kv["schema_version"] != std::to_string(schema_version))
    return not_a_store("schema version '" + kv["schema_version"]
                       + "', this program reads version "
                       + std::to_string(schema_version));
  auto num = [&](const std::string& key, uint64_t& out) -> error {
    auto& v = kv[key];
    if (v.empty() || v.size() > 20
        || v.find_first_not_of("0123456789") != std::string::npos)
      return not_a_store("meta '" + key + "' is not a number: '" + v + "'");
    try {
      out = std::stoull(v);
    } catch (...) {
      return not_a_store("meta '" + key + "' is out of range: '" + v + "'");
    }
    return error{};
  };
  if (auto err = num("cells", id_.cells))
    return err;
  if (auto err = num("replicates", id_.replicates))
    return err;
  if (auto err = num("seed", id_.seed))
    return err;
  id_.scenario_hash = kv["scenario_hash"];
  id_.agent_rows = kv["agent_rows"] == "1";
  id_.program = kv["program"];
  scenario_text_ = kv["scenario_text"];
  scenario_file_ = kv["scenario_file"];
  manifest_ = kv["manifest"];
  if (id_.scenario_hash.empty() || scenario_text_.empty())
    return not_a_store("no scenario recorded");
  return error{};
}

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
    if (cell >= id_.cells || rep >= id_.replicates)
      return make_error(sweep_errc::no_store,
                        path_ + ": stored run (cell " + std::to_string(cell)
                          + ", replicate " + std::to_string(rep)
                          + ") is outside the sweep's grid of "
                          + std::to_string(id_.cells) + " cells x "
                          + std::to_string(id_.replicates) + " replicates");
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
    read_run(runs, m);
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

// -- modifiers ----------------------------------------------------------------

error results_store::insert(const std::vector<run_metrics>& batch,
                            uint64_t* added) {
  if (added != nullptr)
    *added = 0;
  if (!st_)
    return make_error(sweep_errc::store_failed,
                      path_ + ": the store is open for reading only");
  auto fail = [&](const char* what) {
    auto err = make_error(sweep_errc::store_failed, db_error(db_, path_, what));
    sqlite3_reset(st_->run.get());
    sqlite3_reset(st_->agent.get());
    if (!sqlite3_get_autocommit(db_)) {
      sqlite3_step(st_->rollback.get());
      sqlite3_reset(st_->rollback.get());
    }
    return err;
  };
  auto step = [](stmt& s) {
    auto rc = sqlite3_step(s.get());
    sqlite3_reset(s.get());
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

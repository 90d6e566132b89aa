// caf-consensus sim: creating, resuming and opening a results store: the
// writer's lock, the schema and the sweep's identity (written once, checked
// on resume, read back on open), and the store's lifetime.

#include "caf/consensus/sim/store/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include <sqlite3.h>

#include "caf/consensus/sim/store/internal/schema.hpp"
#include "caf/consensus/sim/store/internal/sqlite.hpp"
#include "caf/consensus/sim/store/internal/statements.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;

using namespace store_internal;

namespace {

std::string db_path(const std::string& dir) {
  return (fs::path{dir} / results_store::file_name).string();
}

} // namespace

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

namespace {

/// Returns the URI that opens `path` as an immutable database (no locks, no
/// WAL index: for files nobody writes).
std::string immutable_uri(const std::string& path) {
  std::string out = "file:";
  for (auto c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += hex[static_cast<unsigned char>(c) & 0xf];
    } else {
      out += c;
    }
  }
  return out + "?immutable=1";
}

} // namespace

bool results_store::exists(const std::string& dir) {
  std::error_code ec;
  return fs::exists(db_path(dir), ec);
}

void results_store::discard(const std::string& dir) {
  std::error_code ec;
  auto db = db_path(dir);
  for (auto suffix : {"", "-wal", "-shm", ".lock"})
    fs::remove(db + suffix, ec);
  if (fs::is_empty(dir, ec) && !ec)
    fs::remove(dir, ec);
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
  if (!write
      && (rc != SQLITE_OK || sqlite3_db_readonly(out.db_, "main") == 1)) {
    // We may not write the file or its folder (a read-only medium, another
    // user's store), so SQLite cannot keep the WAL index it needs for a
    // shared read. A finished store has no write-ahead log left: read it as
    // an immutable file. With a log, fall back to a plain read-only open.
    sqlite3_close(out.db_);
    out.db_ = nullptr;
    std::error_code ec;
    auto wal = fs::file_size(out.path_ + "-wal", ec);
    if (ec || wal == 0)
      rc = sqlite3_open_v2(immutable_uri(out.path_).c_str(), &out.db_,
                           SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    else
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
    {"seed", x.id_.seed.to_string()},
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
    return refuse("the store was made with seed " + id.seed.to_string()
                  + ", this run uses seed " + s.seed.to_string());
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
    return not_a_store("store schema version '" + kv["schema_version"]
                       + "', this program reads version "
                       + std::to_string(schema_version)
                       + " (a store written by another version of "
                         "caf-consensus: read it with that version, or run "
                         "the scenario again into a new --out)");
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
  if (auto x = rng::seed::parse(kv["seed"]))
    id_.seed = std::move(*x);
  else
    return not_a_store("meta 'seed' is not an integer: '" + kv["seed"] + "'");
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

} // namespace caf::consensus::sim

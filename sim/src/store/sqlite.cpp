// caf-consensus sim: the SQLite wrapper of the results store: error texts and
// running plain SQL.

#include "caf/consensus/sim/store/internal/sqlite.hpp"

#include <string>

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim::store_internal {

std::string db_error(sqlite3* db, const std::string& path,
                     const std::string& what) {
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
  // SQLite says "database or disk is full"; name the usual cause plainly.
  if (db != nullptr && sqlite3_errcode(db) == SQLITE_FULL)
    msg += " (no space left on device)";
  return path + ": " + what + ": " + msg;
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

} // namespace caf::consensus::sim::store_internal

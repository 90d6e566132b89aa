// caf-consensus sim: the SQLite wrapper of the results store: error texts and
// running plain SQL.

#include "caf/consensus/sim/store/internal/sqlite.hpp"

#include <cstring>

#include <string>

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim::store_internal {

namespace {

/// SQLite's message, with the system's reason when the system failed it
/// ("disk I/O error (File too large)"), and the usual cause of a full
/// database named plainly.
std::string reason(sqlite3* db, std::string msg) {
  auto code = sqlite3_extended_errcode(db);
  auto primary = code & 0xFF;
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR
      || primary == SQLITE_CANTOPEN) {
    if (auto err = sqlite3_system_errno(db); err != 0)
      return msg + " (" + std::strerror(err) + ")";
    if (primary == SQLITE_FULL)
      return msg + " (no space left on device)";
    if (code == SQLITE_IOERR_WRITE)
      return msg
             + " (a write failed: the disk may be full or the file over "
               "a size limit)";
  }
  return msg;
}

} // namespace

std::string db_error(sqlite3* db, const std::string& path,
                     const std::string& what) {
  if (db == nullptr)
    return path + ": " + what + ": out of memory";
  return path + ": " + what + ": " + reason(db, sqlite3_errmsg(db));
}

error exec(sqlite3* db, const std::string& path, const char* sql,
           const char* what) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
    return error{};
  std::string text = msg != nullptr ? msg : sqlite3_errmsg(db);
  sqlite3_free(msg);
  return make_error(sweep_errc::store_failed,
                    path + ": " + what + ": " + reason(db, std::move(text)));
}

} // namespace caf::consensus::sim::store_internal

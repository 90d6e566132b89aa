// caf-consensus sim: a thin SQLite wrapper for the results store: prepared
// statements, 64-bit bit patterns, error texts (private header, not
// installed).

#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include <sqlite3.h>

#include "caf/error.hpp"

namespace caf::consensus::sim::store_internal {

/// Returns the two's-complement signed bit pattern of `x` (how SQLite stores
/// unsigned 64-bit values).
inline int64_t to_i64(uint64_t x) {
  int64_t y;
  std::memcpy(&y, &x, sizeof(y));
  return y;
}

/// Returns the unsigned value of a bit pattern stored by `to_i64`.
inline uint64_t to_u64(int64_t x) {
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

  void bind_blob(int i, const std::string& x) {
    sqlite3_bind_blob(ptr_, i, x.data(), static_cast<int>(x.size()),
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

  bool is_text(int i) const {
    return sqlite3_column_type(ptr_, i) == SQLITE_TEXT;
  }

  std::string text(int i) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(ptr_, i));
    auto n = sqlite3_column_bytes(ptr_, i);
    return p != nullptr ? std::string(p, static_cast<size_t>(n))
                        : std::string{};
  }

  std::string blob(int i) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(ptr_, i));
    auto n = sqlite3_column_bytes(ptr_, i);
    return p != nullptr ? std::string(p, static_cast<size_t>(n))
                        : std::string{};
  }

private:
  sqlite3_stmt* ptr_ = nullptr;
};

/// Returns "PATH: WHAT: SQLite's message" (or "out of memory" without `db`).
std::string db_error(sqlite3* db, const std::string& path,
                     const std::string& what);

/// Runs `sql` (one or more statements); an error names `path` and `what`.
error exec(sqlite3* db, const std::string& path, const char* sql,
           const char* what);

} // namespace caf::consensus::sim::store_internal

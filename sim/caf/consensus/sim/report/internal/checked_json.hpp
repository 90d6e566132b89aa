// caf-consensus sim: reading the JSON input of a results directory with
// errors that name the file, the line and the field at fault (private header
// of the report layer).

#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace caf::consensus::sim::report_internal {

/// A problem with an input file; becomes an `errc::malformed_input` error.
struct input_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Throws `input_error{where + ": " + what}`.
[[noreturn]] void fail(const std::string& where, const std::string& what);

/// Returns the field `key` of `obj`; fails when it is missing.
const nlohmann::json& field(const nlohmann::json& obj, const char* key,
                            const std::string& where);

/// Returns `x` (field `key`) as a finite number.
double number(const nlohmann::json& x, const std::string& where,
              const std::string& key);

/// Returns `x` (field `key`) as a non-negative integer.
uint64_t count(const nlohmann::json& x, const std::string& where,
               const std::string& key);

/// Returns `x` (field `key`) as a string.
std::string text(const nlohmann::json& x, const std::string& where,
                 const std::string& key);

/// Returns `x` (field `key`) as true or false.
bool flag(const nlohmann::json& x, const std::string& where,
          const std::string& key);

/// Returns the bytes of file `p`; fails when it cannot be read or is larger
/// than `cap` bytes.
std::string read_file(const std::filesystem::path& p, size_t cap);

/// Calls `fn(obj, where)` for every non-blank line of the JSON Lines file
/// `path`; `where` is `FILE:LINE`. Fails on unreadable files, overlong lines,
/// invalid JSON and lines that are not objects.
void for_each_json_line(
  const std::filesystem::path& path,
  const std::function<void(const nlohmann::json&, const std::string&)>& fn);

} // namespace caf::consensus::sim::report_internal

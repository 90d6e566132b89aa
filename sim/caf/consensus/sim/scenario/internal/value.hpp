// caf-consensus sim: one value of a scenario (a YAML node or a sweep value,
// with its key and line) and its conversions, which fail with the key, the
// line and what was expected.

#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "caf/consensus/rng/seed.hpp"

namespace YAML {
class Node;
} // namespace YAML

namespace caf::consensus::sim::scenario_internal {

/// Bounds of the conversions.
constexpr int64_t int32_max = std::numeric_limits<int32_t>::max();
constexpr int64_t int64_max = std::numeric_limits<int64_t>::max();
constexpr double inf = std::numeric_limits<double>::infinity();

/// A value to convert: a YAML node or a sweep value (text).
struct value {
  enum class kind { null, scalar, map, list };
  kind type = kind::null;
  std::string text;
  /// False for quoted or explicitly tagged scalars (strings only).
  bool plain = true;
  /// Number of elements of a map or list.
  size_t size = 0;
  int line = 0;
  std::string key;
};

/// Returns the value of YAML node `n` at key `key` and line `line`.
value from_node(const YAML::Node& n, std::string key, int line);

/// Returns the value of sweep value `text` (null for `~`, `null`, ...).
value from_text(const std::string& text, std::string key, int line);

/// Describes `v` for a message: `null`, `a map`, `'x'`, `the string 'x'`.
std::string describe(const value& v);

/// Fails at `v`: `expected WHAT, got DESCRIPTION`.
[[noreturn]] void expected_(const value& v, const std::string& what);

/// Returns whether `x` is a decimal integer (with an optional sign).
bool is_int_text(const std::string& x);

/// Parses a decimal integer; nullopt if not one or out of range.
template <class T>
std::optional<T> parse_int(std::string x) {
  if (!is_int_text(x))
    return std::nullopt;
  if (x[0] == '+')
    x.erase(0, 1);
  if (std::is_unsigned_v<T> && x[0] == '-') {
    // "-0" is zero (the sign is optional), any other negative is out of range.
    if (x.find_first_not_of('0', 1) != std::string::npos)
      return std::nullopt;
    return T{0};
  }
  T result = 0;
  auto [ptr, ec] = std::from_chars(x.data(), x.data() + x.size(), result);
  if (ec != std::errc{} || ptr != x.data() + x.size())
    return std::nullopt;
  return result;
}

/// Parses a finite decimal number; nullopt if not one or out of range.
std::optional<double> parse_num(std::string x);

/// Returns the integer in [lo, hi] `v` holds; fails otherwise.
int64_t to_int(const value& v, int64_t lo, int64_t hi);

/// Returns the unsigned 64-bit integer `v` holds; fails otherwise.
uint64_t to_uint(const value& v);

/// A decimal integer of any size (optional sign, at most
/// `rng::seed::max_digits` digits), as Python's `random.seed(n)` takes it.
rng::seed to_seed(const value& v);

/// Returns the number in [lo, hi] `v` holds; fails otherwise.
double to_num(const value& v, double lo, double hi);

/// Returns the boolean `v` holds; fails otherwise.
bool to_bool(const value& v);

/// Returns the string `v` holds; fails on null, maps and lists.
std::string to_str(const value& v);

/// Returns the string `v` holds; fails unless it has a non-blank character.
std::string to_text(const value& v);

/// Checks a name (label or group) made of letters, digits, '_' and '-'.
void check_identifier(const std::string& x, const char* what, int line,
                      const std::string& key);

/// Returns the label `v` holds; fails unless it is an identifier.
std::string to_label(const value& v);

} // namespace caf::consensus::sim::scenario_internal

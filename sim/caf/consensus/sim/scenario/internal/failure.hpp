// caf-consensus sim: a problem with one key of a scenario file, and the
// pieces its message is made of (quoted values, accepted lists, numbers).

#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim::scenario_internal {

/// A problem with one key of a scenario (thrown while parsing or applying).
struct failure {
  /// 1-based line; 0: unknown.
  int line;
  std::string key;
  std::string problem;
};

/// Throws a failure at `line` (1-based; 0: unknown) of key `key`.
[[noreturn]] void fail(int line, std::string key, std::string problem);

/// Returns `ORIGIN:LINE` (`ORIGIN` alone for line 0).
std::string where(const std::string& origin, int line);

/// Returns the message of failure `x` in `origin`:
/// `ORIGIN:LINE: key 'KEY': PROBLEM`.
std::string to_message(const std::string& origin, const failure& x);

/// Returns the error of failure `x` in `origin` (its message: `to_message`).
error to_error(const std::string& origin, const failure& x);

/// The failures found in one file, in file order (by line, then in the
/// order found; line 0, unknown, last). Only the first `limit` are kept, the
/// others are counted, so that memory stays bounded whatever the file holds.
class failure_list {
public:
  explicit failure_list(size_t limit) : limit_(limit) {
    // nop
  }

  /// Adds `x` (kept if it is among the first `limit` in file order).
  void add(failure x);

  /// The first `limit` failures in file order.
  const std::vector<failure>& kept() const {
    return kept_;
  }

  /// Returns how many failures were added.
  size_t total() const {
    return kept_.size() + dropped_;
  }

  bool empty() const {
    return total() == 0;
  }

private:
  size_t limit_;
  size_t dropped_ = 0;
  std::vector<failure> kept_;
};

/// Returns ` (accepted: a, b, c)`, with at most 20 entries.
std::string accepted(const std::vector<std::string>& xs);

/// Quotes user text for a message: at most 60 bytes (cut at a character
/// boundary), control characters replaced by '?'.
std::string quote(const std::string& x);

/// Formats `x` without decimals (`%.0f`).
std::string fixed(double x);

/// Returns `x` in scientific notation with 3 significant digits
/// (`1e+300 (about)`), for counts too large to print in full.
std::string scientific(double x);

/// Formats `x` as a stream does (`0.5`, `1e+20`), in the classic locale.
std::string num(double x);

} // namespace caf::consensus::sim::scenario_internal

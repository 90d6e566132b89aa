// consensus-sim: progress of long commands on stderr: a bar redrawn in place
// on a terminal, plain lines at a modest rate elsewhere (pipes, files, CI).

#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace caf::consensus::cli {

/// How progress is shown (`--progress`).
enum class progress_mode {
  /// `bar` when stderr is a terminal, `plain` otherwise.
  automatic,
  /// One line redrawn in place.
  bar,
  /// A line of its own every `plain_interval`.
  plain,
  /// Nothing.
  none,
};

/// Parses `auto`, `bar`, `plain` or `none`.
std::optional<progress_mode> parse_progress_mode(const std::string& x);

/// Reports "done of total" with the rate and the time left.
class progress_reporter {
public:
  /// `command` prefixes plain lines ("consensus-sim run"); `quiet` forces
  /// `none`.
  progress_reporter(std::string command, progress_mode mode, bool quiet);

  /// Plain lines at most this often.
  static constexpr std::chrono::seconds plain_interval{5};

  /// Records progress; `what` (optional) names the current part.
  void update(uint64_t done, uint64_t total, const std::string& what = {});

  /// Prints a line of its own (e.g. a worker event), never lost in the bar.
  void message(const std::string& line);

  /// Ends the bar's line, if one is drawn.
  void finish();

  progress_mode mode() const noexcept {
    return mode_;
  }

private:
  std::string line(uint64_t done, uint64_t total, const std::string& what,
                   std::chrono::steady_clock::time_point now);

  std::mutex mtx_;
  std::string command_;
  progress_mode mode_;
  bool drawn_ = false;
  bool started_ = false;
  uint64_t first_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

} // namespace caf::consensus::cli

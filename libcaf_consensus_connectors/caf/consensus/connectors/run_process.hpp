// caf-consensus: running a helper program (gnuplot, a browser) to completion
// with a deadline, on top of `process`.

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caf/expected.hpp"

namespace caf::consensus::connectors {

/// What a finished program left behind.
struct process_result {
  /// Exit status (0..255), or -1 when a signal ended it.
  int status = -1;
  /// The signal that ended it (0: it exited).
  int signal = 0;
  /// True when the deadline passed and the process group was killed.
  bool timed_out = false;
  std::string out;
  std::string err;
};

/// Options of `run_process`.
struct process_options {
  /// Text written to the child's standard input (then closed).
  std::string input;
  /// Deadline for the whole run in milliseconds.
  int64_t timeout_ms = 60000;
  /// Cap on captured standard output and standard error (each); output
  /// beyond it is read and dropped.
  size_t max_output = 256 * 1024 * 1024;
  /// Environment variables added to (or replacing entries of) ours.
  std::map<std::string, std::string> env;
};

/// Returns the full path of `program`: itself when it contains a `/`,
/// otherwise the first executable match in `PATH`; empty when none.
std::string find_program(const std::string& program);

/// Runs `argv` (argv[0] is looked up in `PATH`) in a new process group, feeds
/// it `opts.input` while reading its standard output and standard error, and
/// waits at most `opts.timeout_ms`. When the program exits, or the deadline
/// passes, the whole process group is killed, so helpers the program started
/// (e.g. a browser's renderer processes) never outlive the call. A program
/// that stops reading its input early is no error (and no SIGPIPE). Errors:
/// the program is not found or cannot be started. A non-zero exit status is
/// not an error; check `process_result::status`.
expected<process_result> run_process(const std::vector<std::string>& argv,
                                     const process_options& opts);

} // namespace caf::consensus::connectors

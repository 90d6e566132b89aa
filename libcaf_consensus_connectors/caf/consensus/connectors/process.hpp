// caf-consensus: a child process with pipes on stdin, stdout and stderr.

#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::connectors {

/// A child process in its own process group whose stdin, stdout and stderr
/// are pipes. Reads and writes never block past their deadline; stderr is
/// drained while stdout is read and its tail kept for error messages. The
/// destructor ends the process (and its group) and reaps it.
///
/// The one place of the project that starts processes (the test
/// `layout.includes` fails when another source file calls posix_spawn):
/// conversations use `write_all` and `read_some`, programs that run to
/// completion use `run_process` (built on `pump` and `kill_and_reap`).
class process {
public:
  // -- constructors -----------------------------------------------------------

  /// Starts `argv` (looked up in `PATH`) with the parent's environment plus
  /// `env`.
  static expected<process>
  spawn(const std::vector<std::string>& argv,
        const std::map<std::string, std::string>& env = {},
        size_t stderr_tail_bytes = 4096);

  process(process&& other) noexcept;
  process& operator=(process&& other) noexcept;
  process(const process&) = delete;
  process& operator=(const process&) = delete;
  ~process();

  // -- observers --------------------------------------------------------------

  pid_t pid() const noexcept {
    return pid_;
  }

  /// Returns the last bytes the process wrote to stderr.
  const std::string& stderr_tail() const noexcept {
    return err_tail_;
  }

  /// Returns whether the process has not been reaped yet.
  bool running();

  /// Returns the exit status once the process exited normally (nullopt while
  /// it runs or when a signal ended it).
  std::optional<int> exit_code();

  /// Returns the signal that ended the process (nullopt while it runs or when
  /// it exited normally).
  std::optional<int> exit_signal();

  /// Returns `exited with status 1` / `killed by signal 9 (Killed)` once the
  /// process has ended, or `still running`.
  std::string exit_description();

  // -- I/O --------------------------------------------------------------------

  /// Writes all of `data` to stdin. A closed pipe (the child died) is an
  /// error, never a SIGPIPE.
  error write_all(std::string_view data, time_point deadline);

  /// Reads what is available on stdout (at most `max` bytes), waiting until
  /// `deadline` for data. Returns an empty string at end of file.
  expected<std::string> read_some(time_point deadline, size_t max = 65536);

  /// Reads whatever the process wrote to stderr so far without waiting.
  void drain_stderr();

  /// Does one step of feeding and reading: waits at most `wait` until stdin
  /// takes data or stdout or stderr has some, writes what stdin takes from
  /// the front of `input` (and drops it from `input`), and appends what
  /// stdout and stderr hold to `out` and `err`, each kept up to `max_output`
  /// bytes (the rest is read and dropped; stderr also feeds `stderr_tail`).
  /// Closes stdin once `input` is empty; when the process stopped reading,
  /// clears `input` (a closed pipe is never a SIGPIPE). Returns whether
  /// stdout or stderr is still open (not at end of file).
  bool pump(std::string_view& input, std::string& out, std::string& err,
            size_t max_output, std::chrono::milliseconds wait);

  // -- ending -----------------------------------------------------------------

  /// Closes stdin (the child sees end of file).
  void close_stdin();

  /// Waits until the process exits or `deadline` passes; returns whether it
  /// exited.
  bool wait_until(time_point deadline);

  /// Ends the process: closes stdin, waits `grace` for it to exit, then sends
  /// SIGTERM to its process group, waits `grace` again, then SIGKILL; reaps.
  void
  terminate(std::chrono::milliseconds grace = std::chrono::milliseconds{500});

  /// Sends `sig` to the process group.
  void signal_group(int sig);

  /// Kills the process group with SIGKILL and reaps the process, without
  /// waiting first. Stdout and stderr stay open: what the group wrote before
  /// can still be read (`pump`, `read_some`) until end of file.
  void kill_and_reap();

private:
  process() = default;

  void reset() noexcept;

  /// Reads what stderr holds without waiting into the tail and appends it to
  /// `capture` up to `cap` bytes.
  void read_stderr(std::string& capture, size_t cap);

  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  /// Exit status (>= 0) or the negated signal that killed the process.
  std::optional<int> status_;
  std::string err_tail_;
  size_t err_tail_max_ = 4096;
};

} // namespace caf::consensus::connectors

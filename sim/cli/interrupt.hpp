// consensus-sim: what a long command says when it is interrupted (Ctrl-C,
// SIGTERM): a thread of its own waits for the signal, reports, and ends the
// process with the conventional status (128 + signal).

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace caf::consensus::cli {

/// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread
/// started after it) and waits for them on a thread of its own, which calls
/// `report(signal name)` and ends the process with 128 + signal. Construct
/// it before any other thread starts.
class interrupt_reporter {
public:
  explicit interrupt_reporter(std::function<void(const char*)> report);

  /// From here on, a signal ends the process without a report (what the
  /// report refers to is gone).
  ~interrupt_reporter();

  interrupt_reporter(const interrupt_reporter&) = delete;
  interrupt_reporter& operator=(const interrupt_reporter&) = delete;

private:
  struct shared;
  std::shared_ptr<shared> state_;
};

/// Quotes `x` for a POSIX shell when it needs quoting.
std::string shell_quote(const std::string& x);

/// `consensus-sim CMD ARGS...` as a shell command line.
std::string command_line(const std::string& cmd,
                         const std::vector<std::string>& args);

} // namespace caf::consensus::cli

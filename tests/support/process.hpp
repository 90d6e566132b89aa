// Test helper: child processes with captured output, bounded waits, and
// cleanup (SIGKILL) on destruction.

#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace test_util {

/// Returns the contents of `path` (empty if unreadable).
inline std::string slurp(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

/// A child process whose stdout and stderr go to files.
class process {
public:
  /// Starts `argv` with `env` added to the environment (and `unset` removed
  /// from it). Output goes to `out_prefix`.out / .err.
  process(std::vector<std::string> argv, const std::string& out_prefix,
          std::vector<std::pair<std::string, std::string>> env = {},
          std::vector<std::string> unset = {})
    : out_(out_prefix + ".out"), err_(out_prefix + ".err") {
    pid_ = ::fork();
    if (pid_ == 0) {
      auto fd_out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      auto fd_err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd_out, STDOUT_FILENO);
      ::dup2(fd_err, STDERR_FILENO);
      auto fd_in = ::open("/dev/null", O_RDONLY);
      ::dup2(fd_in, STDIN_FILENO);
      for (auto& name : unset)
        ::unsetenv(name.c_str());
      for (auto& [k, v] : env)
        ::setenv(k.c_str(), v.c_str(), 1);
      std::vector<char*> xs;
      for (auto& a : argv)
        xs.push_back(const_cast<char*>(a.c_str()));
      xs.push_back(nullptr);
      ::execv(xs[0], xs.data());
      ::_exit(127);
    }
  }

  process(const process&) = delete;
  process& operator=(const process&) = delete;

  ~process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const {
    return pid_;
  }

  /// Sends `sig`.
  void signal(int sig) {
    if (pid_ > 0 && !exited_)
      ::kill(pid_, sig);
  }

  /// Waits up to `timeout` for the exit; returns the exit status (128 + n
  /// for signal n) or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    if (exited_)
      return status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int st = 0;
      auto rc = ::waitpid(pid_, &st, WNOHANG);
      if (rc == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
      }
      if (std::chrono::steady_clock::now() >= deadline)
        return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
  }

  /// Returns whether the process is still running.
  bool running() {
    return !wait(std::chrono::milliseconds{0}).has_value();
  }

  std::string out() const {
    return slurp(out_);
  }

  std::string err() const {
    return slurp(err_);
  }

private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
  std::string out_;
  std::string err_;
};

/// Polls `pred` every 10 ms until it holds or `timeout` passes.
template <class Pred>
bool eventually(std::chrono::milliseconds timeout, Pred pred) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline)
      return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return true;
}

/// Returns the resident set size of `pid` in kB (VmRSS), or -1.
inline long rss_kb(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::atol(line.c_str() + 6);
  return -1;
}

/// Returns a fresh temporary directory.
inline std::string temp_dir(const std::string& tag) {
  std::string tmpl = "/tmp/caf-consensus-" + tag + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  auto p = ::mkdtemp(buf.data());
  return p != nullptr ? std::string{p} : std::string{};
}

} // namespace test_util

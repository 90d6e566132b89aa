// consensus-sim: reporting an interrupt before ending the process.

#include "cli/interrupt.hpp"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace caf::consensus::cli {

struct interrupt_reporter::shared {
  std::mutex mtx;
  std::function<void(const char*)> report;
};

interrupt_reporter::interrupt_reporter(std::function<void(const char*)> report)
  : state_(std::make_shared<shared>()) {
  state_->report = std::move(report);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // Detached: it lives until the process ends, normally or through it.
  std::thread{[set, st = state_] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0)
      return;
    {
      std::lock_guard<std::mutex> guard{st->mtx};
      if (st->report)
        st->report(sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    std::fflush(stdout);
    std::fflush(stderr);
    // Committed batches are in the store; the batch being written is rolled
    // back when the store is opened again (SQLite's journal).
    std::_Exit(128 + sig);
  }}.detach();
}

interrupt_reporter::~interrupt_reporter() {
  std::lock_guard<std::mutex> guard{state_->mtx};
  state_->report = nullptr;
}

std::string shell_quote(const std::string& x) {
  if (!x.empty()
      && x.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
                             "XYZ0123456789_./:=,@%+-")
           == std::string::npos)
    return x;
  std::string out = "'";
  for (auto c : x) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string command_line(const std::string& cmd,
                         const std::vector<std::string>& args) {
  std::string out = "consensus-sim " + cmd;
  for (auto& x : args)
    out += " " + shell_quote(x);
  return out;
}

} // namespace caf::consensus::cli

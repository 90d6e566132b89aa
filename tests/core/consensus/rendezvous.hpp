// Tests: a rendezvous of threads (consensus_reuse_test, consensus_test):
// proves that calls overlap without timing assumptions.

#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace caf::consensus::test {

/// Lets `n` threads pass only together (bounded wait, no sleeping).
struct rendezvous {
  explicit rendezvous(int n) : missing(n) {
    // nop
  }

  /// Counts this thread in and waits until all `n` are in or `limit` passes.
  /// Returns whether all `n` met.
  bool arrive_and_wait(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> guard{mtx};
    if (--missing <= 0) {
      cv.notify_all();
      return true;
    }
    return cv.wait_for(guard, limit, [this] { return missing <= 0; });
  }

  std::mutex mtx;
  std::condition_variable cv;
  int missing;
};

} // namespace caf::consensus::test

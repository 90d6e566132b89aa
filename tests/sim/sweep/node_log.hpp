// Tests: the log lines of an in-process worker node, and waiting until a
// raw socket's peer closed it (distributed_test).

#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sim/sweep/distributed_helpers.hpp"

namespace caf::consensus::sim::test {

/// The log lines of a worker node, collected from the node's threads.
struct node_log {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<std::string> lines;

  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> guard{mtx};
      lines.push_back(line);
      cv.notify_all();
    };
  }

  /// Waits (at most `limit`) until `n` lines contain `needle`; returns
  /// whether they did.
  bool await(const std::string& needle, size_t n,
             std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> guard{mtx};
    return cv.wait_for(guard, limit, [&] { return count(needle) >= n; });
  }

  size_t count(const std::string& needle) const {
    size_t k = 0;
    for (auto& x : lines)
      if (contains(x, needle))
        ++k;
    return k;
  }

  std::string dump() {
    std::lock_guard<std::mutex> guard{mtx};
    std::string out;
    for (auto& x : lines)
      out += x + "\n";
    return out;
  }
};

/// Waits (at most `limit`) until the peer closed `fd`: end of stream or a
/// reset, after draining whatever the peer sent first.
inline bool closed_by_peer(int fd, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return false;
    pollfd p{fd, POLLIN, 0};
    auto rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR)
      return false;
    if (rc <= 0)
      continue;
    auto n = ::recv(fd, buf, sizeof(buf), 0);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
      return true;
  }
}

} // namespace caf::consensus::sim::test

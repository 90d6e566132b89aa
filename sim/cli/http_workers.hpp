// consensus-sim: the threads that run the request handlers of `mcp-serve
// --http` (a tool call may take minutes; the front door's socket loop must
// not wait for it).

#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>

namespace caf::consensus::cli {

/// Produces the response to one complete request. Runs on a worker thread,
/// several at once.
using http_handler
  = std::function<void(const httplib::Request&, httplib::Response&)>;

/// A fixed set of threads running `http_handler` on complete requests. Each
/// finished job is queued for `take()` and announced by writing a byte to
/// `wake_fd` (the front door polls its read end).
class http_workers {
public:
  struct result {
    uint64_t id;
    httplib::Response res;
  };

  http_workers(size_t threads, http_handler fn, int wake_fd);

  http_workers(const http_workers&) = delete;
  http_workers& operator=(const http_workers&) = delete;

  /// Stops and joins the threads after their current job.
  ~http_workers();

  /// Queues the request of connection `id`.
  void submit(uint64_t id, httplib::Request req);

  /// Removes the jobs no thread has started and returns their ids.
  std::vector<uint64_t> drop_queued();

  /// Returns the finished jobs.
  std::vector<result> take();

  /// Lets the threads finish their current job, then joins them.
  void stop();

private:
  void work();

  http_handler fn_;
  int wake_fd_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::deque<std::pair<uint64_t, httplib::Request>> jobs_;
  std::vector<result> done_;
  std::vector<std::thread> threads_;
};

} // namespace caf::consensus::cli

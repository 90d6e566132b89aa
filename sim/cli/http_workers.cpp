// consensus-sim: the handler threads of `mcp-serve --http`.

#include "cli/http_workers.hpp"

#include <unistd.h>

#include <exception>

namespace caf::consensus::cli {

http_workers::http_workers(size_t threads, http_handler fn, int wake_fd)
  : fn_(std::move(fn)), wake_fd_(wake_fd) {
  for (size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { work(); });
}

http_workers::~http_workers() {
  stop();
}

void http_workers::submit(uint64_t id, httplib::Request req) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    jobs_.emplace_back(id, std::move(req));
  }
  cv_.notify_one();
}

std::vector<uint64_t> http_workers::drop_queued() {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<uint64_t> ids;
  for (auto& job : jobs_)
    ids.push_back(job.first);
  jobs_.clear();
  return ids;
}

std::vector<http_workers::result> http_workers::take() {
  std::vector<result> out;
  std::lock_guard<std::mutex> guard{mtx_};
  out.swap(done_);
  return out;
}

void http_workers::stop() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  threads_.clear();
}

void http_workers::work() {
  for (;;) {
    std::pair<uint64_t, httplib::Request> job;
    {
      std::unique_lock<std::mutex> guard{mtx_};
      cv_.wait(guard, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty())
        return; // stopping
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    httplib::Response res;
    try {
      fn_(job.second, res);
    } catch (const std::exception& e) {
      // Like cpp-httplib: a handler that throws answers 500.
      res = httplib::Response{};
      res.status = 500;
      res.set_content(std::string{"internal error: "} + e.what(), "text/plain");
    } catch (...) {
      res = httplib::Response{};
      res.status = 500;
    }
    {
      std::lock_guard<std::mutex> guard{mtx_};
      done_.push_back({job.first, std::move(res)});
    }
    // A full pipe already wakes the loop, which then takes every result.
    char byte = 1;
    [[maybe_unused]] auto ignored = ::write(wake_fd_, &byte, 1);
  }
}

} // namespace caf::consensus::cli

// Tests: helpers of the blocking-API tests (consensus_test): error codes, a
// thread-safe call log and quick parameters.

#pragma once

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;

inline errc code_of(const caf::error& err) {
  if (!err || err.category() != errc_category)
    return errc::none;
  return static_cast<errc>(err.code());
}

/// Thread-safe log of the requests an execute function saw.
struct call_log {
  std::mutex mtx;
  std::vector<request> reqs;
  std::atomic<int> count{0};

  void add(const request& req) {
    ++count;
    std::lock_guard<std::mutex> guard{mtx};
    reqs.push_back(req);
  }

  std::vector<request> round(int32_t r) {
    std::lock_guard<std::mutex> guard{mtx};
    std::vector<request> out;
    for (auto& x : reqs)
      if (x.round == r)
        out.push_back(x);
    std::sort(out.begin(), out.end(),
              [](auto& a, auto& b) { return a.index < b.index; });
    return out;
  }
};

inline params quick_params() {
  params ps;
  ps.timeout_ms = 5000;
  return ps;
}

} // namespace caf::consensus::test

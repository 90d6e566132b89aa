// Tests: helpers of the metastable policy tests (metastable_test): an inline
// script runner, disjoint answers, luminance and sample checks.

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/text/similarity.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;
using script_fn = std::function<result(const request&)>;

inline state run_script(strings ids, params ps, const script_fn& fn,
                        std::vector<request>* log = nullptr,
                        engine_options opts = {}) {
  auto eng = engine::make("the query", std::move(ids), std::move(ps),
                          std::move(opts));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, [&](const request& req) {
    if (log != nullptr)
      log->push_back(req);
    return fn(req);
  });
}

inline strings ids_of(size_t n) {
  strings out;
  for (size_t i = 0; i < n; ++i)
    out.push_back("p" + std::to_string(i));
  return out;
}

/// Output sharing no token with any other participant or round.
inline std::string disjoint(const request& req) {
  return req.participant + "/" + std::to_string(req.round) + " unique-"
         + req.participant + "-" + std::to_string(req.round);
}

inline double lum_of(double ms) {
  return 1.0 / (1.0 + ms / 1000.0);
}

/// Checks that `sample` is duplicate-free and does not contain `self`.
template <class Sample>
inline void check_sample(const Sample& sample, uint32_t self) {
  std::set<uint32_t> distinct(sample.begin(), sample.end());
  EXPECT_EQ(distinct.size(), sample.size()) << "duplicates in sample";
  EXPECT_EQ(distinct.count(self), 0u) << "sample contains self " << self;
}

/// A similarity over raw strings from a callback.
class fn_similarity : public text::similarity {
public:
  explicit fn_similarity(
    std::function<double(std::string_view, std::string_view)> f)
    : f_(std::move(f)) {
    // nop
  }

  double operator()(std::string_view a, std::string_view b) const override {
    ++calls;
    return f_(a, b);
  }

  mutable std::atomic<int> calls{0};

private:
  std::function<double(std::string_view, std::string_view)> f_;
};

} // namespace caf::consensus::test

// Tests: helpers of the round-engine tests (engine_test): error codes, a
// recording policy, an inline script runner and UTF-8 strings.

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"
#include "caf/consensus/request.hpp"

namespace caf::consensus::test {

using strings = std::vector<std::string>;

/// Returns the errc of `err`, or errc::none when it belongs to another
/// category or is empty.
inline errc code_of(const caf::error& err) {
  if (!err || err.category() != errc_category)
    return errc::none;
  return static_cast<errc>(err.code());
}

/// Returns the errc of a failed engine::make.
inline errc make_error_code(const std::string& prompt, strings ids, params ps) {
  auto eng = engine::make(prompt, std::move(ids), std::move(ps));
  if (eng)
    return errc::none;
  return code_of(eng.error());
}

/// The context message of an error (empty if none).
inline std::string message_of(const caf::error& err) {
  return render(err);
}

/// Shared log of what a recording policy saw.
struct recording {
  /// Normalized results per absorbed round.
  std::vector<std::vector<result>> results;
  /// Rounds passed to plan().
  std::vector<int32_t> planned;
  int stops = 0;
  int finishes = 0;
};

/// Forwards to a real policy and records the normalized results that the
/// engine passes to `absorb`.
class recording_policy : public policy::forwarding {
public:
  recording_policy(std::unique_ptr<policy::policy_base> inner,
                   std::shared_ptr<recording> log)
    : forwarding(std::move(inner)), log_(std::move(log)) {
    // nop
  }

  std::vector<request> plan(state& st, int32_t round) override {
    log_->planned.push_back(round);
    return forwarding::plan(st, round);
  }

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override {
    log_->results.push_back(results);
    forwarding::absorb(st, round, results);
  }

  stop_reason stop(const state& st) const override {
    ++log_->stops;
    return forwarding::stop(st);
  }

  void finish(state& st) override {
    ++log_->finishes;
    forwarding::finish(st);
  }

private:
  std::shared_ptr<recording> log_;
};

inline engine_options recording_options(std::shared_ptr<recording> log,
                                        std::string name = "metastable") {
  engine_options opts;
  opts.factory = [log, name]() -> std::unique_ptr<policy::policy_base> {
    auto inner = policy::make(name);
    if (!inner)
      return nullptr;
    return std::make_unique<recording_policy>(std::move(*inner), log);
  };
  return opts;
}

/// Output whose tokens no other participant or round shares.
inline std::string disjoint(const request& req) {
  return req.participant + "-r" + std::to_string(req.round);
}

/// Runs a full consensus inline; fails the test if make() fails.
inline state run_script(strings ids, params ps,
                        const std::function<result(const request&)>& fn,
                        engine_options opts = {}, std::string prompt = "q") {
  auto eng = engine::make(std::move(prompt), std::move(ids), std::move(ps),
                          std::move(opts));
  if (!eng) {
    ADD_FAILURE() << "engine::make failed: " << render(eng.error());
    return {};
  }
  return run_inline(*eng, fn);
}

/// Encodes a code point as UTF-8.
inline std::string utf8(char32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return out;
}

inline std::string repeat(const std::string& x, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += x;
  return out;
}

} // namespace caf::consensus::test

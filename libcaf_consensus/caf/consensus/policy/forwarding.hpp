// caf-consensus: a policy decorator that forwards every call to another
// policy. Derive from it to observe or adjust one step (e.g. record the
// results of each round) without rewriting the others.

#pragma once

#include <memory>
#include <utility>

#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// Forwards every call to `inner()`.
class forwarding : public policy_base {
public:
  explicit forwarding(std::unique_ptr<policy_base> inner)
    : inner_(std::move(inner)) {
    // nop
  }

  std::string name() const override {
    return inner_->name();
  }

  error validate(const params& ps, size_t n) const override {
    return inner_->validate(ps, n);
  }

  bool needs_labels() const override {
    return inner_->needs_labels();
  }

  std::vector<std::string> reads() const override {
    return inner_->reads();
  }

  void start(state& st, const params& ps,
             std::shared_ptr<const text::similarity> sim) override {
    inner_->start(st, ps, std::move(sim));
  }

  std::vector<request> plan(state& st, int32_t round) override {
    return inner_->plan(st, round);
  }

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override {
    inner_->absorb(st, round, results);
  }

  stop_reason stop(const state& st) const override {
    return inner_->stop(st);
  }

  void finish(state& st) override {
    inner_->finish(st);
  }

  /// Returns the wrapped policy.
  policy_base& inner() noexcept {
    return *inner_;
  }

private:
  std::unique_ptr<policy_base> inner_;
};

} // namespace caf::consensus::policy

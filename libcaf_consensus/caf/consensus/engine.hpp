// caf-consensus: the pure round driver shared by the inline and actor engines.

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"
#include "caf/consensus/text/similarity.hpp"

namespace caf::consensus {

/// Options of a run that are not protocol parameters.
struct engine_options {
  /// Similarity for policies that use one (default: Jaccard).
  std::shared_ptr<const text::similarity> similarity;
  /// Policy instance to use instead of looking up `params::policy`.
  policy::policy_factory factory;
};

/// Drives one consensus run as a state machine without doing any I/O:
///
///     auto eng = engine::make(prompt, participants, ps);
///     while (!eng->done())
///       eng->complete(call_everyone(eng->requests()));
///     state st = eng->take();
///
/// Round 0 sends the prompt unchanged to everyone; rounds 1..rounds ask the
/// policy for requests; every round is a barrier. Results are filed under the
/// participant called, in participant order, whatever order they arrived in.
/// A result marked `timed_out` is a failure with latency = the timeout.
class engine {
public:
  // -- constructors -----------------------------------------------------------

  /// Validates the input (participants non-empty, unique and non-empty ids;
  /// the policy's parameter checks) and prepares round 0. Returns an error
  /// naming the bad input before any call is made.
  static expected<engine> make(std::string prompt,
                               std::vector<std::string> participants, params ps,
                               engine_options opts = {});

  engine(engine&&) = default;
  engine& operator=(engine&&) = default;

  // -- observers --------------------------------------------------------------

  /// Returns whether the run is complete (Phase II done).
  bool done() const noexcept {
    return done_;
  }

  /// Returns the round whose requests are pending.
  int32_t round() const noexcept {
    return round_;
  }

  /// Returns the pending requests, one per participant in participant order.
  const std::vector<request>& requests() const noexcept {
    return pending_;
  }

  /// Returns the state built so far.
  const state& current() const noexcept {
    return st_;
  }

  const params& parameters() const noexcept {
    return ps_;
  }

  // -- modifiers --------------------------------------------------------------

  /// Completes the pending round with `results` (aligned with `requests()`;
  /// a missing entry must be passed as a failed result).
  void complete(std::vector<result> results);

  /// Moves the final state out. Requires `done()`.
  state take();

private:
  friend state run_inline(engine& eng,
                          const std::function<result(const request&)>& call);

  engine() = default;

  /// `complete` on a vector the caller keeps (for reuse across rounds).
  void complete_round(std::vector<result>& results);

  void normalize(std::vector<result>& results) const;

  void record(const std::vector<result>& results);

  void next_round();

  void finish(stop_reason why);

  params ps_;
  state st_;
  std::unique_ptr<policy::policy_base> policy_;
  std::vector<request> pending_;
  int32_t round_ = 0;
  bool done_ = false;
  bool labels_ = false;
};

/// Runs `eng` to completion calling `call` for every request, in participant
/// order (the inline engine). A thrown exception becomes a failed result.
state run_inline(engine& eng,
                 const std::function<result(const request&)>& call);

} // namespace caf::consensus

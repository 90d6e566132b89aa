// caf-consensus: the policy interface and the policy registry.

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"
#include "caf/consensus/text/similarity.hpp"

namespace caf::consensus::policy {

/// A consensus policy: a pure function of the state and the round results.
/// The engine owns the round flow; a policy decides whom each participant
/// sees, how confidence changes, when to stop and who wins. One instance
/// serves one run (it may keep per-run data in members).
///
/// Call order: `validate` (before any call), `start`, `absorb(round 0)`, then
/// for r = 1..rounds: `plan(r)`, `absorb(r)`, `stop()`; finally `finish`.
/// The engine appends every result to `st.responses` and updates the call
/// counters before `absorb`, and it pushes `st.trace.back()` for the round
/// before `plan`/`absorb` so that policies can record samples and agreements.
class policy_base {
public:
  virtual ~policy_base();

  /// Returns the policy's name.
  virtual std::string name() const = 0;

  /// Checks the parameters for `n` participants. Returns a default-constructed
  /// error when they are acceptable.
  virtual error validate(const params& ps, size_t n) const = 0;

  /// Returns whether the policy reads choice keys (labels). The engine then
  /// extracts a label from every ok result that carries none.
  virtual bool needs_labels() const;

  /// Returns whether `stop` is also asked after round 0 (the initial
  /// proposals). The default is no: most policies only judge refinements.
  virtual bool stops_after_proposals() const;

  /// Returns the policy-specific parameters this policy reads, of `k`,
  /// `alpha`, `beta_1`, `beta_2`, `beta`, `alpha_preference`,
  /// `alpha_confidence`, `luminance_weighted`, `delta` and `max_calls` (the
  /// engine's own
  /// parameters, `rounds`, `timeout_ms`, `stop_on_unanimity`, `extractor`
  /// and `extractor_pattern`, apply to every policy). The default, for user
  /// policies, is all of them.
  virtual std::vector<std::string> reads() const;

  /// Initializes per-participant data (vectors of `st` are already sized).
  virtual void start(state& st, const params& ps,
                     std::shared_ptr<const text::similarity> sim)
    = 0;

  /// Builds the requests of refinement round `round` (>= 1), one per
  /// participant in participant order.
  virtual std::vector<request> plan(state& st, int32_t round) = 0;

  /// Builds the same requests into `out`, which holds the previous round's
  /// requests: a policy may reuse their storage (vector capacity, a prompt
  /// buffer no agent kept; see `render_prompt`). The engine calls this one.
  /// The default frees `out` and then assigns `plan(st, round)`, so a policy
  /// (or decorator) that overrides only `plan` works unchanged.
  virtual void plan_into(state& st, int32_t round, std::vector<request>& out);

  /// Absorbs the results of `round` (participant order; round 0 included).
  virtual void
  absorb(state& st, int32_t round, const std::vector<result>& results)
    = 0;

  /// Returns why sampling should stop after the latest round, or
  /// `stop_reason::none` to go on.
  virtual stop_reason stop(const state& st) const = 0;

  /// Phase II: scores, winner, finalized, synthesis.
  virtual void finish(state& st) = 0;
};

/// Creates a fresh policy instance.
using policy_factory = std::function<std::unique_ptr<policy_base>()>;

/// Checks the parameters every policy except `hanzo` shares: rounds >= 0,
/// timeout > 0, alpha in [0, 1], beta_1 >= 0, beta_2 in [0, 1], no NaN.
error validate_common(const params& ps);

} // namespace caf::consensus::policy

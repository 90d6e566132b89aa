// caf-consensus sim: the messages of parallel and distributed sweeps.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "caf/allowed_unsafe_message_type.hpp"
#include "caf/atom.hpp"
#include "caf/meta/type_name.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"

namespace caf {
class actor_system_config;
} // namespace caf

namespace caf::consensus::sim {

// -- atoms --------------------------------------------------------------------

/// Coordinator -> gate: opens the handshake, asks for a challenge.
using hello_atom = atom_constant<atom("csHello")>;

/// Coordinator -> gate: answers the challenge with the shared-secret MAC.
using auth_atom = atom_constant<atom("csAuth")>;

/// Coordinator -> session: the sweep to run.
using load_atom = atom_constant<atom("csLoad")>;

/// Coordinator -> session -> pool -> compute: one batch of runs.
using batch_atom = atom_constant<atom("csBatch")>;

/// Private: periodic deadline and reconnect check of the dispatcher.
using tick_atom = atom_constant<atom("csTick")>;

/// Private: starts a sweep (caller -> dispatcher).
using start_atom = atom_constant<atom("csStart")>;

/// Private: try to (re)connect a remote worker.
using retry_atom = atom_constant<atom("csRetry")>;

// -- limits -------------------------------------------------------------------

/// Version of the coordinator-worker protocol (checked in the handshake).
constexpr uint32_t sweep_protocol_version = 1;

/// Most runs in one batch a worker accepts.
constexpr size_t max_batch_runs = 65536;

/// Largest scenario text a worker accepts: what a coordinator may load.
constexpr size_t max_scenario_bytes = max_scenario_file_bytes;

/// Largest BASP payload a worker's listener lets through (plain TCP).
constexpr uint32_t max_message_bytes = uint32_t{64} << 20;

// -- message types ------------------------------------------------------------

/// A batch of runs, by canonical index, in increasing order.
struct run_batch {
  uint64_t id = 0;
  std::vector<uint64_t> runs;
};

/// The metrics of a batch's runs, in the order of `run_batch::runs`.
struct batch_result {
  uint64_t id = 0;
  std::vector<run_metrics> runs;
};

/// What a remote worker needs to rebuild the coordinator's sweep plan.
struct sweep_spec {
  /// The scenario file's bytes and the name it was loaded under.
  std::string text;
  std::string origin;
  /// Overrides applied after parsing.
  uint64_t replicates = 0;
  rng::seed seed;
  /// The run seeds by replicate when the coordinator's scenario has a list
  /// (from the file, or set by a program such as `tune`); empty: derived.
  std::vector<rng::seed> seeds;
  /// `actors` or `inline`.
  std::string engine;
  bool agent_rows = false;
  /// `fingerprint(plan)` on the coordinator; the worker must arrive at the
  /// same value.
  std::string fingerprint;
};

/// Local only: a batch together with the plan it belongs to.
struct plan_batch {
  std::shared_ptr<const sweep_plan> plan;
  run_batch batch;
};

// -- inspection ---------------------------------------------------------------

/// @relates agent_row
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agent_row& x) {
  return f(meta::type_name("caf::consensus::sim::agent_row"), x.agent,
           x.final_label, x.confidence, x.calls, x.failures, x.decided_round,
           x.decided_label, x.decided_polls);
}

/// @relates run_metrics
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_metrics& x) {
  return f(meta::type_name("caf::consensus::sim::run_metrics"), x.cell,
           x.replicate, x.seed, x.policy, x.rounds, x.k, x.alpha, x.beta_1,
           x.beta_2, x.rounds_executed, x.stop_reason, x.finalized, x.winner,
           x.winner_label, x.winner_correct, x.winner_confidence,
           x.winner_score, x.agreement, x.unanimity_round, x.unanimity_label,
           x.calls, x.failures, x.timeouts, x.latency_ms, x.rounds_to_decide,
           x.polls_to_decide, x.rounds_to_decide_live, x.polls_to_decide_live,
           x.stopped_early, x.agents, x.trajectory, x.equal_calls_label,
           x.equal_calls_correct, x.tokens);
}

/// @relates run_batch
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_batch& x) {
  return f(meta::type_name("caf::consensus::sim::run_batch"), x.id, x.runs);
}

/// @relates batch_result
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, batch_result& x) {
  return f(meta::type_name("caf::consensus::sim::batch_result"), x.id, x.runs);
}

/// @relates sweep_spec
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sweep_spec& x) {
  return f(meta::type_name("caf::consensus::sim::sweep_spec"), x.text, x.origin,
           x.replicates, x.seed, x.seeds, x.engine, x.agent_rows,
           x.fingerprint);
}

/// Registers the sweep message types for use across nodes (call on every
/// node before constructing the actor system).
void add_sweep_types(actor_system_config& cfg);

/// Returns the spec of a plan (reads nothing: `text` is the scenario file's
/// bytes the caller loaded).
sweep_spec make_spec(const sweep_plan& p, std::string text);

/// Rebuilds a plan from a spec received from a coordinator. Checks sizes,
/// the engine name, the scenario and the fingerprint; errors name what is
/// wrong.
expected<std::shared_ptr<const sweep_plan>>
plan_from_spec(const sweep_spec& x, size_t max_text = max_scenario_bytes);

} // namespace caf::consensus::sim

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(caf::consensus::sim::plan_batch)

// caf-consensus sim: synthetic agents that behave like LLM endpoints.

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/rng/seed.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::sim {

// -- latency ------------------------------------------------------------------

/// A latency distribution in milliseconds, sampled per call. Samples are
/// rounded to whole milliseconds and clamped to [0, 10^12].
struct latency_model {
  enum class kind : uint8_t {
    /// Always `a` ms.
    constant,
    /// Uniform in [a, b] ms.
    uniform,
    /// Normal with mean `a` and standard deviation `b`, truncated at 0
    /// (negative draws are redrawn; after 64 negative draws in a row the
    /// sample is 0).
    normal,
    /// Log-normal: exp(N(mu = ln(a), sigma = b)); `a` is the median in ms.
    lognormal,
    /// Exponential with mean `a` ms.
    exponential,
    /// Uniform draw from `values` (`a` when `values` is empty).
    empirical,
  };
  kind type = kind::constant;
  double a = 100;
  double b = 0;
  std::vector<double> values;
};

/// Returns `type`'s name as written in scenario files.
std::string to_string(latency_model::kind type);

// -- answers ------------------------------------------------------------------

/// How an agent answers in refinement rounds (r >= 1), given the peers it
/// was shown (their labels) and its own latest label.
///
/// "Own label" is `request::own_label` (the agent's latest ok label as the
/// protocol shows it); when it is empty (e.g. the agent never answered ok)
/// the agent draws one from its distribution. "Shown peers" are the entries
/// of `request::peers` with a non-empty label; the own label never counts as
/// a vote.
enum class behaviour : uint8_t {
  /// Keeps its answer.
  stubborn,
  /// Draws again from its own answer distribution.
  resample,
  /// Adopts the label of one uniformly chosen shown peer (voter model); a
  /// label shown by two peers is twice as likely. No shown peer: keeps its
  /// own.
  copy_peer,
  /// Adopts the plurality label among shown peers if its count is unique;
  /// keeps its own on a tie (whether or not the own label is among the tied
  /// ones) and when no peer is shown.
  majority,
  /// With probability `conform_p` behaves as `majority`, else keeps its own.
  conform,
  /// Always the same wrong label (every round, round 0 included).
  fixed_wrong,
  /// Alternates: the ground truth in even rounds (round 0 included), the
  /// wrong label in odd ones.
  flip_flop,
  /// Answers the label in the minority among the shown peers (the Snowball
  /// liveness attacker); round 0 draws from its distribution. Candidates are
  /// all labels of the scenario (`agent_world::labels`; without any, the
  /// distinct shown labels), each counted over the shown peers, zero votes
  /// included. Answers the candidate with the fewest votes, the first in
  /// scenario order among equals; when every candidate has the same count (a
  /// perfectly balanced sample) keeps its own label if it is a candidate.
  /// With two labels this always votes against the sample's majority.
  balancing,
  /// Answers its round-0 draw in every round, whatever it is shown or told
  /// (an LLM at temperature 0: every call of a run gives the same answer).
  /// Its repeated answers are perfectly correlated.
  repeat,
  /// Answers its current protocol preference (`request::preference`), as a
  /// Snowball node answers a query: with policy `snowball` a run is then the
  /// Avalanche protocol itself (synchronous rounds). Round 0 draws from its
  /// distribution; without a preference (other policies, or none yet) it
  /// keeps its own label.
  follow_policy,
};

/// Returns the name of `x` as written in scenario files (`copy-peer`, ...).
std::string to_string(behaviour x);

/// Where an agent's answers come from.
enum class agent_kind : uint8_t {
  /// The models of this header (answers, behaviour, latency, faults).
  synthetic,
  /// A recorded participant played back call by call (docs/traces.md).
  replay,
  /// A recorded participant resampled: every run draws one recorded run
  /// (the same for all empirical agents of one trace) and answers what the
  /// participant answered there; latency drawn from its recorded latencies.
  empirical,
};

/// Returns the name of `x` as written in scenario files.
std::string to_string(agent_kind x);

struct trace_book;

/// One group of `count` identical agents.
struct agent_group {
  /// Where the answers come from (replay and empirical groups: `trace`).
  agent_kind kind = agent_kind::synthetic;
  /// The trace of a replay or empirical group, and the recorded participant
  /// it plays (its index in the trace's participants).
  std::shared_ptr<const trace_book> trace;
  size_t participant = 0;
  /// Group name; agent ids are `name` (count 1) or `name-1` .. `name-N`.
  std::string name;
  uint32_t count = 1;
  latency_model latency;
  /// Probability that a call fails (ok = false, error text).
  double fail = 0;
  /// Probability that a call never answers (a timeout).
  double no_answer = 0;
  /// Stops answering for good after this round (-1: never crashes).
  int32_t crash_after = -1;
  /// Categorical answer distribution: labels and their weights (same size;
  /// missing, negative or NaN weights count as 0; all zero: uniform; no
  /// labels: the ground truth).
  std::vector<std::string> labels;
  std::vector<double> weights;
  behaviour refine = behaviour::stubborn;
  double conform_p = 0.5;
  /// Wrong label for `fixed-wrong` / `flip-flop` (empty: the first label of
  /// the scenario that is not the ground truth).
  std::string wrong_label;
  /// Tokens an ok call consumes, drawn per call (the latency forms, read as
  /// token counts; default: constant 0, i.e. not modelled).
  latency_model tokens{latency_model::kind::constant, 0, 0, {}};
  /// Word-level noise rate: each word of the template is, with this
  /// probability, dropped, swapped with the next word or followed by a filler
  /// word (one of 32 common words), the three equally likely. A swapped-in
  /// word is not noised again; the last word's swap is a no-op. Noisy text
  /// joins its words with single spaces; with noise 0 the output is the
  /// template verbatim.
  double noise = 0;
};

struct answer_words;

/// Everything an agent needs to know about the scenario it lives in.
struct agent_world {
  /// All labels of the scenario in declaration order.
  std::vector<std::string> labels;
  /// Text template per label (aligned with `labels`). A label without a
  /// (non-empty) template uses `default_template(label)`.
  std::vector<std::string> templates;
  /// The correct label.
  std::string ground_truth;
  /// Call timeout (latencies above it are timeouts).
  int64_t timeout_ms = 60000;
  /// The templates and filler words as token ids (`prepare_words`). When
  /// set, synthetic agents answer in tokens (`result::words`, no text);
  /// when empty they answer text. Must be remade after changing `labels` or
  /// `templates`.
  std::shared_ptr<const answer_words> words;
};

/// Makes `world.words` from its labels and templates, so that synthetic
/// agents answer token sets instead of texts: the token set of each answer
/// is exactly `text::tokenize` of the text the agent would answer otherwise,
/// drawn from the same random streams. `resolve_cell` and the advisor call
/// it; clear `world.words` where the texts are wanted (recording traces).
void prepare_words(agent_world& world);

/// A concrete agent: its id, its group and its index in the participant
/// list (which keys its random streams).
struct agent {
  std::string id;
  const agent_group* group = nullptr;
  uint32_t index = 0;
};

/// Returns the seed the agents of a run draw from:
/// `rng::derive(run_seed mod 2^64, {hash_name("agents")})`.
uint64_t agents_seed(const rng::seed& run_seed);

/// Prefix of the error of a result that a replay agent could not take from
/// its trace (a call the trace never recorded).
constexpr const char unrecorded_call_prefix[] = "unrecorded call: ";

/// Returns the first response of `st` that a replay agent could not take from
/// its trace (its error text), or an empty string.
std::string unrecorded_call(const state& st);

/// Returns the answer of agent `a` to `req` in the run seeded `run_seed`.
/// Replay and empirical agents answer as described at `agent_kind` and in
/// docs/traces.md; the rest of this comment is about synthetic agents.
///
/// Pure and deterministic: every draw comes from a stream seeded with
/// `rng::derive(run_seed, {a.index, req.round, purpose})`, one stream per
/// purpose (latency, fault, label, refine, noise, tokens; purposes are
/// `rng::hash_name("sim.agent.<purpose>")`), so the same call gives the same
/// result in the inline and the actor engine, on any thread and in any call
/// order, and changing one model (say, the failure rate) leaves the draws of
/// the others unchanged.
///
/// Latency is virtual: the result reports the sampled `ms`. Outcomes, checked
/// in this order:
/// 1. a call in a round after `crash_after` (if >= 0) is a timeout;
/// 2. one uniform draw `u`: `u < no_answer` is a timeout;
/// 3. a sampled latency above `world.timeout_ms` is a timeout;
/// 4. `u < no_answer + fail` is a failed result (ok = false, error
///    `simulated failure`, ms = the sampled latency);
/// 5. otherwise an ok result with `id = a.id`, `round = req.round`, its
///    label in `result::label`, the label's template with noise in `output`
///    (or, when `world.words` is set, that text's token set in
///    `result::words` and no `output`),
///    the sampled `ms` and, when the group models them, `tokens` drawn
///    from `agent_group::tokens` (failed calls report none).
/// A timeout has ok = false, timed_out = true, error `timeout` and
/// ms = `world.timeout_ms`. A failure that would arrive after the deadline is
/// thus a timeout, so the failure rate is `fail` times P(latency <= timeout).
///
/// The label: in round 0 a draw from the group's distribution
/// (`fixed-wrong`: its wrong label; `flip-flop`: the ground truth); in later
/// rounds as described at `behaviour`. The wrong label is `wrong_label`, else
/// the first scenario label that is not the ground truth, else the ground
/// truth itself.
result answer(const agent_world& world, const agent& a, uint64_t run_seed,
              const request& req);

/// Returns the label of `answer(world, a, run_seed, req)` when that result is
/// ok, and an empty optional when it fails or times out; the same draws, but
/// without making the text (for baselines that only count votes).
std::optional<std::string> answer_label(const agent_world& world,
                                        const agent& a, uint64_t run_seed,
                                        const request& req);

/// Returns the default text template of `label`: 12 distinct lower-case
/// words, namely the label itself (ASCII lower-cased, blanks replaced by `_`)
/// followed by words of a fixed 256-word vocabulary picked by a generator
/// seeded with `rng::hash_name(label)`. Two labels share about half a word on
/// average (Jaccard about 0.02, rarely 0.2 or more); the result depends on
/// the label only.
std::string default_template(const std::string& label);

} // namespace caf::consensus::sim

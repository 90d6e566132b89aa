// caf-consensus sim: a synthetic agent's answer to one call: its faults
// (crash, no answer, a latency above the timeout, failure) in that order,
// else an ok result with its label, text (or token set) and latency.

#include "caf/consensus/sim/agents/agents.hpp"

#include <string>
#include <utility>

#include "caf/consensus/sim/agents/internal/behaviour.hpp"
#include "caf/consensus/sim/agents/internal/latency.hpp"
#include "caf/consensus/sim/agents/internal/recorded.hpp"
#include "caf/consensus/sim/agents/internal/streams.hpp"
#include "caf/consensus/sim/agents/internal/text.hpp"
#include "caf/consensus/sim/agents/internal/words.hpp"

namespace caf::consensus::sim {

using namespace agents_internal;

namespace {

constexpr char failure_text[] = "simulated failure";

constexpr char timeout_text[] = "timeout";

result timeout_result(const agent_world& world, const agent& a,
                      const request& req) {
  result x;
  x.id = a.id;
  x.round = req.round;
  x.ok = false;
  x.timed_out = true;
  x.ms = world.timeout_ms;
  x.error = timeout_text;
  return x;
}

enum class call_outcome : uint8_t { ok, failed, timed_out };

/// Draws a call's faults, in this order: crash, no answer, latency above the
/// timeout, failure. A failure that would arrive after the deadline is a
/// timeout. Sets `ms` to the sampled latency when there is one.
call_outcome fault_of(const agent_world& world, const agent& self,
                      uint64_t run_seed, const request& req, int64_t& ms) {
  auto& g = *self.group;
  auto& ps = purpose();
  if (g.crash_after >= 0 && req.round > g.crash_after)
    return call_outcome::timed_out;
  auto fault = stream(run_seed, self, req.round, ps.fault).uniform();
  if (fault < g.no_answer)
    return call_outcome::timed_out;
  auto lat_gen = stream(run_seed, self, req.round, ps.latency);
  ms = sample_latency(g.latency, lat_gen);
  if (ms > world.timeout_ms)
    return call_outcome::timed_out;
  if (fault < g.no_answer + g.fail)
    return call_outcome::failed;
  return call_outcome::ok;
}

agent with_group(const agent& a) {
  static const agent_group default_group;
  auto self = a;
  if (self.group == nullptr)
    self.group = &default_group;
  return self;
}

} // namespace

result answer(const agent_world& world, const agent& a, uint64_t run_seed,
              const request& req) {
  auto self = with_group(a);
  auto& g = *self.group;
  if (g.kind == agent_kind::replay)
    return replay_answer(world, self, run_seed, req);
  if (g.kind == agent_kind::empirical)
    return empirical_answer(world, self, run_seed, req);
  auto& ps = purpose();
  int64_t ms = 0;
  switch (fault_of(world, self, run_seed, req, ms)) {
    case call_outcome::timed_out:
      return timeout_result(world, self, req);
    case call_outcome::failed:
      return make_failure(self.id, req.round, failure_text, ms);
    case call_outcome::ok:
      break;
  }
  // A successful answer.
  auto label = choose_label(world, self, run_seed, req);
  auto noise_gen = stream(run_seed, self, req.round, ps.noise);
  auto x = make_ok(self.id, shared_text{}, ms, req.round);
  if (auto idx = label_index(world, label);
      world.words != nullptr && idx < world.words->templates.size()) {
    // The token set of the text below, without making the text.
    x.words = noisy_words(*world.words, idx, g.noise, noise_gen);
  } else {
    std::string buf;
    x.output = add_noise(template_of(world, label, buf), g.noise, noise_gen);
  }
  x.label = std::move(label);
  if (g.tokens.type != latency_model::kind::constant || g.tokens.a > 0) {
    auto tok_gen = stream(run_seed, self, req.round, ps.tokens);
    x.tokens = static_cast<uint64_t>(sample_latency(g.tokens, tok_gen));
  }
  return x;
}

std::optional<std::string> answer_label(const agent_world& world,
                                        const agent& a, uint64_t run_seed,
                                        const request& req) {
  auto self = with_group(a);
  if (self.group->kind != agent_kind::synthetic) {
    auto x = answer(world, self, run_seed, req);
    if (!x.ok)
      return std::nullopt;
    return x.label.empty() ? x.output.str() : x.label;
  }
  int64_t ms = 0;
  if (fault_of(world, self, run_seed, req, ms) != call_outcome::ok)
    return std::nullopt;
  return choose_label(world, self, run_seed, req);
}

} // namespace caf::consensus::sim

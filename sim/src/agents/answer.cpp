// caf-consensus sim: a synthetic agent's answer to one call: its faults
// (crash, no answer, a latency above the timeout, failure) in that order,
// else an ok result with its label, text and latency.

#include "caf/consensus/sim/agents/agents.hpp"

#include <string>
#include <utility>

#include "caf/consensus/sim/agents/internal/behaviour.hpp"
#include "caf/consensus/sim/agents/internal/latency.hpp"
#include "caf/consensus/sim/agents/internal/streams.hpp"
#include "caf/consensus/sim/agents/internal/text.hpp"

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

} // namespace

result answer(const agent_world& world, const agent& a, uint64_t run_seed,
              const request& req) {
  static const agent_group default_group;
  auto self = a;
  if (self.group == nullptr)
    self.group = &default_group;
  auto& g = *self.group;
  auto& ps = purpose();
  // Faults, in this order: crash, no answer, latency above the timeout,
  // failure. A failure that would arrive after the deadline is a timeout.
  if (g.crash_after >= 0 && req.round > g.crash_after)
    return timeout_result(world, self, req);
  auto fault = stream(run_seed, self, req.round, ps.fault).uniform();
  if (fault < g.no_answer)
    return timeout_result(world, self, req);
  auto lat_gen = stream(run_seed, self, req.round, ps.latency);
  auto ms = sample_latency(g.latency, lat_gen);
  if (ms > world.timeout_ms)
    return timeout_result(world, self, req);
  if (fault < g.no_answer + g.fail)
    return make_failure(self.id, req.round, failure_text, ms);
  // A successful answer.
  auto label = choose_label(world, self, run_seed, req);
  std::string buf;
  auto& tmpl = template_of(world, label, buf);
  auto noise_gen = stream(run_seed, self, req.round, ps.noise);
  auto x = make_ok(self.id, add_noise(tmpl, g.noise, noise_gen), ms, req.round);
  x.label = std::move(label);
  return x;
}

} // namespace caf::consensus::sim

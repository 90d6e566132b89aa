// caf-consensus sim: the latency models of the synthetic agents.

#include "caf/consensus/sim/agents/internal/latency.hpp"

#include <cmath>
#include <string>

namespace caf::consensus::sim {

namespace {

/// Largest latency we report (about 31 years): keeps `llround` defined.
constexpr double max_latency_ms = 1e12;

/// Number of redraws for a truncated normal before giving up (clamp to 0).
constexpr int max_normal_redraws = 64;

double draw_latency(const latency_model& m, rng::rng64& gen) {
  using kind = latency_model::kind;
  switch (m.type) {
    case kind::constant:
      return m.a;
    case kind::uniform:
      return m.a + (m.b - m.a) * gen.uniform();
    case kind::normal:
      for (int i = 0; i < max_normal_redraws; ++i) {
        auto x = m.a + m.b * gen.normal();
        if (x >= 0)
          return x;
      }
      return 0;
    case kind::lognormal:
      if (!(m.a > 0))
        return 0;
      return std::exp(std::log(m.a) + m.b * gen.normal());
    case kind::exponential:
      return gen.exponential(m.a);
    case kind::empirical:
      if (m.values.empty())
        return m.a;
      return m.values[gen.below(m.values.size())];
  }
  return m.a;
}

} // namespace

namespace agents_internal {

int64_t sample_latency(const latency_model& m, rng::rng64& gen) {
  auto x = draw_latency(m, gen);
  if (!(x > 0)) // Negative, zero or NaN.
    return 0;
  if (x > max_latency_ms)
    x = max_latency_ms;
  return static_cast<int64_t>(std::llround(x));
}

} // namespace agents_internal

std::string to_string(latency_model::kind type) {
  using kind = latency_model::kind;
  switch (type) {
    case kind::constant:
      return "constant";
    case kind::uniform:
      return "uniform";
    case kind::normal:
      return "normal";
    case kind::lognormal:
      return "lognormal";
    case kind::exponential:
      return "exponential";
    case kind::empirical:
      return "empirical";
  }
  return "???";
}

} // namespace caf::consensus::sim

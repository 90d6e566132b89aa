#include "caf/consensus/sim/sweep/sweep_messages.hpp"

#include <limits>

#include "caf/actor_system_config.hpp"

#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

void add_sweep_types(actor_system_config& cfg) {
  cfg.add_message_type<run_batch>("caf::consensus::sim::run_batch");
  cfg.add_message_type<batch_result>("caf::consensus::sim::batch_result");
  cfg.add_message_type<sweep_spec>("caf::consensus::sim::sweep_spec");
}

sweep_spec make_spec(const sweep_plan& p, std::string text) {
  sweep_spec x;
  x.text = std::move(text);
  x.origin = p.base.file;
  x.replicates = p.replicates;
  x.seed = p.base.seed;
  x.seeds = p.base.seeds;
  x.engine = to_string(p.engine);
  x.agent_rows = p.agent_rows;
  x.fingerprint = fingerprint(p);
  return x;
}

expected<std::shared_ptr<const sweep_plan>> plan_from_spec(const sweep_spec& x,
                                                           size_t max_text) {
  auto bad = [](const std::string& what) {
    return make_error(sweep_errc::bad_message, "invalid sweep: " + what);
  };
  if (x.text.size() > max_text)
    return make_error(
      sweep_errc::incompatible,
      "the scenario has " + std::to_string(x.text.size())
        + " bytes, this worker reads at most " + std::to_string(max_text)
        + " (start it with --max-scenario-mib "
        + std::to_string((x.text.size() + (1 << 20) - 1) >> 20) + " or more)");
  if (x.origin.size() > 4096)
    return bad("scenario file name longer than 4096 bytes");
  if (x.fingerprint.size() > 128)
    return bad("fingerprint longer than 128 bytes");
  engine_kind engine;
  if (x.engine == "actors")
    engine = engine_kind::actors;
  else if (x.engine == "inline")
    engine = engine_kind::inline_calls;
  else
    return bad("unknown engine (expected 'actors' or 'inline')");
  if (x.replicates == 0)
    return bad("zero replicates");
  if (x.seeds.size() > x.replicates)
    return bad("more run seeds than replicates");
  auto s = parse_scenario(x.text, x.origin);
  if (!s)
    return make_error(sweep_errc::incompatible,
                      "the scenario does not load on this worker: "
                        + render_sweep_error(s.error()));
  s->replicates = x.replicates;
  s->seed = x.seed;
  if (!x.seeds.empty())
    s->seeds = x.seeds;
  auto p = make_plan(*s, engine, x.agent_rows);
  if (!p)
    return make_error(sweep_errc::incompatible,
                      "the sweep does not resolve on this worker: "
                        + render_sweep_error(p.error()));
  auto mine = fingerprint(**p);
  if (mine != x.fingerprint)
    return make_error(sweep_errc::incompatible,
                      "the sweep resolves differently on this worker "
                      "(fingerprint "
                        + mine.substr(0, 16) + "... vs the coordinator's "
                        + x.fingerprint.substr(0, 16)
                        + "...); do both run the same program version?");
  return p;
}

} // namespace caf::consensus::sim

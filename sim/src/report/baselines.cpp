// caf-consensus sim: the `vote` baselines of a results directory (majority
// after round 0, debate-then-vote at equal calls), run at the cell's seeds.

#include "caf/consensus/sim/report/baselines.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"

namespace caf::consensus::sim {

namespace fs = std::filesystem;

int32_t equal_call_rounds(double mean_calls, size_t agents) {
  if (agents == 0 || !std::isfinite(mean_calls) || mean_calls <= 0)
    return 0;
  auto r = std::llround(mean_calls / static_cast<double>(agents)) - 1;
  return static_cast<int32_t>(std::clamp<long long>(r, 0, 1'000'000));
}

scenario vote_baseline(const scenario& cell, int32_t rounds) {
  auto out = cell;
  out.sweep.clear();
  out.ps.policy = "vote";
  out.ps.rounds = rounds;
  return out;
}

error run_with_seeds(const scenario& cell, const std::vector<rng::seed>& seeds,
                     engine_kind engine, size_t threads,
                     const std::function<void(const run_metrics&)>& on_run,
                     std::shared_ptr<sweep_runtime> runtime) {
  if (seeds.empty())
    return make_error(errc::invalid_params, "run_with_seeds: no seeds");
  auto s = cell;
  s.sweep.clear();
  s.seeds = seeds;
  s.replicates = seeds.size();
  sweep_options opts;
  opts.engine = engine;
  opts.threads = threads;
  opts.on_run = on_run;
  opts.runtime = std::move(runtime);
  return run_sweep(s, opts);
}

expected<baselines> run_baselines(const results& res, const scenario& s,
                                  engine_kind engine, size_t threads) {
  auto& m = res.manifest;
  auto where = (fs::path{res.dir} / "manifest.json").string();
  auto hash = m.contains("scenario") && m["scenario"].contains("hash")
                  && m["scenario"]["hash"].is_string()
                ? m["scenario"]["hash"].get<std::string>()
                : std::string{};
  if (hash.empty())
    return make_error(errc::malformed_input,
                      where + ": no scenario hash; cannot check that '" + s.file
                        + "' is the scenario of these results");
  if (hash != s.hash)
    return make_error(errc::malformed_input,
                      s.file + ": its hash " + s.hash
                        + " differs from the manifest's " + hash
                        + " (the file changed since the run)");
  if (cell_count(s) != res.cells.size())
    return make_error(errc::malformed_input,
                      s.file + ": has " + std::to_string(cell_count(s))
                        + " cells, the results "
                        + std::to_string(res.cells.size()));
  uint64_t reps = s.replicates;
  if (auto i = m.find("replicates"); i != m.end()) {
    if (!i->is_number_unsigned() || i->get<uint64_t>() == 0)
      return make_error(errc::malformed_input,
                        where
                          + ": field 'replicates' must be a positive "
                            "integer");
    reps = i->get<uint64_t>();
  }
  if (!s.seeds.empty() && reps != s.seeds.size())
    return make_error(errc::malformed_input,
                      where + ": replicates " + std::to_string(reps)
                        + " differ from the scenario's "
                        + std::to_string(s.seeds.size()) + " seeds");
  auto agents = participant_ids(s).size();
  baselines out;
  out.round0.resize(res.cells.size());
  out.equal_calls.resize(res.cells.size());
  out.budget_rounds.assign(res.cells.size(), 0);
  // Two sweeps per cell, all on the same threads.
  auto runtime = make_runtime_for(threads);
  for (uint64_t c = 0; c < res.cells.size(); ++c) {
    if (!res.cells[c].present)
      continue;
    auto cell = resolve_cell(s, c);
    if (!cell)
      return std::move(cell.error());
    std::vector<rng::seed> seeds(reps);
    for (uint64_t r = 0; r < reps; ++r)
      seeds[r] = run_seed(s, c, r);
    auto budget = equal_call_rounds(res.cells[c].calls.value, agents);
    out.budget_rounds[c] = budget;
    for (int which = 0; which < 2; ++which) {
      cell_summary acc;
      auto b = vote_baseline(*cell, which == 0 ? 0 : budget);
      if (auto err = run_with_seeds(
            b, seeds, engine, threads,
            [&](const run_metrics& x) { acc.add(x); }, runtime))
        return err;
      auto& dst = which == 0 ? out.round0[c] : out.equal_calls[c];
      dst = to_cell_result(acc);
      dst.cell = c;
      dst.coords = res.cells[c].coords;
      dst.label = res.cells[c].label;
    }
  }
  return out;
}

} // namespace caf::consensus::sim

// caf-consensus benchmarks, part 4b: what synthetic agents cost per run when
// they answer token sets (the simulator's default) against texts the policy
// then tokenizes (what `consensus-sim record` uses).
//
// - sim_run/<scenario>/<policy>/<form>: inline runs of cell 0 of a worked
//   scenario (replicates 0, 1, ... in turn), form `words` (the cell as
//   `resolve_cell` makes it) or `text` (the same cell with `world.words`
//   cleared). Items are runs. Before timing, each variant checks that its
//   first 50 runs give the same result rows (`to_csv`) in both forms and
//   reports an error otherwise.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/engine/seeds.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"

using namespace caf::consensus;

namespace {

caf::expected<sim::scenario> cell_of(const std::string& file,
                                     const std::string& policy) {
  auto sc
    = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS} + "/" + file);
  if (!sc)
    return std::move(sc.error());
  auto cell = sim::resolve_cell(*sc, 0);
  if (cell)
    cell->ps.policy = policy;
  return cell;
}

std::string rows(const sim::scenario& cell, uint64_t n) {
  std::string out;
  for (uint64_t rep = 0; rep < n; ++rep) {
    auto seed = sim::run_seed(cell, 0, rep);
    auto st = sim::run_inline(cell, seed);
    if (!st)
      return "error: " + render(st.error());
    out += sim::to_csv(sim::measure(cell, 0, rep, seed, *st, false)) + "\n";
  }
  return out;
}

void sim_run(benchmark::State& st, std::string file, std::string policy,
             bool words) {
  auto fast = cell_of(file, policy);
  if (!fast) {
    st.SkipWithError(render(fast.error()).c_str());
    return;
  }
  auto slow = *fast;
  slow.world.words = nullptr;
  if (rows(*fast, 50) != rows(slow, 50)) {
    st.SkipWithError("the two answer forms gave different results");
    return;
  }
  auto& cell = words ? *fast : slow;
  uint64_t rep = 0;
  for (auto _ : st) {
    auto out = sim::run_inline(cell, sim::run_seed(cell, 0, rep++));
    if (!out) {
      st.SkipWithError(render(out.error()).c_str());
      return;
    }
    benchmark::DoNotOptimize(out);
  }
  st.SetItemsProcessed(st.iterations());
}

int register_answers() {
  struct row {
    const char* file;
    const char* name;
  };
  for (auto [file, name] : {row{"quickstart.yaml", "quickstart"},
                            row{"convergence-k.yaml", "convergence-k"}})
    for (auto policy : {"metastable", "hanzo", "vote"})
      for (bool words : {false, true})
        benchmark::RegisterBenchmark(
          (std::string{"sim_run/"} + name + "/" + policy + "/"
           + (words ? "words" : "text"))
            .c_str(),
          sim_run, std::string{file}, std::string{policy}, words)
          ->UseRealTime()
          ->Unit(benchmark::kMicrosecond);
  return 0;
}

[[maybe_unused]] int answers_registered = register_answers();

} // namespace

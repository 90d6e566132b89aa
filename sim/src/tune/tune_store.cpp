// caf-consensus sim: the runs of a `tune` race in the results store.

#include "caf/consensus/sim/tune/internal/tune_store.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim::tune_internal {

expected<std::unique_ptr<results_store>>
attach_store(const scenario& s, const tune_options& opts,
             const tune_result& out, racer& race) {
  // The grid as the store sees it: every cell x max_replicates (replicate i
  // runs with seed derive(seed, {i}); the manifest records the seed).
  auto x = s;
  x.seeds.clear();
  x.replicates = out.max_replicates;
  nlohmann::json manifest{{"tune",
                           {{"seed", out.seed},
                            {"max_replicates", out.max_replicates},
                            {"objective", out.objective.text}}}};
  std::unique_ptr<results_store> st;
  if (opts.resume) {
    auto r = results_store::resume(opts.store_dir, x, false);
    if (!r)
      return std::move(r.error());
    auto stored = r->manifest();
    auto tune = stored.find("tune");
    if (tune == stored.end() || !tune->is_object())
      return make_error(errc::malformed_input,
                        r->path()
                          + ": not the store of a tune (no 'tune' in "
                            "its manifest)");
    auto seed = tune->value("seed", uint64_t{0});
    if (seed != out.seed)
      return make_error(errc::invalid_params,
                        r->path() + ": the stored tune ran with seed "
                          + std::to_string(seed) + ", this one asks for "
                          + std::to_string(out.seed)
                          + " (give the same --seed)");
    auto err = r->for_each([&race](const run_metrics& m) {
      race.preload(m.cell, m.replicate, point_of(m));
    });
    if (err)
      return err;
    st = std::make_unique<results_store>(std::move(*r));
  } else {
    auto r = results_store::create(opts.store_dir, x, opts.scenario_text, false,
                                   manifest);
    if (!r)
      return std::move(r.error());
    st = std::make_unique<results_store>(std::move(*r));
  }
  auto* ptr = st.get();
  race.on_batch([ptr](const std::vector<run_metrics>& batch) {
    return ptr->insert(batch);
  });
  return st;
}

} // namespace caf::consensus::sim::tune_internal

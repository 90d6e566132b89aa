// caf-consensus sim: the runs of a race in the results store, so that a
// killed `tune` resumes where it stopped.

#pragma once

#include <memory>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/tune/internal/racer.hpp"
#include "caf/consensus/sim/tune/tune_options.hpp"

namespace caf::consensus::sim::tune_internal {

/// Creates (or, with `opts.resume`, opens) the store of the race of `s` in
/// `opts.store_dir`, gives `race` every stored run and makes it store every
/// new batch. The store's grid is `s` with `max_replicates` replicates, run
/// i seeded derive(seed, {i}); its manifest records the tune's seed and
/// objective, and a resume refuses another scenario, seed or
/// max_replicates, naming what differs.
expected<std::unique_ptr<results_store>>
attach_store(const scenario& s, const tune_options& opts,
             const tune_result& out, racer& race);

} // namespace caf::consensus::sim::tune_internal

// How a sweep is cut into batches: guided sizes by default (large first,
// small at the end), a fixed size when the caller sets one; every run once,
// and the same results whatever the cut.

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "caf/error.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/dispatch_setup.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;

namespace {

sim::scenario quickstart(uint64_t replicates) {
  auto sc = sim::load_scenario(std::string{CAF_CONSENSUS_SCENARIOS}
                               + "/quickstart.yaml");
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

/// The batches of a sweep as run-index ranges, in canonical order; fails the
/// test unless each batch is a run of consecutive indexes.
std::vector<std::pair<uint64_t, size_t>>
batches_of(const sim::scenario& sc, size_t threads, size_t batch_size) {
  std::mutex mtx;
  std::vector<std::pair<uint64_t, size_t>> out;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = threads;
  opts.batch_size = batch_size;
  opts.on_batch = [&](const std::vector<sim::run_metrics>& ms) -> caf::error {
    std::vector<uint64_t> idx;
    for (auto& m : ms)
      idx.push_back(m.cell * sc.replicates + m.replicate);
    std::sort(idx.begin(), idx.end());
    for (size_t i = 1; i < idx.size(); ++i)
      EXPECT_EQ(idx[i], idx[0] + i) << "batch not contiguous";
    std::lock_guard<std::mutex> guard{mtx};
    out.emplace_back(idx.front(), idx.size());
    return caf::error{};
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  std::sort(out.begin(), out.end());
  return out;
}

std::string csv_of(const sim::scenario& sc, size_t threads, size_t batch) {
  std::string out;
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = threads;
  opts.batch_size = batch;
  opts.on_run = [&](const sim::run_metrics& m) {
    out += sim::to_csv(m) + "\n";
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  return out;
}

} // namespace

TEST(sweep_batches, guided_sizes_are_a_share_of_the_remaining_runs) {
  // Half of a thread's share of the remaining runs (two slots per thread).
  EXPECT_EQ(sim::guided_batch_size(800, 4, 256), 200u);
  EXPECT_EQ(sim::guided_batch_size(1600, 4, 256), 256u);
  EXPECT_EQ(sim::guided_batch_size(1600, 2, 256), 256u);
  EXPECT_EQ(sim::guided_batch_size(100, 4, 256), 25u);
  // Never fewer than 8 runs, unless the limit is smaller; never more than it.
  EXPECT_EQ(sim::guided_batch_size(30, 4, 256), 8u);
  EXPECT_EQ(sim::guided_batch_size(35, 4, 256), 8u);
  EXPECT_EQ(sim::guided_batch_size(3, 4, 256), 8u);
  EXPECT_EQ(sim::guided_batch_size(1000, 4, 5), 5u);
  EXPECT_EQ(sim::guided_batch_size(0, 4, 5), 5u);
  // No ready slot or a zero limit do not divide by zero or cut empty batches.
  EXPECT_EQ(sim::guided_batch_size(1600, 0, 256), 256u);
  EXPECT_EQ(sim::guided_batch_size(1600, 4, 0), 1u);
}

TEST(sweep_batches, automatic_batches_shrink_towards_the_end) {
  auto sc = quickstart(250); // 4 cells: 1,000 runs
  auto bs = batches_of(sc, 2, 0);
  uint64_t next = 0;
  for (auto [first, size] : bs) {
    EXPECT_EQ(first, next);
    next += size;
  }
  EXPECT_EQ(next, 1000u);
  // Two threads, four slots: the first batch is 1,000 / 4 runs, the sizes
  // never grow, and only the last batch is below the minimum of 8.
  ASSERT_GE(bs.size(), 3u);
  EXPECT_EQ(bs.front().second, 250u);
  for (size_t i = 1; i < bs.size(); ++i)
    EXPECT_LE(bs[i].second, bs[i - 1].second) << "batch " << i;
  for (size_t i = 0; i + 1 < bs.size(); ++i)
    EXPECT_GE(bs[i].second, sim::min_guided_batch) << "batch " << i;
  EXPECT_LE(bs.back().second, sim::min_guided_batch);
  // Fewer messages than a fixed size of total / 64 (the former default).
  EXPECT_LT(bs.size(), 64u);
}

TEST(sweep_batches,
     a_given_batch_size_is_kept_and_results_do_not_depend_on_it) {
  auto sc = quickstart(25); // 100 runs
  auto bs = batches_of(sc, 2, 7);
  ASSERT_EQ(bs.size(), 15u);
  for (size_t i = 0; i + 1 < bs.size(); ++i)
    EXPECT_EQ(bs[i].second, 7u);
  EXPECT_EQ(bs.back().second, 2u);
  auto ref = csv_of(sc, 1, 1);
  EXPECT_EQ(ref, csv_of(sc, 2, 0));
  EXPECT_EQ(ref, csv_of(sc, 2, 7));
  EXPECT_EQ(ref, csv_of(sc, 1, 0));
}

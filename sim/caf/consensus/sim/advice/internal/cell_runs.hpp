// caf-consensus sim (private to advice/): the runs of one sweep cell as the
// advice keeps them (one point per run, in run-seed order, so that two cells
// pair run by run), and the metrics read from them.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/sim/advice/advice_report.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim::advice_detail {

/// What a run contributes to the paired effects.
struct run_point {
  bool finalized = false;
  bool correct = false;
  bool all_decided = false;
  double rounds = 0;
  double latency_s = 0;
  double calls = 0;
  double agreement = 0;
  double score = 0;
};

struct cell_runs {
  std::string value;
  std::vector<run_point> runs;
  cell_summary sum;
  mean_acc agreement;
};

struct sweep_runs {
  advice_sweep meta;
  std::vector<cell_runs> cells;

  const cell_runs* find(const std::string& value) const {
    for (auto& c : cells)
      if (c.value == value)
        return &c;
    return nullptr;
  }
};

enum class metric : uint8_t {
  finalize,
  accuracy,
  rounds,
  latency,
  calls,
  agreement,
};

/// Returns the metric's name in notes (`rounds executed`, ...).
std::string metric_name(metric m);

/// Returns the metric of every run of `c`, in run order.
std::vector<double> values(const cell_runs& c, metric m);

/// Returns the mean of the metric over the runs of `c` (0 without runs).
double mean_of(const cell_runs& c, metric m);

/// Minimal relevant effect of a metric (see docs/advice.md).
double delta_of(metric m, const cell_runs& from);

} // namespace caf::consensus::sim::advice_detail

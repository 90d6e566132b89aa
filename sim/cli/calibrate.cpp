// consensus-sim calibrate: fit a map from winner confidence to the
// probability of being right on one results store, or apply one.

#include <iostream>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/calibration.hpp"
#include "caf/consensus/sim/store/output_file.hpp"
#include "caf/consensus/sim/store/run_export.hpp"
#include "caf/consensus/sim/store/store.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "cli/options.hpp"
#include "cli/sweep_table.hpp"

namespace caf::consensus::cli {

namespace {

constexpr const char* cmd = "consensus-sim calibrate";

struct cell_pairs {
  std::string policy;
  std::vector<std::pair<double, bool>> points;
};

void print_cells(const std::map<uint64_t, cell_pairs>& cells,
                 const sim::calibration_map& map) {
  std::cout << "cell  policy      runs    ECE raw  ECE mapped  Brier raw  "
               "Brier mapped\n";
  for (auto& [cell, x] : cells) {
    sim::calibration_acc raw;
    sim::calibration_acc mapped;
    for (auto& [c, right] : x.points) {
      raw.add(c, right);
      mapped.add(map.apply(c), right);
    }
    auto r = raw.get();
    auto m = mapped.get();
    auto col = [](std::string s, size_t w) {
      return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
    };
    std::cout << col(std::to_string(cell), 6) << col(x.policy, 12)
              << col(std::to_string(r.n), 8) << col(fmt(r.ece, 4), 9)
              << col(fmt(m.ece, 4), 12) << col(fmt(r.brier, 4), 11)
              << fmt(m.brier, 4) << '\n';
  }
}

} // namespace

int calibrate(const args& xs) {
  po::options_description desc{"options"};
  std::string dir;
  std::string out;
  std::string apply;
  int64_t cell = -1;
  desc.add_options()("help,h", "show this help")(
    "dir", po::value(&dir)->required(),
    "results directory (written by 'consensus-sim run FILE --out DIR')")(
    "cell", po::value(&cell),
    "use the runs of this sweep cell only (default: every cell)")(
    "out,o", po::value(&out),
    "write the fitted map to this file (default: print it)")(
    "apply", po::value(&apply),
    "apply the map in this file instead of fitting one");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (auto rc = parse(
        "calibrate", xs, desc, pos, vm,
        "DIR [--cell N] [--out MAP.json]\n"
        "       consensus-sim calibrate DIR --apply MAP.json [--cell N]\n\n"
        "Fits a calibration map on the runs stored in DIR: isotonic "
        "regression of\n'the winner is right' on the winner's confidence, "
        "so that a confidence maps\nto the probability of being right in "
        "this population. With --apply, maps\nthe confidences of DIR's runs "
        "with a map fitted elsewhere and shows the\ncalibration error (ECE, "
        "Brier score) per cell before and after."))
    return *rc;
  if (!apply.empty() && !out.empty()) {
    std::cerr << cmd << ": --out and --apply do not go together\n";
    return 2;
  }
  if (vm.count("cell") > 0 && cell < 0) {
    std::cerr << cmd << ": --cell must be >= 0, got " << cell << '\n';
    return 2;
  }
  auto store = sim::results_store::open(dir);
  if (!store) {
    std::cerr << cmd << ": " << sim::render_sweep_error(store.error()) << '\n';
    return 1;
  }
  auto sc = store->load_scenario();
  if (!sc) {
    std::cerr << cmd << ": " << sim::render_sweep_error(sc.error()) << '\n';
    return 1;
  }
  if (sc->world.ground_truth.empty()) {
    std::cerr << cmd << ": " << dir
              << " has no ground truth (the scenario names no "
                 "'ground_truth'), so no run is right or wrong\n";
    return 1;
  }
  auto cells_total = sim::cell_count(*sc);
  if (cell >= 0 && static_cast<uint64_t>(cell) >= cells_total) {
    std::cerr << cmd << ": --cell " << cell << " is not a cell of " << dir
              << " (cells 0.." << cells_total - 1 << ")\n";
    return 2;
  }
  std::map<uint64_t, cell_pairs> cells;
  auto n = sim::export_runs(*store, "", [&](const sim::run_metrics& m) {
    if (cell >= 0 && m.cell != static_cast<uint64_t>(cell))
      return;
    auto& x = cells[m.cell];
    x.policy = m.policy;
    x.points.emplace_back(m.winner_confidence, m.winner_correct);
  });
  if (!n) {
    std::cerr << cmd << ": " << sim::render_sweep_error(n.error()) << '\n';
    return 1;
  }
  if (cells.empty()) {
    std::cerr << cmd << ": no runs stored in " << dir << '\n';
    return 1;
  }
  if (!apply.empty()) {
    auto map = sim::load_calibration_map(apply);
    if (!map) {
      std::cerr << cmd << ": " << render(map.error()) << '\n';
      return 1;
    }
    print_cells(cells, *map);
    return 0;
  }
  std::vector<std::pair<double, bool>> all;
  std::string policy;
  for (auto& [c, x] : cells) {
    all.insert(all.end(), x.points.begin(), x.points.end());
    policy = policy.empty() || policy == x.policy ? x.policy : "mixed";
  }
  auto map = sim::fit_calibration(std::move(all));
  if (!map) {
    std::cerr << cmd << ": " << render(map.error()) << '\n';
    return 1;
  }
  map->policy = policy;
  auto text = sim::to_json(*map).dump(2) + "\n";
  if (out.empty()) {
    std::cout << text;
    return 0;
  }
  auto f = sim::output_file::open(out, {store->path()});
  if (!f) {
    std::cerr << cmd << ": " << render(f.error()) << '\n';
    return 1;
  }
  f->stream() << text;
  if (auto err = f->commit()) {
    std::cerr << cmd << ": " << render(err) << '\n';
    return 1;
  }
  std::cerr << "calibration map of " << map->runs << " runs ("
            << map->confidence.size() << " steps) written to " << out
            << "; in-sample:\n";
  print_cells(cells, *map);
  return 0;
}

} // namespace caf::consensus::cli

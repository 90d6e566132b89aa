// caf-consensus sim: how a policy's winner confidence relates to being right
// (reliability table, expected calibration error, Brier score) and a fitted
// calibration map that turns confidences into probabilities.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "caf/expected.hpp"

#include "caf/consensus/sim/report/intervals.hpp"

namespace caf::consensus::sim {

/// One bin of a reliability table: runs whose winner confidence lies in
/// [lo, hi) (the last bin includes 1).
struct reliability_bin {
  double lo = 0;
  double hi = 0;
  /// Mean winner confidence of the bin's runs (0 when empty).
  double mean_confidence = 0;
  /// Share of the bin's runs whose winner is right, with its Wilson interval.
  rate accuracy;
};

/// A reliability table over 10 equal bins of [0, 1].
struct calibration {
  std::vector<reliability_bin> bins;
  uint64_t n = 0;
  /// Expected calibration error: sum over bins of (n_b / n) * |accuracy_b -
  /// mean_confidence_b|.
  double ece = 0;
  /// Brier score: mean of (confidence - correct)^2.
  double brier = 0;
};

/// Accumulates (confidence, correct) pairs. Confidences are clamped to
/// [0, 1]; NaN counts as 0.
class calibration_acc {
public:
  static constexpr size_t bins = 10;

  void add(double confidence, bool correct);

  calibration get() const;

private:
  uint64_t n_[bins] = {};
  uint64_t hits_[bins] = {};
  double sum_[bins] = {};
  double brier_ = 0;
  uint64_t total_ = 0;
};

/// Returns `x` as JSON: {"n", "ece", "brier", "bins": [{"lo", "hi",
/// "mean_confidence", "accuracy": {value, lo, hi, hits, n}}]}.
nlohmann::json to_json(const calibration& x);

/// A monotone map from confidence to probability of being right, fitted by
/// isotonic regression (pool adjacent violators) on (confidence, correct)
/// pairs. `confidence[i]` ascending, `probability[i]` non-decreasing; a
/// confidence between two knots is interpolated linearly, outside them the
/// nearest knot's probability is used.
struct calibration_map {
  std::string policy;
  uint64_t runs = 0;
  std::vector<double> confidence;
  std::vector<double> probability;

  /// Returns the probability of being right for `confidence`.
  double apply(double confidence) const;
};

/// Fits a calibration map on pairs (confidence, correct). Needs at least
/// one pair.
expected<calibration_map>
fit_calibration(std::vector<std::pair<double, bool>> points);

/// Returns `x` as JSON ({"format": "caf-consensus calibration map",
/// "version": 1, "policy", "runs", "confidence": [...], "probability":
/// [...]}).
nlohmann::json to_json(const calibration_map& x);

/// Reads a calibration map; `where` names the source in errors.
expected<calibration_map> calibration_map_from_json(const nlohmann::json& x,
                                                    const std::string& where);

/// Reads a calibration map from the file `path` (at most 16 MiB of JSON).
/// Errors name the file and what is wrong with it.
expected<calibration_map> load_calibration_map(const std::string& path);

} // namespace caf::consensus::sim

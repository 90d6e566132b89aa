// caf-consensus sim: numbers of Snow studies as text, shared by the `snow`
// command and the Snow verdicts of `advice`.

#pragma once

#include <string>

#include "caf/consensus/sim/snow/study.hpp"

namespace caf::consensus::sim::snow {

/// Returns `x` with `digits` digits after the point (`%.*f`).
std::string fixed(double x, int digits);

/// Returns `x` with two significant digits (`%.2g`), for small rates.
std::string sci(double x);

/// Returns `MEAN [LOW, HIGH]`, each with `digits` digits after the point.
std::string mean_text(const mean_ci& m, int digits);

} // namespace caf::consensus::sim::snow

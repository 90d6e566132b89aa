// caf-consensus sim (private to advice/): how the advice outputs and notes
// print numbers, effects and rates.

#pragma once

#include <string>

#include "caf/consensus/sim/advice/effect.hpp"
#include "caf/consensus/sim/report/summary.hpp"

namespace caf::consensus::sim::advice_detail {

/// Returns `x` with `prec` decimals (`-` when not finite), with a leading `+`
/// when `sign` and `x >= 0`; a value that rounds to zero has no minus sign.
std::string format_num(double x, int prec, bool sign = false);

/// Returns `+value [+lo, +hi]` with `prec` decimals, or `n/a`.
std::string effect_text(const effect& e, int prec);

/// Returns the decimals an effect on `what` prints with (2 for latency,
/// calls and rounds, 3 otherwise).
int precision_of(const std::string& what);

/// Returns `value [lo, hi]`, or `-` for a rate of no runs.
std::string rate_text(const rate& r);

} // namespace caf::consensus::sim::advice_detail

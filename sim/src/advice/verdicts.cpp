#include "caf/consensus/sim/advice/internal/verdicts.hpp"

#include <vector>

#include "caf/consensus/rng/rng64.hpp"
#include "caf/consensus/sim/advice/internal/format.hpp"

namespace caf::consensus::sim::advice_detail {

effect paired(const cell_runs& from, const cell_runs& to, metric m) {
  return paired_difference(values(from, m), values(to, m));
}

effect safety(const cell_runs& from, const cell_runs& to, uint64_t seed) {
  std::vector<double> na;
  std::vector<double> da;
  std::vector<double> nb;
  std::vector<double> db;
  for (auto& r : from.runs) {
    na.push_back(r.finalized && r.correct ? 1 : 0);
    da.push_back(r.finalized ? 1 : 0);
  }
  for (auto& r : to.runs) {
    nb.push_back(r.finalized && r.correct ? 1 : 0);
    db.push_back(r.finalized ? 1 : 0);
  }
  return paired_ratio_difference(na, da, nb, db, rng::derive(seed, {0xb007}));
}

condition_outcome directional(const std::string& condition,
                              const cell_runs& from, const cell_runs& to,
                              metric m, direction d, const std::string& what) {
  condition_outcome out;
  out.condition = condition;
  auto e = paired(from, to, m);
  auto delta = delta_of(m, from);
  out.v = classify(e, d, delta);
  out.effects.emplace_back(what, e);
  out.note = note_for(out.v, e, d, delta, metric_name(m));
  return out;
}

std::string note_for(verdict v, const effect& e, direction d, double delta,
                     const std::string& name) {
  auto s = static_cast<double>(static_cast<int>(d));
  auto lo = s > 0 ? e.lo : -e.hi;
  auto hi = s > 0 ? e.hi : -e.lo;
  switch (v) {
    case verdict::holds:
      return "";
    case verdict::does_not_hold:
      if (hi < 0)
        return "the effect goes the other way";
      if (lo > 0)
        return "real but negligible: less than " + format_num(delta, 3) + " "
               + name;
      return "no effect of " + format_num(delta, 3) + " " + name
             + " or more in the claimed direction";
    case verdict::inconclusive:
      return "the interval is too wide to tell; run more replicates";
    case verdict::not_testable:
      return "cannot be measured here";
    default:
      return "";
  }
}

claim_outcome finish(claim_outcome c) {
  std::vector<verdict> vs;
  for (auto& x : c.conditions)
    vs.push_back(x.v);
  c.v = combine(vs);
  if (c.v == verdict::holds_only_when) {
    std::string when;
    for (auto& x : c.conditions)
      if (x.v == verdict::holds)
        when += (when.empty() ? "" : " or ") + x.condition;
    c.summary = "holds only when " + when;
  } else {
    c.summary = to_string(c.v);
    if (c.conditions.size() == 1 && !c.conditions[0].note.empty())
      c.summary += " (" + c.conditions[0].note + ")";
  }
  return c;
}

} // namespace caf::consensus::sim::advice_detail

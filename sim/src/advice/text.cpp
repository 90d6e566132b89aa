// The verdicts as the plain-text table `consensus-sim advice` prints.

#include <cctype>
#include <sstream>

#include "caf/consensus/sim/advice/internal/format.hpp"
#include "caf/consensus/sim/advice/output.hpp"

namespace caf::consensus::sim {

using advice_detail::effect_text;
using advice_detail::format_num;
using advice_detail::precision_of;
using advice_detail::rate_text;

namespace {

std::string upper(std::string x) {
  for (auto& c : x)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return x;
}

} // namespace

std::string advice_text(const advice_report& rep) {
  std::ostringstream os;
  os << "population " << rep.population_name << " (" << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "), " << rep.replicates
     << " runs per cell, seed " << rep.seed << "\n";
  std::string policy;
  for (auto& c : rep.claims) {
    if (c.policy != policy) {
      policy = c.policy;
      os << "\n== " << policy << " ==\n";
    }
    os << c.claim << "\n  -> " << upper(to_string(c.v));
    if (c.v == verdict::holds_only_when)
      os << ": " << c.summary.substr(std::string{"holds only when "}.size());
    os << "\n";
    for (auto& cond : c.conditions) {
      os << "     " << cond.condition << ": " << to_string(cond.v);
      if (!cond.note.empty())
        os << " (" << cond.note << ")";
      os << "\n";
      for (auto& [what, e] : cond.effects)
        os << "       " << what << ": " << effect_text(e, precision_of(what))
           << "\n";
    }
  }
  if (!rep.baselines.empty()) {
    os << "\n== baselines: vote at the same run seeds (default parameters) "
          "==\n";
    for (auto& b : rep.baselines) {
      os << b.policy << ": accuracy " << rate_text(b.accuracy) << " at "
         << format_num(b.calls.value, 1) << " calls\n"
         << "     vs vote after round 0 (" << format_num(b.vote0_calls.value, 1)
         << " calls, accuracy " << rate_text(b.vote0_accuracy)
         << "): " << effect_text(b.vs_vote0, 3) << "\n"
         << "     vs vote at equal calls (" << b.budget_rounds << " rounds, "
         << format_num(b.budget_calls.value, 1) << " calls, accuracy "
         << rate_text(b.budget_accuracy) << "): " << effect_text(b.vs_budget, 3)
         << "\n";
    }
  }
  os << "\n"
     << rep.runs << " runs in " << format_num(rep.seconds, 1) << " s.\n";
  return os.str();
}

} // namespace caf::consensus::sim

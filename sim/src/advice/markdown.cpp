// The verdicts and baselines as Markdown (`advice.md`).

#include <sstream>

#include "caf/consensus/sim/advice/internal/format.hpp"
#include "caf/consensus/sim/advice/output.hpp"

namespace caf::consensus::sim {

using advice_detail::effect_text;
using advice_detail::format_num;
using advice_detail::precision_of;
using advice_detail::rate_text;

namespace {

std::string md_escape(const std::string& x) {
  std::string out;
  for (auto c : x) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

} // namespace

std::string advice_markdown(const advice_report& rep,
                            const std::string& command) {
  std::ostringstream os;
  os << "Produced by:\n\n```sh\n"
     << command << "\n```\n\n"
     << "Population: `" << rep.population_name << "` (" << rep.agents
     << " agents, mean first-answer accuracy "
     << format_num(rep.mean_accuracy, 3) << "); " << rep.replicates
     << " runs per cell with shared run seeds (base seed " << rep.seed << "); "
     << rep.runs << " runs in " << format_num(rep.seconds, 1) << " s.\n\n";
  os << "| policy | claim | verdict | condition | effect [95% CI] | in this "
        "condition |\n|---|---|---|---|---|---|\n";
  for (auto& c : rep.claims) {
    bool first = true;
    for (auto& cond : c.conditions) {
      std::string effects;
      for (auto& [what, e] : cond.effects)
        effects += (effects.empty() ? "" : "<br>") + what + ": "
                   + effect_text(e, precision_of(what));
      os << "| " << (first ? c.policy : "") << " | "
         << (first ? md_escape(c.claim) : "") << " | "
         << (first ? "**" + md_escape(c.summary) + "**" : "") << " | "
         << md_escape(cond.condition) << " | " << md_escape(effects) << " | "
         << to_string(cond.v)
         << (cond.note.empty() ? "" : " (" + md_escape(cond.note) + ")")
         << " |\n";
      first = false;
    }
  }
  if (!rep.baselines.empty()) {
    os << "\nBaselines (default parameters, same run seeds): accuracy of "
          "each policy minus the accuracy of `vote`.\n\n"
          "| policy | calls | accuracy | vote after round 0 | difference | "
          "vote at equal calls | difference |\n|---|---|---|---|---|---|---|"
          "\n";
    for (auto& b : rep.baselines)
      os << "| " << b.policy << " | " << format_num(b.calls.value, 1) << " | "
         << rate_text(b.accuracy) << " | " << rate_text(b.vote0_accuracy)
         << " (" << format_num(b.vote0_calls.value, 1) << " calls) | "
         << effect_text(b.vs_vote0, 3) << " | " << rate_text(b.budget_accuracy)
         << " (" << b.budget_rounds << " rounds, "
         << format_num(b.budget_calls.value, 1) << " calls) | "
         << effect_text(b.vs_budget, 3) << " |\n";
  }
  return os.str();
}

} // namespace caf::consensus::sim

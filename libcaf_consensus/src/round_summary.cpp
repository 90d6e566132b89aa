// caf-consensus: per-round numbers of a run, from its state.

#include "caf/consensus/round_summary.hpp"

#include <algorithm>
#include <unordered_map>

namespace caf::consensus {

round_summary summarize_round(const state& st, int32_t round,
                              const std::string& reference,
                              const std::string& truth) {
  round_summary out;
  out.round = round;
  std::unordered_map<std::string_view, uint32_t> counts;
  for (auto& rs : st.responses) {
    // One response per round and participant, in round order.
    auto i = std::find_if(rs.begin(), rs.end(), [round](const response& r) {
      return r.round == round;
    });
    if (i == rs.end())
      continue;
    ++out.calls;
    if (!i->ok) {
      ++out.failures;
      continue;
    }
    ++out.live;
    if (!reference.empty() && i->label == reference)
      ++out.with_reference;
    if (!truth.empty() && i->label == truth)
      ++out.with_truth;
    // An answer without a choice key holds no position to count.
    if (!i->label.empty())
      out.with_plurality = std::max(out.with_plurality, ++counts[i->label]);
  }
  auto t
    = std::find_if(st.trace.begin(), st.trace.end(),
                   [round](const round_trace& x) { return x.round == round; });
  if (t != st.trace.end() && !t->confidence.empty()) {
    double sum = 0;
    double top = t->confidence.front();
    for (auto c : t->confidence) {
      sum += c;
      top = std::max(top, c);
    }
    out.mean_confidence = sum / static_cast<double>(t->confidence.size());
    out.max_confidence = top;
  }
  if (!st.decided_round.empty()) {
    out.decided = 0;
    for (auto d : st.decided_round)
      if (d >= 0 && d <= round)
        ++out.decided;
  }
  out.stopped = round == st.rounds_executed
                && (st.stop == stop_reason::beta_1
                    || st.stop == stop_reason::all_decided
                    || st.stop == stop_reason::unanimity);
  return out;
}

std::vector<round_summary> summarize_rounds(const state& st,
                                            const std::string& truth) {
  std::vector<round_summary> out;
  out.reserve(static_cast<size_t>(std::max(st.rounds_executed, 0)) + 1);
  for (int32_t r = 0; r <= st.rounds_executed; ++r)
    out.push_back(summarize_round(st, r, st.winner_label, truth));
  return out;
}

} // namespace caf::consensus

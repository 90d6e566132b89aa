// caf-consensus: per-round numbers of a run, from its state.

#include "caf/consensus/round_summary.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "caf/consensus/detail/plurality.hpp"

namespace caf::consensus {

namespace {

/// Answers per choice key in one round; the keys are the state's labels.
using key_counts = detail::basic_plurality<std::string_view>;

/// Fills `out` from the round's responses (`row[i]`: participant i's
/// response in this round, or null) and its trace (`t`, or null).
void summarize(const state& st, const std::vector<const response*>& row,
               const round_trace* t, const std::string& reference,
               const std::string& truth, key_counts& counts,
               round_summary& out) {
  counts.clear();
  for (auto* r : row) {
    if (r == nullptr)
      continue;
    ++out.calls;
    if (!r->ok) {
      ++out.failures;
      continue;
    }
    ++out.live;
    if (!reference.empty() && r->label == reference)
      ++out.with_reference;
    if (!truth.empty() && r->label == truth)
      ++out.with_truth;
    // An answer without a choice key holds no position to count.
    if (!r->label.empty())
      out.with_plurality
        = std::max(out.with_plurality,
                   static_cast<uint32_t>(counts.votes(counts.add(r->label))));
  }
  if (t != nullptr && !t->confidence.empty()) {
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
      if (d >= 0 && d <= out.round)
        ++out.decided;
  }
  out.stopped = out.round == st.rounds_executed
                && (st.stop == stop_reason::beta_1
                    || st.stop == stop_reason::all_decided
                    || st.stop == stop_reason::unanimity);
}

} // namespace

round_summary summarize_round(const state& st, int32_t round,
                              const std::string& reference,
                              const std::string& truth) {
  round_summary out;
  out.round = round;
  std::vector<const response*> row(st.responses.size(), nullptr);
  for (size_t i = 0; i < st.responses.size(); ++i) {
    auto& rs = st.responses[i];
    auto j = std::find_if(rs.begin(), rs.end(), [round](const response& r) {
      return r.round == round;
    });
    if (j != rs.end())
      row[i] = &*j;
  }
  auto t
    = std::find_if(st.trace.begin(), st.trace.end(),
                   [round](const round_trace& x) { return x.round == round; });
  key_counts counts;
  summarize(st, row, t != st.trace.end() ? &*t : nullptr, reference, truth,
            counts, out);
  return out;
}

std::vector<round_summary> summarize_rounds(const state& st,
                                            const std::string& truth) {
  // One pass: responses and trace entries are in round order, so a cursor
  // per participant (and one for the trace) only moves forward.
  std::vector<round_summary> out;
  out.reserve(static_cast<size_t>(std::max(st.rounds_executed, 0)) + 1);
  std::vector<size_t> cursor(st.responses.size(), 0);
  std::vector<const response*> row(st.responses.size(), nullptr);
  size_t tc = 0;
  key_counts counts;
  for (int32_t r = 0; r <= st.rounds_executed; ++r) {
    for (size_t i = 0; i < st.responses.size(); ++i) {
      auto& rs = st.responses[i];
      auto& c = cursor[i];
      while (c < rs.size() && rs[c].round < r)
        ++c;
      row[i] = c < rs.size() && rs[c].round == r ? &rs[c] : nullptr;
    }
    while (tc < st.trace.size() && st.trace[tc].round < r)
      ++tc;
    auto* t = tc < st.trace.size() && st.trace[tc].round == r ? &st.trace[tc]
                                                              : nullptr;
    round_summary x;
    x.round = r;
    summarize(st, row, t, st.winner_label, truth, counts, x);
    out.push_back(std::move(x));
  }
  return out;
}

} // namespace caf::consensus

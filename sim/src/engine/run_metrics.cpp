// caf-consensus sim: the metrics of a finished run.

#include "caf/consensus/sim/engine/run_metrics.hpp"

#include <algorithm>

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim {

run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, uint64_t seed, const state& st,
                    bool agent_rows) {
  run_metrics m;
  m.cell = cell_index;
  m.replicate = replicate;
  m.seed = seed;
  m.policy = st.policy;
  m.rounds = cell.ps.rounds;
  m.k = cell.ps.k;
  m.alpha = cell.ps.alpha;
  m.beta_1 = cell.ps.beta_1;
  m.beta_2 = cell.ps.beta_2;
  m.rounds_executed = st.rounds_executed;
  m.stop_reason = to_string(st.stop);
  m.finalized = st.finalized;
  m.winner = st.winner;
  m.winner_label = st.winner_label;
  m.winner_correct = !st.winner.empty()
                     && st.winner_label == cell.world.ground_truth;
  auto w = st.index_of(st.winner);
  if (w < st.participants.size()) {
    m.winner_confidence = st.confidence[w];
    m.winner_score = st.scores[w];
  }
  auto n = st.participants.size();
  size_t same = 0;
  for (size_t i = 0; i < n; ++i)
    if (auto r = st.latest_ok(i);
        r != nullptr && !st.winner_label.empty() && r->label == st.winner_label)
      ++same;
  m.agreement = n > 0 ? static_cast<double>(same) / static_cast<double>(n)
                      : 0.0;
  m.unanimity_round = st.unanimity_round;
  m.unanimity_label = st.unanimity_label;
  m.calls = st.calls;
  m.failures = st.failures;
  m.timeouts = st.timeouts;
  m.latency_ms = st.elapsed_ms;
  if (!st.decided_round.empty()) {
    int32_t last = 0;
    for (auto d : st.decided_round) {
      if (d < 0) {
        last = -1;
        break;
      }
      last = std::max(last, d);
    }
    m.polls_to_decide = last;
  }
  if (agent_rows) {
    m.agents.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      agent_row row;
      row.agent = st.participants[i];
      if (auto r = st.latest_ok(i))
        row.final_label = r->label;
      row.confidence = st.confidence[i];
      for (auto& r : st.responses[i]) {
        ++row.calls;
        if (!r.ok)
          ++row.failures;
      }
      if (i < st.decided_round.size() && st.decided_round[i] >= 0) {
        row.decided_round = st.decided_round[i];
        row.decided_label = st.preference[i];
        row.decided_polls = 0;
        for (auto& r : st.responses[i])
          if (r.ok && r.round >= 1 && r.round <= row.decided_round)
            ++row.decided_polls;
      }
      m.agents.push_back(std::move(row));
    }
  }
  return m;
}

} // namespace caf::consensus::sim

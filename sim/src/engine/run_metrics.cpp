// caf-consensus sim: the metrics of a finished run.

#include "caf/consensus/sim/engine/run_metrics.hpp"

#include "caf/consensus/sim/engine/equal_calls.hpp"

#include <algorithm>

#include "caf/consensus/sim/agents/agents.hpp"

namespace caf::consensus::sim {

namespace {

bool live_at_end(const state& st, size_t i) {
  auto& rs = st.responses[i];
  return std::any_of(rs.begin(), rs.end(), [&](const response& r) {
    return r.ok && r.round == st.rounds_executed;
  });
}

/// Refinement round in which the participants in `who` had all decided (-1:
/// one never did, or `who` is empty).
int32_t decided_by(const state& st, const std::vector<size_t>& who) {
  if (who.empty())
    return -1;
  int32_t last = 0;
  for (auto i : who) {
    auto d = i < st.decided_round.size() ? st.decided_round[i] : -1;
    if (d < 0)
      return -1;
    last = std::max(last, d);
  }
  return last;
}

int64_t polls_until(const state& st, const std::vector<size_t>& who,
                    int32_t round) {
  if (round < 0)
    return -1;
  int64_t n = 0;
  for (auto i : who)
    for (auto& r : st.responses[i])
      if (r.round >= 1 && r.round <= round)
        ++n;
  return n;
}

void decision_metrics(const state& st, run_metrics& m) {
  std::vector<size_t> all;
  std::vector<size_t> live;
  for (size_t i = 0; i < st.participants.size(); ++i) {
    all.push_back(i);
    if (live_at_end(st, i))
      live.push_back(i);
  }
  if (!st.decided_round.empty()) {
    // Per-participant decisions (snowball).
    m.rounds_to_decide = decided_by(st, all);
    m.rounds_to_decide_live = decided_by(st, live);
  } else if (st.stop == stop_reason::beta_1
             || st.stop == stop_reason::unanimity) {
    m.rounds_to_decide = st.rounds_executed;
    m.rounds_to_decide_live = live.empty() ? -1 : st.rounds_executed;
  }
  m.polls_to_decide = polls_until(st, all, m.rounds_to_decide);
  m.polls_to_decide_live = polls_until(st, live, m.rounds_to_decide_live);
}

} // namespace

run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, const rng::seed& seed, const state& st,
                    bool agent_rows) {
  return measure(cell, cell_index, replicate, seed, st, agent_rows,
                 make_agents(cell));
}

run_metrics measure(const scenario& cell, uint64_t cell_index,
                    uint64_t replicate, const rng::seed& seed, const state& st,
                    bool agent_rows, const std::vector<agent>& agents) {
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
  m.tokens = st.tokens;
  decision_metrics(st, m);
  m.stopped_early = st.rounds_executed < cell.ps.rounds;
  m.trajectory = summarize_rounds(st, cell.world.ground_truth);
  m.equal_calls_label = equal_calls_label(cell, seed, st, agents);
  m.equal_calls_correct = !m.equal_calls_label.empty()
                          && m.equal_calls_label == cell.world.ground_truth;
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

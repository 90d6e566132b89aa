#include "caf/consensus/connectors/report.hpp"

namespace caf::consensus::connectors {

std::string agreed_answer(const state& st) {
  if (!st.synthesis.empty())
    return st.synthesis;
  auto i = st.index_of(st.winner);
  if (i < st.participants.size())
    if (auto* r = st.latest_ok(i))
      return r->text;
  return {};
}

json state_to_json(const state& st) {
  json parts = json::array();
  for (size_t i = 0; i < st.participants.size(); ++i) {
    json p{{"id", st.participants[i]}};
    if (i < st.confidence.size())
      p["confidence"] = st.confidence[i];
    if (i < st.luminance.size())
      p["luminance"] = st.luminance[i];
    if (i < st.scores.size())
      p["score"] = st.scores[i];
    if (auto* r = st.latest_ok(i))
      p["answer"] = r->text;
    else
      p["answer"] = nullptr;
    json rounds = json::array();
    if (i < st.responses.size()) {
      for (auto& r : st.responses[i]) {
        json x{{"round", r.round}, {"ok", r.ok}, {"ms", r.ms}};
        if (r.ok)
          x["text"] = r.text;
        else
          x["error"] = r.error;
        if (!r.label.empty())
          x["label"] = r.label;
        rounds.push_back(std::move(x));
      }
      if (!st.responses[i].empty() && !st.responses[i].back().ok)
        p["error"] = st.responses[i].back().error;
    }
    p["rounds"] = std::move(rounds);
    parts.push_back(std::move(p));
  }
  return json{{"prompt", st.prompt},
              {"answer", agreed_answer(st)},
              {"winner", st.winner},
              {"finalized", st.finalized},
              {"synthesis", st.synthesis},
              {"policy", st.policy},
              {"stop_reason", to_string(st.stop)},
              {"rounds_executed", st.rounds_executed},
              {"calls", st.calls},
              {"failures", st.failures},
              {"timeouts", st.timeouts},
              {"elapsed_ms", st.elapsed_ms},
              {"tokens", st.tokens},
              {"participants", std::move(parts)}};
}

} // namespace caf::consensus::connectors

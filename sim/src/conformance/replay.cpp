// caf-consensus sim: replaying a conformance case with scripted participants,
// through the real actors or the inline engine, and the record of a replay.

#include "caf/consensus/sim/conformance/conformance.hpp"

#include <memory>
#include <mutex>

#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

namespace {

/// Returns what a scripted participant answers to `req`, recording its prompt.
struct script_log {
  std::mutex mtx;
  std::vector<std::vector<std::string>> prompts; // [round][participant]

  void record(const request& req, size_t n) {
    std::lock_guard<std::mutex> guard{mtx};
    auto r = static_cast<size_t>(req.round);
    if (prompts.size() <= r)
      prompts.resize(r + 1, std::vector<std::string>(n));
    prompts[r][req.index] = req.prompt;
  }
};

result scripted(const conformance_case& c, size_t i, const request& req) {
  auto& xs = c.script[i];
  auto r = static_cast<size_t>(req.round);
  if (r >= xs.size())
    return make_failure(c.participants[i], req.round,
                        "script has no entry for round "
                          + std::to_string(req.round));
  return xs[r];
}

params case_params(const conformance_case& c, const std::string& policy) {
  auto ps = c.ps;
  if (!policy.empty())
    ps.policy = policy;
  return ps;
}

} // namespace

expected<case_run> replay_actors(actor_system& sys, const conformance_case& c,
                                 const std::string& policy) {
  auto log = std::make_shared<script_log>();
  auto n = c.participants.size();
  std::vector<actors::participant_actor> handles;
  for (size_t i = 0; i < n; ++i) {
    auto fn = [&c, i, n, log](const std::string&, const request& req) {
      log->record(req, n);
      return scripted(c, i, req);
    };
    handles.push_back(
      actors::spawn_participant(sys, c.participants[i], fn, false));
  }
  auto coord = actors::spawn_coordinator(sys, c.participants, handles,
                                         case_params(c, policy));
  expected<case_run> out{make_error(errc::execute_failed, "no reply")};
  {
    scoped_actor self{sys};
    self->request(coord, infinite, actors::run_atom::value, c.prompt)
      .receive(
        [&](state& st) {
          case_run run;
          run.st = std::move(st);
          run.prompts = std::move(log->prompts);
          out = std::move(run);
        },
        [&](error& err) { out = std::move(err); });
  }
  anon_send_exit(coord, exit_reason::user_shutdown);
  for (auto& h : handles)
    anon_send_exit(h, exit_reason::user_shutdown);
  return out;
}

expected<case_run> replay_inline(const conformance_case& c,
                                 const std::string& policy) {
  auto eng = engine::make(c.prompt, c.participants, case_params(c, policy));
  if (!eng)
    return std::move(eng.error());
  script_log log;
  auto n = c.participants.size();
  auto st = run_inline(*eng, [&](const request& req) {
    log.record(req, n);
    return scripted(c, req.index, req);
  });
  return case_run{std::move(st), std::move(log.prompts)};
}

json to_json(const conformance_case& c, const case_run& run) {
  auto& st = run.st;
  auto per = [&](const std::vector<double>& xs) {
    json obj = json::object();
    for (size_t i = 0; i < st.participants.size(); ++i)
      obj[st.participants[i]] = i < xs.size() ? xs[i] : 0.0;
    return obj;
  };
  json responses = json::object();
  for (size_t i = 0; i < st.participants.size(); ++i)
    responses[st.participants[i]] = st.texts(i);
  json out = json::object();
  out["name"] = c.name;
  out["policy"] = st.policy;
  out["winner"] = st.winner.empty() ? json(nullptr) : json(st.winner);
  out["winner_label"] = st.winner_label;
  out["finalized"] = st.finalized;
  out["synthesis"] = st.synthesis;
  out["rounds_executed"] = st.rounds_executed;
  out["stop_reason"] = to_string(st.stop);
  out["confidence"] = per(st.confidence);
  out["luminance"] = per(st.luminance);
  out["scores"] = per(st.scores);
  out["responses"] = responses;
  out["calls"] = st.calls;
  out["failures"] = st.failures;
  out["timeouts"] = st.timeouts;
  return out;
}

} // namespace caf::consensus::sim

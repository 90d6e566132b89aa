// caf-consensus sim: the `consensus` tool of `consensus-sim mcp-serve`: its
// schema, argument checks and the run behind each call.

#include "cli/mcp_tool.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "caf/consensus/connectors/agent_spec.hpp"
#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/connectors/run.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "caf/consensus/policy/registry.hpp"

namespace caf::consensus::cli {

using connectors::json;

consensus_service::consensus_service(mesh_config cfg, actor_system& sys,
                                     int max_runs)
  : cfg_(std::move(cfg)), sys_(sys), max_runs_(max_runs) {
  // nop
}

connectors::mcp_tool consensus_service::tool() {
  json ids = json::array();
  for (auto& a : cfg_.agents)
    ids.push_back(connectors::id_of(a));
  json policies = json::array();
  for (auto& name : policy::names())
    policies.push_back(name);
  json schema{
    {"type", "object"},
    {"properties",
     {{"prompt",
       {{"type", "string"}, {"description", "the question to agree on"}}},
      {"participants",
       {{"type", "array"},
        {"items", {{"type", "string"}, {"enum", ids}}},
        {"description", "a subset of the configured agents (default: all)"}}},
      {"rounds", {{"type", "integer"}, {"minimum", 0}}},
      {"k", {{"type", "integer"}, {"minimum", 1}}},
      {"alpha", {{"type", "number"}}},
      {"beta_1", {{"type", "number"}}},
      {"beta_2", {{"type", "number"}}},
      {"policy", {{"type", "string"}, {"enum", policies}}},
      {"seed",
       {{"type", json::array({"integer", "string"})},
        {"description", "an integer of any size (as a decimal string when "
                        "beyond 64 bits)"}}},
      {"timeout_ms",
       {{"type", "integer"},
        {"minimum", 1},
        {"maximum", cfg_.ps.timeout_ms}}}}},
    {"required", json::array({"prompt"})}};
  std::string desc = "Asks the agents ";
  for (size_t i = 0; i < ids.size(); ++i)
    desc += (i > 0 ? ", " : "") + ids[i].get<std::string>();
  desc += " the prompt and runs metastable consensus among them (policy "
          + cfg_.ps.policy + ", " + std::to_string(cfg_.ps.rounds)
          + " rounds by default); returns the agreed answer as text and "
            "the full outcome as structured content.";
  return {"consensus", desc, schema,
          [this](const json& args) { return call(args); }};
}

json consensus_service::call(const json& args) {
  using connectors::text_result;
  auto prompt = args.find("prompt");
  if (prompt == args.end() || !prompt->is_string()
      || prompt->get<std::string>().find_first_not_of(" \t\r\n")
           == std::string::npos)
    return text_result("argument 'prompt' must be a non-empty string", true);
  // Which agents.
  std::vector<const connectors::agent_spec*> chosen;
  if (auto ps = args.find("participants"); ps != args.end()) {
    if (!ps->is_array() || ps->empty())
      return text_result("argument 'participants' must be a non-empty "
                         "list of agent ids",
                         true);
    for (auto& id : *ps) {
      if (!id.is_string())
        return text_result("argument 'participants' must list strings", true);
      const connectors::agent_spec* hit = nullptr;
      for (auto& a : cfg_.agents)
        if (connectors::id_of(a) == id.get<std::string>())
          hit = &a;
      if (hit == nullptr)
        return text_result(
          "unknown participant '" + id.get<std::string>() + "'", true);
      if (std::find(chosen.begin(), chosen.end(), hit) != chosen.end())
        return text_result(
          "participant '" + id.get<std::string>() + "' is listed twice", true);
      chosen.push_back(hit);
    }
  } else {
    for (auto& a : cfg_.agents)
      chosen.push_back(&a);
  }
  // Parameters: the server's, overridden by the call.
  auto ps = cfg_.ps;
  if (auto err = apply_params(args, ps, "arguments",
                              {"prompt", "participants"}))
    return text_result(connectors::error_text(err), true);
  if (ps.timeout_ms > cfg_.ps.timeout_ms)
    return text_result("timeout_ms " + std::to_string(ps.timeout_ms)
                         + " exceeds this server's limit of "
                         + std::to_string(cfg_.ps.timeout_ms) + " ms",
                       true);
  if (running_.fetch_add(1) >= max_runs_) {
    --running_;
    return text_result("server busy: " + std::to_string(max_runs_)
                         + " consensus runs are in progress; try again",
                       true);
  }
  struct release {
    std::atomic<int>& n;
    ~release() {
      --n;
    }
  } guard{running_};
  std::vector<connectors::agent_ptr> agents;
  for (auto* a : chosen)
    agents.push_back(connectors::make_agent(*a, ps.timeout_ms));
  connectors::run_options opts;
  opts.system = &sys_;
  opts.startup_timeout = std::chrono::milliseconds{cfg_.startup_timeout_ms};
  std::mutex wrong_mtx;
  std::vector<std::string> wrong;
  opts.on_ready = [&](const std::string& id, const connectors::readiness& r) {
    if (!r.misconfigured())
      return;
    std::lock_guard<std::mutex> guard{wrong_mtx};
    wrong.push_back("agent '" + id + "': " + connectors::error_text(r.err)
                    + "; " + cfg_.fix_hint(id, r.setting)
                    + " where this server is started");
  };
  auto st = connectors::run_agents(prompt->get<std::string>(),
                                   std::move(agents), ps, std::move(opts));
  if (!st && !wrong.empty()) {
    std::sort(wrong.begin(), wrong.end());
    std::string text;
    for (auto& w : wrong)
      text += (text.empty() ? "" : "\n") + w;
    return text_result(text, true);
  }
  if (!st)
    return text_result(connectors::error_text(st.error()), true);
  auto answer = connectors::agreed_answer(*st);
  json out;
  if (st->winner.empty()) {
    std::string why = "no agreed answer: no agent answered";
    for (auto& p : st->participants) {
      auto i = st->index_of(p);
      if (auto* r = i < st->responses.size() && !st->responses[i].empty()
                      ? &st->responses[i].back()
                      : nullptr)
        why += "; " + p + ": " + r->error;
    }
    out = text_result(why, true);
  } else {
    out = text_result(answer);
  }
  out["structuredContent"] = connectors::state_to_json(*st);
  return out;
}

} // namespace caf::consensus::cli

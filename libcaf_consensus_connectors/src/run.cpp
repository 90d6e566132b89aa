#include "caf/consensus/connectors/run.hpp"

#include <memory>
#include <thread>

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/choice.hpp"
#include "caf/consensus/connectors/transport.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/forwarding.hpp"
#include "caf/consensus/policy/registry.hpp"

namespace caf::consensus::connectors {

namespace {

/// Wraps a policy and reports every absorbed round.
class observed_policy : public policy::forwarding {
public:
  observed_policy(std::unique_ptr<policy::policy_base> inner, round_callback cb,
                  extractor_kind extractor, std::string pattern)
    : forwarding(std::move(inner)),
      cb_(std::move(cb)),
      extractor_(extractor),
      pattern_(std::move(pattern)) {
    // nop
  }

  void absorb(state& st, int32_t round,
              const std::vector<result>& results) override {
    forwarding::absorb(st, round, results);
    round_event ev;
    ev.round = round;
    ev.participants = st.participants;
    ev.results = results;
    ev.confidence = st.confidence;
    ev.summary = summary(st, round);
    try {
      cb_(ev);
    } catch (...) {
      // an observer must not break the run
    }
  }

private:
  /// The round in numbers. Policies that do not use choice keys leave the
  /// responses unlabelled: label this round's answers (and everybody's
  /// latest) with the run's extractor on a copy of just what the summary
  /// reads.
  round_summary summary(const state& st, int32_t round) const {
    state view;
    view.participants = st.participants;
    view.decided_round = st.decided_round;
    view.rounds_executed = st.rounds_executed;
    view.stop = st.stop;
    for (auto& t : st.trace)
      if (t.round == round)
        view.trace.push_back(t);
    view.responses.resize(st.responses.size());
    std::string leader;
    size_t best = st.participants.size();
    for (size_t i = 0; i < st.responses.size(); ++i) {
      auto label = [&](response r) {
        if (r.ok && r.label.empty())
          r.label = extract_choice(r.text, extractor_, pattern_);
        return r;
      };
      for (auto& r : st.responses[i])
        if (r.round == round)
          view.responses[i].push_back(label(r));
      if (auto* r = st.latest_ok(i);
          r != nullptr && i < st.confidence.size()
          && (best == st.participants.size()
              || st.confidence[i] > st.confidence[best])) {
        best = i;
        leader = label(*r).label;
      }
    }
    return summarize_round(view, round, leader, {});
  }

  round_callback cb_;
  extractor_kind extractor_;
  std::string pattern_;
};

/// Starts every agent at once (each on a thread of its own) and returns
/// the error naming every misconfigured agent, if any.
error start_agents(std::vector<agent_ptr>& agents, const run_options& opts) {
  std::vector<readiness> found(agents.size());
  {
    std::vector<std::thread> threads;
    threads.reserve(agents.size());
    for (size_t i = 0; i < agents.size(); ++i)
      threads.emplace_back([&, i] {
        try {
          found[i] = agents[i]->prepare(opts.startup_timeout);
        } catch (const std::exception& e) {
          found[i].err
            = make_error(errc::execute_failed,
                         std::string{"exception in agent: "} + e.what());
        } catch (...) {
          found[i].err = make_error(errc::execute_failed,
                                    "exception in agent: unknown");
        }
        if (opts.on_ready) {
          try {
            opts.on_ready(agents[i]->id(), found[i]);
          } catch (...) {
            // an observer must not break the run
          }
        }
      });
    for (auto& t : threads)
      t.join();
  }
  std::string wrong;
  for (size_t i = 0; i < agents.size(); ++i)
    if (found[i].misconfigured())
      wrong += (wrong.empty() ? "" : "\n") + std::string{"agent '"}
               + agents[i]->id() + "': " + error_text(found[i].err)
               + " (fix the agent's '" + found[i].setting + "' setting)";
  if (!wrong.empty())
    return make_error(errc::invalid_params, std::move(wrong));
  return {};
}

} // namespace

expected<state> run_agents(const std::string& prompt,
                           std::vector<agent_ptr> agents, params ps,
                           run_options opts) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < agents.size(); ++i) {
    if (!agents[i])
      return make_error(errc::invalid_params,
                        "agent #" + std::to_string(i + 1) + " is null");
    ids.push_back(agents[i]->id());
  }
  auto eopts = opts.engine;
  if (opts.on_round) {
    policy::policy_factory base = eopts.factory;
    if (!base) {
      if (auto probe = policy::make(ps.policy); !probe)
        return std::move(probe.error());
      base = [name = ps.policy]() -> std::unique_ptr<policy::policy_base> {
        auto x = policy::make(name);
        return x ? std::move(*x) : nullptr;
      };
    }
    eopts.factory = [base, cb = opts.on_round, kind = ps.extractor,
                     pattern = ps.extractor_pattern] {
      auto inner = base();
      if (!inner)
        return std::unique_ptr<policy::policy_base>{};
      return std::unique_ptr<policy::policy_base>{
        std::make_unique<observed_policy>(std::move(inner), cb, kind, pattern)};
    };
  }
  // Check everything before anyone is contacted.
  if (auto eng = engine::make(prompt, ids, ps, eopts); !eng)
    return std::move(eng.error());
  if (opts.startup_timeout.count() > 0)
    if (auto err = start_agents(agents, opts))
      return err;
  std::unique_ptr<actor_system_config> own_cfg;
  std::unique_ptr<actor_system> own_sys;
  auto* sys = opts.system;
  if (sys == nullptr) {
    own_cfg = std::make_unique<actor_system_config>();
    own_sys = std::make_unique<actor_system>(*own_cfg);
    sys = own_sys.get();
  }
  expected<state> out{make_error(errc::execute_failed, "no reply")};
  {
    std::vector<actors::participant_actor> handles;
    for (auto& a : agents)
      handles.push_back(
        spawn_agent_participant(*sys, std::move(a), opts.on_answer));
    auto coord = actors::spawn_coordinator(*sys, ids, handles, ps, eopts);
    // The participants (and their connections) end with the coordinator.
    actor_cast<abstract_actor*>(coord)->attach_functor([handles](const error&) {
      for (auto& h : handles)
        anon_send_exit(h, exit_reason::user_shutdown);
    });
    {
      scoped_actor self{*sys};
      self->request(coord, infinite, actors::run_atom::value, prompt)
        .receive([&](state& st) { out = std::move(st); },
                 [&](error& err) { out = std::move(err); });
    }
    anon_send_exit(coord, exit_reason::user_shutdown);
  }
  // A private system waits for every participant to close its connection.
  own_sys.reset();
  return out;
}

} // namespace caf::consensus::connectors

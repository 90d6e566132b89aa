#include "caf/consensus/consensus.hpp"

#include "caf/abstract_actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus {

struct consensus::impl {
  execute_fn sync;
  async_execute_fn async;
  bool blocking = true;
  engine_options opts;
  actor_system* external = nullptr;
  // Created on first use when no external system is given.
  std::unique_ptr<actor_system_config> cfg;
  std::unique_ptr<actor_system> own;

  actor_system& sys() {
    if (external != nullptr)
      return *external;
    if (!own) {
      cfg = std::make_unique<actor_system_config>();
      own = std::make_unique<actor_system>(*cfg);
    }
    return *own;
  }
};

consensus::consensus(std::vector<std::string> participants, execute_fn execute,
                     params ps)
  : impl_(std::make_unique<impl>()),
    participants_(std::move(participants)),
    ps_(std::move(ps)) {
  impl_->sync = std::move(execute);
}

consensus::consensus(std::vector<std::string> participants,
                     async_execute_fn execute, params ps)
  : impl_(std::make_unique<impl>()),
    participants_(std::move(participants)),
    ps_(std::move(ps)) {
  impl_->async = std::move(execute);
}

consensus::~consensus() {
  // nop
}

consensus::consensus(consensus&&) noexcept = default;

consensus& consensus::operator=(consensus&&) noexcept = default;

consensus& consensus::system(actor_system& sys) {
  impl_->external = &sys;
  return *this;
}

consensus& consensus::similarity(std::shared_ptr<const text::similarity> sim) {
  impl_->opts.similarity = std::move(sim);
  return *this;
}

consensus& consensus::policy(policy::policy_factory factory) {
  impl_->opts.factory = std::move(factory);
  return *this;
}

consensus& consensus::blocking(bool value) {
  impl_->blocking = value;
  return *this;
}

error consensus::validate() const {
  if (!impl_->sync && !impl_->async)
    return make_error(errc::invalid_params, "no execute function given");
  auto eng = engine::make({}, participants_, ps_, impl_->opts);
  if (!eng)
    return std::move(eng.error());
  return {};
}

actors::coordinator_actor consensus::spawn(actor_system& sys) const {
  std::vector<actors::participant_actor> handles;
  handles.reserve(participants_.size());
  for (auto& id : participants_) {
    if (impl_->sync)
      handles.push_back(
        actors::spawn_participant(sys, id, impl_->sync, impl_->blocking));
    else
      handles.push_back(actors::spawn_async_participant(sys, id, impl_->async));
  }
  auto coord = actors::spawn_coordinator(sys, participants_, handles, ps_,
                                         impl_->opts);
  // The participants belong to this coordinator: stop them with it.
  actor_cast<abstract_actor*>(coord)->attach_functor([handles](const error&) {
    for (auto& h : handles)
      anon_send_exit(h, exit_reason::user_shutdown);
  });
  return coord;
}

expected<state> consensus::run(const std::string& prompt) {
  // The coordinator checks participants and parameters (engine::make) before
  // it calls anyone and replies with the same error `validate` would give;
  // building a second engine here only to throw it away doubled that cost.
  if (!impl_->sync && !impl_->async)
    return make_error(errc::invalid_params, "no execute function given");
  auto& sys = impl_->sys();
  auto coord = spawn(sys);
  expected<state> out{make_error(errc::execute_failed, "no reply")};
  {
    scoped_actor self{sys};
    self->request(coord, infinite, actors::run_atom::value, prompt)
      .receive([&](state& st) { out = std::move(st); },
               [&](error& err) { out = std::move(err); });
  }
  anon_send_exit(coord, exit_reason::user_shutdown);
  return out;
}

expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants, execute_fn execute,
                    params ps) {
  consensus c{std::move(participants), std::move(execute), std::move(ps)};
  return c.run(prompt);
}

expected<state> run(const std::string& prompt,
                    std::vector<std::string> participants,
                    async_execute_fn execute, params ps) {
  consensus c{std::move(participants), std::move(execute), std::move(ps)};
  return c.run(prompt);
}

} // namespace caf::consensus

// caf-consensus sim: threads that several local sweeps share.

#include "caf/consensus/sim/sweep/sweep_runtime.hpp"

#include <algorithm>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/exit_reason.hpp"
#include "caf/send.hpp"

#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"

namespace caf::consensus::sim {

actor_system_config& configure_local_sweep(actor_system_config& cfg,
                                           size_t threads) {
  cfg.set("scheduler.max-threads", std::max<size_t>(1, threads));
  // The pool computes on these threads only inline batches of a sweep that
  // takes every core (`takes_every_core`); otherwise on threads of its
  // own, and the actor engine always in a one-thread system per pool thread
  // (`actor_home`): this system then carries only the sweep's bookkeeping,
  // and `sharing` lets its idle threads sleep.
  cfg.set("scheduler.policy", atom("sharing"));
  return cfg;
}

std::shared_ptr<sweep_runtime>
make_runtime_for(size_t threads,
                 const std::shared_ptr<const remote_options>& remote) {
  if (threads == 0 || (remote != nullptr && !remote->workers.empty()))
    return nullptr;
  return std::make_shared<sweep_runtime>(threads);
}

sweep_runtime::sweep_runtime(size_t threads)
  : threads_(std::max<size_t>(1, threads)),
    cfg_(std::make_unique<actor_system_config>()) {
  configure_local_sweep(*cfg_, threads_);
  sys_ = std::make_unique<actor_system>(*cfg_);
  pool_ = spawn_pool(*sys_, threads_, takes_every_core(threads_));
}

sweep_runtime::~sweep_runtime() {
  anon_send_exit(pool_, exit_reason::user_shutdown);
  pool_ = actor{};
  // The system's destructor waits for the pool's workers.
  sys_.reset();
}

} // namespace caf::consensus::sim

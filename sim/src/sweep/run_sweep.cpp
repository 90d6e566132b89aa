// caf-consensus sim: a whole sweep on a local worker pool and remote workers.

#include "caf/consensus/sim/sweep/run_sweep.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include "caf/actor_system_config.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/scoped_actor.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/sweep/dispatcher.hpp"
#include "caf/consensus/sim/sweep/distributed.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/sweep_plan.hpp"
#include "caf/consensus/sim/sweep/sweep_runtime.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"

namespace caf::consensus::sim {

namespace {

/// Reads the scenario file remote workers need and checks it is the one `s`
/// was loaded from.
expected<std::string> scenario_text_of(const scenario& s) {
  std::ifstream in{s.file, std::ios::binary};
  if (!in)
    return make_error(sweep_errc::bad_message,
                      "cannot read '" + s.file
                        + "' to send it to the remote workers");
  std::ostringstream buf;
  buf << in.rdbuf();
  auto text = buf.str();
  auto again = parse_scenario(text, s.file);
  if (!again || again->hash != s.hash)
    return make_error(sweep_errc::bad_message,
                      "'" + s.file
                        + "' changed since it was loaded; cannot send it to "
                          "the remote workers");
  return text;
}

} // namespace

error run_sweep(const scenario& s, const sweep_options& opts) {
  auto plan = make_plan(s, opts.engine, opts.agent_rows);
  if (!plan)
    return std::move(plan.error());
  auto remote = opts.remote != nullptr && !opts.remote->workers.empty();
  if (opts.threads == 0 && !remote)
    return make_error(errc::invalid_params,
                      "a sweep needs at least one local thread or a remote "
                      "worker");
  if (opts.threads > 4096)
    return make_error(errc::invalid_params, "at most 4096 local threads, got "
                                              + std::to_string(opts.threads));
  dispatch_setup ds;
  ds.plan = *plan;
  ds.guided = opts.batch_size == 0;
  ds.batch_size = ds.guided ? max_guided_batch : opts.batch_size;
  if (ds.batch_size > max_batch_runs)
    return make_error(errc::invalid_params, "at most "
                                              + std::to_string(max_batch_runs)
                                              + " runs per batch, got "
                                              + std::to_string(ds.batch_size));
  ds.local_threads = static_cast<uint32_t>(opts.threads);
  ds.skip = opts.skip;
  ds.on_run = opts.on_run;
  ds.on_batch = opts.on_batch;
  ds.on_progress = opts.on_progress;
  ds.on_event = opts.on_event;
  if (opts.runtime != nullptr) {
    if (remote)
      return make_error(errc::invalid_params,
                        "a sweep with remote workers cannot use a shared "
                        "runtime (it starts a system with the network layer "
                        "of its own)");
    if (opts.threads != opts.runtime->threads())
      return make_error(errc::invalid_params,
                        "the sweep asks for " + std::to_string(opts.threads)
                          + " threads, its runtime has "
                          + std::to_string(opts.runtime->threads()));
  }
  // A local sweep runs on a runtime: the caller's, or one of its own that
  // starts and stops with it. A sweep with remote workers needs a system
  // with the network layer.
  auto runtime = opts.runtime;
  actor_system_config cfg;
  std::unique_ptr<actor_system> own;
  actor pool;
  if (remote) {
    auto& ro = *opts.remote;
    if (ro.secret.size() < min_secret_bytes)
      return make_error(sweep_errc::bad_credentials,
                        "remote workers need a shared secret of at least "
                          + std::to_string(min_secret_bytes) + " bytes");
    if (auto err = check_tls(ro.tls))
      return err;
    auto text = scenario_text_of(s);
    if (!text)
      return std::move(text.error());
    ds.spec = make_spec(**plan, std::move(*text));
    ds.remote = opts.remote;
    configure_local_sweep(cfg, opts.threads);
    add_sweep_types(cfg);
    cfg.load<io::middleman>();
    if (ro.tls.enabled()) {
      cfg.load<openssl::manager>();
      cfg.openssl_certificate = ro.tls.certificate;
      cfg.openssl_key = ro.tls.key;
      cfg.openssl_cafile = ro.tls.ca_file;
    }
    own = std::make_unique<actor_system>(cfg);
    if (opts.threads > 0)
      pool = spawn_pool(*own, opts.threads);
  } else {
    if (runtime == nullptr)
      runtime = std::make_shared<sweep_runtime>(opts.threads);
    pool = runtime->pool();
  }
  auto& sys = own ? *own : runtime->system();
  if (pool)
    ds.local = spawn_local_session(sys, pool, *plan);
  auto local = ds.local;
  auto disp = spawn_dispatcher(sys, std::move(ds));
  error result;
  {
    scoped_actor self{sys};
    self->request(disp, infinite, start_atom::value)
      .receive(
        [&](std::vector<worker_report>& reports) {
          if (opts.on_report)
            opts.on_report(reports);
        },
        [&](error& err) { result = std::move(err); });
  }
  if (local)
    anon_send_exit(local, exit_reason::user_shutdown);
  // The pool of a remote sweep's system; a runtime stops its own pool when
  // it goes (here, if it was this sweep's).
  if (pool && own)
    anon_send_exit(pool, exit_reason::user_shutdown);
  return result;
}

} // namespace caf::consensus::sim

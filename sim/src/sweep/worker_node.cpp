// The worker side of distributed sweeps: the gate actor (shared-secret
// handshake) and the node that publishes it.

#include "caf/consensus/sim/sweep/distributed.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/io/middleman.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/openssl/publish.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/basp_guard.hpp"
#include "caf/consensus/sim/sweep/guarded_actor.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/sweep/worker_pool.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim {

namespace {

using clock_type = std::chrono::steady_clock;

/// How long a challenge stays valid, and how many may be open at once.
constexpr auto challenge_ttl = std::chrono::seconds{30};
constexpr size_t max_challenges = 1024;

/// Most simultaneous client connections to a node (plain TCP).
constexpr size_t max_connections = 256;

/// Actors a node must stop when it shuts down (sessions are spawned by the
/// gate on the scheduler; the node stops them from its own thread).
struct actor_list {
  std::mutex mtx;
  std::vector<actor_addr> xs;

  void add(const actor& x) {
    std::lock_guard<std::mutex> guard{mtx};
    // Forget actors that are gone.
    xs.erase(std::remove_if(xs.begin(), xs.end(),
                            [](const actor_addr& a) {
                              return actor_cast<actor>(a) == nullptr;
                            }),
             xs.end());
    xs.push_back(x.address());
  }

  std::vector<actor> alive() {
    std::lock_guard<std::mutex> guard{mtx};
    std::vector<actor> out;
    for (auto& a : xs)
      if (auto hdl = actor_cast<actor>(a))
        out.push_back(std::move(hdl));
    return out;
  }
};

struct gate_config {
  std::string secret;
  actor pool;
  uint32_t threads = 0;
  std::function<void(const std::string&)> log;
  std::shared_ptr<actor_list> sessions;
  size_t max_scenario = 0;

  /// The header guard (plain TCP only), told about every authenticated node
  /// so that it lifts that node's connection to the full message size. Set
  /// once the guard listens, read by the gate: hence the mutex.
  void set_guard(actor x) {
    std::lock_guard<std::mutex> lock{mtx};
    guard = std::move(x);
  }

  actor get_guard() {
    std::lock_guard<std::mutex> lock{mtx};
    return guard;
  }

private:
  std::mutex mtx;
  actor guard;
};

struct challenge {
  clock_type::time_point expires;
  strong_actor_ptr peer;
};

std::string peer_name(const strong_actor_ptr& x) {
  return x ? "node " + to_string(x->node()) : "an anonymous sender";
}

behavior gate(guarded_actor* self, std::shared_ptr<gate_config> c) {
  auto challenges = std::make_shared<std::map<std::string, challenge>>();
  auto log = [c](const std::string& line) {
    if (c->log)
      c->log(line);
  };
  return {
    [=](hello_atom, uint32_t protocol,
        const std::string& version) -> caf::result<std::string> {
      auto peer = self->current_sender();
      if (peer == nullptr)
        return make_error(sweep_errc::refused, "anonymous hello");
      if (protocol != sweep_protocol_version) {
        log("refused " + peer_name(peer) + ": protocol version "
            + std::to_string(protocol));
        return make_error(sweep_errc::refused,
                          "the coordinator speaks protocol version "
                            + std::to_string(protocol)
                            + ", this worker version "
                            + std::to_string(sweep_protocol_version));
      }
      if (version != program_version) {
        auto shown = version.substr(0, 64);
        log("refused " + peer_name(peer) + ": program version '" + shown + "'");
        return make_error(sweep_errc::incompatible,
                          "the coordinator runs '" + shown
                            + "', this worker runs '" + program_version
                            + "' (results could differ)");
      }
      // Forget expired challenges; keep at most max_challenges.
      auto now = clock_type::now();
      for (auto i = challenges->begin(); i != challenges->end();)
        i = i->second.expires < now ? challenges->erase(i) : std::next(i);
      while (challenges->size() >= max_challenges) {
        auto oldest = std::min_element(challenges->begin(), challenges->end(),
                                       [](const auto& x, const auto& y) {
                                         return x.second.expires
                                                < y.second.expires;
                                       });
        challenges->erase(oldest);
      }
      auto nonce = random_hex(nonce_bytes);
      challenges->emplace(nonce, challenge{now + challenge_ttl, peer});
      return nonce;
    },
    [=](auth_atom, const std::string& nonce, const std::string& theirs,
        const std::string& proof) -> caf::result<message> {
      auto peer = self->current_sender();
      if (!is_hex(nonce, 2 * nonce_bytes) || !is_hex(theirs, 2 * nonce_bytes)
          || !is_hex(proof, mac_hex_chars)) {
        log("refused " + peer_name(peer) + ": malformed authentication");
        return make_error(sweep_errc::bad_message,
                          "malformed authentication message");
      }
      auto i = challenges->find(nonce);
      if (i == challenges->end() || i->second.expires < clock_type::now()
          || i->second.peer != peer) {
        if (i != challenges->end())
          challenges->erase(i);
        log("refused " + peer_name(peer) + ": unknown or expired challenge");
        return make_error(sweep_errc::refused,
                          "unknown or expired challenge; start again");
      }
      challenges->erase(i); // every challenge is good for one try
      auto want = auth_mac(c->secret, client_proof_label, nonce, theirs);
      if (!equal_secure(proof, want)) {
        log("refused " + peer_name(peer) + ": wrong shared secret");
        return make_error(sweep_errc::refused,
                          "the coordinator's shared secret does not match "
                          "this worker's");
      }
      // The guard learns first, so the connection is lifted before the
      // coordinator's next (larger) message can arrive.
      if (auto guard = c->get_guard())
        anon_send(guard, peer_authenticated_atom::value,
                  node_key(self->home_system(), peer->node()));
      auto token = auth_mac(c->secret, session_token_label, nonce, theirs);
      auto session = spawn_remote_session(self->home_system(), c->pool,
                                          std::move(token), peer, c->log,
                                          c->max_scenario);
      c->sessions->add(session);
      log("authenticated " + peer_name(peer) + "; session started");
      auto ours = auth_mac(c->secret, server_proof_label, nonce, theirs);
      return make_message(std::move(session), c->threads, std::move(ours));
    },
  };
}

} // namespace

// -- worker_node --------------------------------------------------------------

struct worker_node::impl {
  worker_node_options opts;
  std::unique_ptr<actor_system_config> cfg;
  std::unique_ptr<actor_system> sys;
  actor pool;
  actor gate;
  actor guard;
  std::shared_ptr<actor_list> sessions = std::make_shared<actor_list>();
  uint16_t port = 0;
  bool stopped = false;
};

worker_node::worker_node(std::unique_ptr<impl> ptr) : impl_(std::move(ptr)) {
  // nop
}

worker_node::~worker_node() {
  stop();
}

uint16_t worker_node::port() const {
  return impl_->port;
}

endpoint worker_node::address() const {
  return endpoint{impl_->opts.listen.host, impl_->port};
}

void worker_node::stop() {
  auto& x = *impl_;
  if (x.stopped || !x.sys)
    return;
  x.stopped = true;
  {
    // Guarded actors accept exit messages only from local senders.
    scoped_actor self{*x.sys};
    if (x.gate)
      self->send_exit(x.gate, exit_reason::user_shutdown);
    for (auto& s : x.sessions->alive())
      self->send_exit(s, exit_reason::user_shutdown);
    if (x.guard)
      self->send_exit(x.guard, exit_reason::user_shutdown);
    if (x.pool)
      self->send_exit(x.pool, exit_reason::user_shutdown);
  }
  x.gate = actor{};
  x.guard = actor{};
  x.pool = actor{};
  x.sys.reset(); // waits for every actor (workers finish their batch)
  x.cfg.reset();
}

expected<std::unique_ptr<worker_node>>
worker_node::start(worker_node_options opts) {
  if (opts.secret.size() < min_secret_bytes)
    return make_error(sweep_errc::bad_credentials,
                      "a worker needs a shared secret of at least "
                        + std::to_string(min_secret_bytes) + " bytes");
  if (opts.threads < 1 || opts.threads > 4096)
    return caf::consensus::make_error(errc::invalid_params,
                                      "worker threads must be in [1, 4096], "
                                      "got "
                                        + std::to_string(opts.threads));
  if (auto err = check_tls(opts.tls))
    return err;
  auto x = std::make_unique<impl>();
  x->opts = std::move(opts);
  auto& o = x->opts;
  x->cfg = std::make_unique<actor_system_config>();
  auto& cfg = *x->cfg;
  cfg.set("scheduler.max-threads", o.threads);
  cfg.set("scheduler.policy", atom("sharing"));
  add_sweep_types(cfg);
  cfg.load<io::middleman>();
  if (o.tls.enabled()) {
    cfg.load<openssl::manager>();
    cfg.openssl_certificate = o.tls.certificate;
    cfg.openssl_key = o.tls.key;
    cfg.openssl_cafile = o.tls.ca_file;
  }
  x->sys = std::make_unique<actor_system>(cfg);
  auto& sys = *x->sys;
  x->pool = spawn_pool(sys, o.threads);
  auto gc = std::make_shared<gate_config>();
  gc->secret = o.secret;
  gc->pool = x->pool;
  gc->threads = static_cast<uint32_t>(o.threads);
  gc->log = o.log;
  gc->sessions = x->sessions;
  gc->max_scenario = o.max_scenario_bytes;
  x->gate = sys.spawn<guarded_actor>(
    [gc](guarded_actor* self) { return gate(self, gc); });
  auto node = std::unique_ptr<worker_node>{new worker_node(std::move(x))};
  auto& st = *node->impl_;
  if (o.tls.enabled()) {
    // TLS: only peers with a certificate our CA vouches for get to BASP.
    // SO_REUSEADDR, as for plain TCP (see spawn_basp_guard).
    auto port = openssl::publish(st.gate, o.listen.port, o.listen.host.c_str(),
                                 true);
    if (!port)
      return make_error(sweep_errc::network_failed,
                        "cannot listen on " + to_string(o.listen) + ": "
                          + render_sweep_error(port.error()));
    st.port = *port;
    return node;
  }
  // Plain TCP: CAF's BASP port on loopback behind the header check.
  auto upstream = sys.middleman().publish(st.gate, 0, "127.0.0.1");
  if (!upstream)
    return make_error(sweep_errc::network_failed,
                      "cannot open the node's BASP port: "
                        + render_sweep_error(upstream.error()));
  basp_guard_options gopts;
  gopts.upstream = *upstream;
  gopts.max_payload = max_message_bytes;
  gopts.max_connections = max_connections;
  gopts.handshake_timeout = o.handshake_timeout;
  gopts.idle_timeout = o.idle_timeout;
  gopts.log = o.log;
  auto guard = spawn_basp_guard(sys, o.listen, std::move(gopts));
  if (!guard)
    return std::move(guard.error());
  gc->set_guard(guard->first);
  st.guard = guard->first;
  st.port = guard->second;
  return node;
}

} // namespace caf::consensus::sim

// caf-consensus sim: the dispatcher's remote workers: connecting, the
// shared-secret handshake, loading the sweep, joining, and the periodic
// checks (batch timeouts, retries, the stall timeout).

#include "caf/consensus/sim/sweep/internal/dispatcher_state.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "caf/actor_system.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/middleman_actor.hpp"
#include "caf/openssl/manager.hpp"

#include "caf/consensus/sim/sweep/auth.hpp"
#include "caf/consensus/sim/sweep/sweep_error.hpp"
#include "caf/consensus/sim/sweep/sweep_messages.hpp"
#include "caf/consensus/sim/version.hpp"

namespace caf::consensus::sim::sweep_internal {

// -- remote workers: connect and handshake ------------------------------------

namespace {

void joined(dispatcher_actor* self, size_t idx, actor session,
            std::string token, uint32_t threads) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  w.st = wstate::ready;
  w.handle = std::move(session);
  w.token = std::move(token);
  w.threads = threads;
  w.report.threads = threads;
  w.credit = std::min<size_t>(2 * threads, 256);
  if (w.report.joins == 0)
    w.report.problem.clear(); // it failed to connect before, but it is here
  w.report.joins += 1;
  w.last_progress = clock_type::now();
  w.last_event.clear();
  event(self, "worker " + w.name + " joined (" + std::to_string(threads)
                + (threads == 1 ? " thread)" : " threads)"));
  pump(self);
}

void handshake_failed(dispatcher_actor* self, size_t idx, uint64_t epoch,
                      const std::string& step, const error& err) {
  auto& w = self->state.workers[idx];
  if (w.epoch != epoch || w.st != wstate::connecting)
    return;
  if (err == sec::unexpected_message) {
    fail_worker(self, idx,
                step
                  + ": the actor published at this address is not a "
                    "consensus-sim worker",
                true);
    return;
  }
  fail_worker(self, idx, step + ": " + render_sweep_error(err),
              is_permanent(err));
}

void load(dispatcher_actor* self, size_t idx, uint64_t epoch, actor session,
          std::string token, uint32_t threads) {
  auto& st = self->state;
  auto timeout = std::max(st.setup.remote->connect_timeout,
                          std::chrono::milliseconds{30000});
  self->request(session, timeout, load_atom::value, token, st.setup.spec)
    .then(
      [=](uint64_t total) mutable {
        auto& w = self->state.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (total != self->state.total) {
          fail_worker(self, idx,
                      "the worker counts " + std::to_string(total)
                        + " runs in this sweep, the coordinator "
                        + std::to_string(self->state.total),
                      true);
          return;
        }
        joined(self, idx, std::move(session), std::move(token), threads);
      },
      [=](error& err) {
        handshake_failed(self, idx, epoch, "loading the sweep failed", err);
      });
}

void authenticate(dispatcher_actor* self, size_t idx, uint64_t epoch,
                  actor gate) {
  auto& st = self->state;
  auto timeout = st.setup.remote->connect_timeout;
  self
    ->request(gate, timeout, hello_atom::value, sweep_protocol_version,
              std::string{program_version})
    .then(
      [=](std::string& challenge) {
        auto& st = self->state;
        auto& w = st.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (!is_hex(challenge, 2 * nonce_bytes)) {
          fail_worker(self, idx, "sent a malformed challenge", true);
          return;
        }
        auto& secret = st.setup.remote->secret;
        auto mine = random_hex(nonce_bytes);
        auto proof = auth_mac(secret, client_proof_label, challenge, mine);
        self->request(gate, timeout, auth_atom::value, challenge, mine, proof)
          .then(
            [=](actor& session, uint32_t threads, std::string& server_proof) {
              auto& st = self->state;
              auto& w = st.workers[idx];
              if (w.epoch != epoch || w.st != wstate::connecting)
                return;
              auto& secret = st.setup.remote->secret;
              auto want = auth_mac(secret, server_proof_label, challenge, mine);
              if (!equal_secure(server_proof, want)) {
                fail_worker(self, idx,
                            "the worker does not prove that it knows the "
                            "shared secret",
                            true);
                return;
              }
              if (!session || threads == 0 || threads > 4096) {
                fail_worker(self, idx, "sent a malformed session", true);
                return;
              }
              auto token = auth_mac(secret, session_token_label, challenge,
                                    mine);
              self->monitor(session);
              w.handle = session; // so that a down_msg finds it
              load(self, idx, epoch, std::move(session), std::move(token),
                   threads);
            },
            [=](error& err) {
              handshake_failed(self, idx, epoch, "authentication failed", err);
            });
      },
      [=](error& err) {
        handshake_failed(self, idx, epoch, "handshake failed", err);
      });
}

} // namespace

void connect(dispatcher_actor* self, size_t idx) {
  auto& st = self->state;
  auto& w = st.workers[idx];
  w.st = wstate::connecting;
  auto epoch = ++w.epoch;
  auto& sys = self->system();
  io::middleman_actor mm = st.setup.remote->tls.enabled()
                             ? sys.openssl_manager().actor_handle()
                             : sys.middleman().actor_handle();
  ++st.connecting;
  self
    ->request(mm, st.setup.remote->connect_timeout, connect_atom::value,
              w.ep.host, w.ep.port)
    .then(
      [=](const node_id&, strong_actor_ptr& gate,
          const std::set<std::string>&) {
        --self->state.connecting;
        if (self->state.ended) {
          conclude(self);
          return;
        }
        auto& w = self->state.workers[idx];
        if (w.epoch != epoch || w.st != wstate::connecting)
          return;
        if (!gate) {
          fail_worker(self, idx, "no worker is published at this address",
                      false);
          return;
        }
        authenticate(self, idx, epoch, actor_cast<actor>(gate));
      },
      [=](error& err) {
        --self->state.connecting;
        if (self->state.ended) {
          auto& w = self->state.workers[idx];
          if (w.report.problem.empty())
            w.report.problem = "cannot connect: " + render_sweep_error(err);
          conclude(self);
          return;
        }
        std::string why = "cannot connect";
        if (self->state.setup.remote->tls.enabled())
          why += " (TLS: is the worker started with TLS and a certificate "
                 "our CA file accepts?)";
        handshake_failed(self, idx, epoch, why, err);
      });
}

// -- periodic checks ----------------------------------------------------------

void tick(dispatcher_actor* self) {
  auto& st = self->state;
  if (!st.running)
    return;
  auto now = clock_type::now();
  bool any_ready = false;
  for (size_t idx = 0; idx < st.workers.size() && st.running; ++idx) {
    auto& w = st.workers[idx];
    if (w.st == wstate::ready) {
      any_ready = true;
      if (w.remote && !w.in_flight.empty()
          && now - w.last_progress > st.setup.remote->batch_timeout)
        fail_worker(self, idx,
                    "no reply within "
                      + secs_text(st.setup.remote->batch_timeout)
                      + " (hung or overloaded?)",
                    false);
    } else if (w.st == wstate::down && now >= w.next_retry) {
      connect(self, idx);
    }
  }
  if (!st.running)
    return;
  if (any_ready) {
    st.last_ready = now;
  } else if (st.setup.remote
             && now - st.last_ready > st.setup.remote->stall_timeout) {
    std::string why_all;
    for (auto& x : st.workers)
      why_all += "; " + x.name + ": "
                 + (x.report.problem.empty() ? "still connecting"
                                             : x.report.problem);
    abort_sweep(self, make_error(sweep_errc::no_workers,
                                 "no worker was available for "
                                   + secs_text(st.setup.remote->stall_timeout)
                                   + why_all));
    return;
  }
  self->delayed_send(self, st.tick_interval, tick_atom::value);
}

} // namespace caf::consensus::sim::sweep_internal

// caf-consensus sim: a listener that checks BASP message headers before CAF
// reads the messages, and keeps unauthenticated peers small and short-lived.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "caf/actor.hpp"
#include "caf/atom.hpp"
#include "caf/expected.hpp"
#include "caf/fwd.hpp"
#include "caf/node_id.hpp"

#include "caf/consensus/sim/sweep/distributed.hpp"

namespace caf::consensus::sim {

/// Gate -> guard: the node whose handshake carried this key (see
/// `node_key`) has proven the shared secret.
using peer_authenticated_atom = atom_constant<atom("csPeerAuth")>;

/// Private: the guard's periodic deadline check.
using guard_tick_atom = atom_constant<atom("csGuardTk")>;

/// What the guard lets through.
struct basp_guard_options {
  /// CAF's BASP port on 127.0.0.1 that connections are relayed to.
  uint16_t upstream = 0;
  /// Largest payload of one message from an authenticated peer.
  uint32_t max_payload = 0;
  /// Largest payload before the peer has authenticated: the handshake's own
  /// messages (a node id, the hello and the proof) are a few hundred bytes.
  uint32_t max_unauthenticated_payload = 64 * 1024;
  /// Open client connections at most (authenticated or not).
  size_t max_connections = 256;
  /// Unauthenticated connections at most from one address.
  size_t max_unauthenticated_per_address = 16;
  /// A connection that has not authenticated by then is closed.
  std::chrono::milliseconds handshake_timeout{10000};
  /// An authenticated connection without traffic in either direction for
  /// this long is closed.
  std::chrono::milliseconds idle_timeout{300000};
  /// Receives log lines (refusals, closed connections).
  std::function<void(const std::string&)> log;
};

/// Returns the bytes of `x` as a BASP client handshake carries them (CAF's
/// binary serialization of the node id), the key the guard matches an
/// authenticated node's connections by.
std::string node_key(actor_system& sys, const node_id& x);

/// Spawns a CAF broker that listens on `listen` and relays every connection
/// to CAF's BASP port `opts.upstream` on 127.0.0.1. It reads the client's
/// byte stream as BASP frames (a 32-byte header, then `payload_len` bytes)
/// and closes the connection at the first header with an unknown operation
/// or a payload above its limit: CAF 0.17 allocates a buffer of the
/// announced payload size before it reads a byte of it. Until the gate
/// reports the connection's node as authenticated (`peer_authenticated_atom`
/// with the node key of the connection's client handshake), a connection may
/// send only a client handshake first and then messages of at most
/// `max_unauthenticated_payload` bytes, and it is closed after
/// `handshake_timeout`; so all unauthenticated connections together can make
/// the node allocate at most `max_connections` x that limit. A new connection
/// beyond `max_connections`, or beyond `max_unauthenticated_per_address` from
/// its address, closes the oldest unauthenticated connection (from that
/// address) to make room, so that idle connections never lock honest
/// coordinators out; only when every slot is authenticated is it refused.
/// Payloads are forwarded in chunks as they arrive (the relay never buffers a
/// whole message); the reverse direction is relayed unchanged.
expected<std::pair<actor, uint16_t>> spawn_basp_guard(actor_system& sys,
                                                      const endpoint& listen,
                                                      basp_guard_options opts);

} // namespace caf::consensus::sim

#include "caf/consensus/sim/sweep/basp_guard.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/binary_serializer.hpp"
#include "caf/io/basp/header.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/network/multiplexer.hpp"
#include "caf/io/receive_policy.hpp"
#include "caf/io/system_messages.hpp"

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

namespace {

using clock_type = std::chrono::steady_clock;

/// Largest chunk of a payload relayed at once.
constexpr size_t chunk_size = 65536;

/// BASP operations of CAF 0.17: the client handshake and the last one known
/// (`heartbeat`).
constexpr uint8_t client_handshake = 0x01;
constexpr uint8_t last_operation = 0x06;

/// Largest client handshake payload (a serialized node id: a few dozen bytes).
constexpr uint64_t max_handshake_payload = 1024;

struct guard_conn {
  io::connection_handle peer;
  /// True for connections from clients (checked), false for the upstream
  /// side (relayed unchanged).
  bool client = false;
  /// Client side: inside a payload, and how much of it is left.
  bool in_payload = false;
  uint64_t remaining = 0;
  /// Client side: the operation of the payload being relayed.
  uint8_t op = 0;
  /// Client side: where it comes from ("ADDR:PORT" for the log, ADDR for the
  /// per-address limit) and the order it was accepted in.
  std::string from;
  std::string address;
  uint64_t serial = 0;
  /// Client side: the node key of its client handshake (complete once
  /// `handshaken`), and whether that node has authenticated.
  std::string node_key;
  bool handshaken = false;
  bool authenticated = false;
  clock_type::time_point accepted;
  clock_type::time_point last_activity;
};

struct guard_state {
  basp_guard_options opts;
  std::map<io::connection_handle, guard_conn> conns;
  size_t clients = 0;
  uint64_t next_serial = 0;
  std::chrono::milliseconds tick{1000};

  void log(const std::string& line) const {
    if (opts.log)
      opts.log(line);
  }
};

uint32_t read_u32_be(const char* p) {
  auto b = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8)
         | uint32_t{b[3]};
}

void drop(io::broker* self, guard_state& st, io::connection_handle hdl) {
  auto i = st.conns.find(hdl);
  if (i == st.conns.end())
    return;
  auto peer = i->second.peer;
  if (i->second.client)
    --st.clients;
  st.conns.erase(i);
  self->close(hdl);
  auto j = st.conns.find(peer);
  if (j != st.conns.end()) {
    if (j->second.client)
      --st.clients;
    st.conns.erase(j);
    self->close(peer);
  }
}

/// Closes the oldest unauthenticated client connection (from `address`
/// unless empty); returns whether there was one.
bool evict_oldest(io::broker* self, guard_state& st, const std::string& address,
                  const std::string& why) {
  const guard_conn* oldest = nullptr;
  io::connection_handle hdl;
  for (auto& [h, c] : st.conns)
    if (c.client && !c.authenticated
        && (address.empty() || c.address == address)
        && (oldest == nullptr || c.serial < oldest->serial)) {
      oldest = &c;
      hdl = h;
    }
  if (oldest == nullptr)
    return false;
  st.log("closed the oldest unauthenticated connection (from " + oldest->from
         + ") to make room: " + why);
  drop(self, st, hdl);
  return true;
}

void expect_header(io::broker* self, io::connection_handle hdl) {
  self->configure_read(hdl, io::receive_policy::exactly(io::basp::header_size));
}

void expect_payload(io::broker* self, io::connection_handle hdl,
                    uint64_t remaining) {
  self->configure_read(hdl, io::receive_policy::at_most(
                              std::min<uint64_t>(remaining, chunk_size)));
}

/// Accepts a new client connection, making room when a limit is reached.
void accept(io::broker* self, guard_state& st, io::connection_handle hdl) {
  auto address = self->remote_addr(hdl);
  auto from = address + ":" + std::to_string(self->remote_port(hdl));
  auto& o = st.opts;
  size_t from_address = 0;
  for (auto& kvp : st.conns)
    if (kvp.second.client && !kvp.second.authenticated
        && kvp.second.address == address)
      ++from_address;
  if (from_address >= o.max_unauthenticated_per_address)
    evict_oldest(self, st, address,
                 std::to_string(o.max_unauthenticated_per_address)
                   + " unauthenticated connections from " + address);
  if (st.clients >= o.max_connections
      && !evict_oldest(self, st, "",
                       std::to_string(o.max_connections)
                         + " connections are open")) {
    st.log("refused a connection from " + from + ": "
           + std::to_string(o.max_connections)
           + " authenticated connections are open already");
    self->close(hdl);
    return;
  }
  auto up = self->add_tcp_scribe("127.0.0.1", o.upstream);
  if (!up) {
    st.log("dropped a connection from " + from
           + ": cannot reach the node's BASP port: "
           + render_sweep_error(up.error()));
    self->close(hdl);
    return;
  }
  auto now = clock_type::now();
  guard_conn client;
  client.peer = *up;
  client.client = true;
  client.from = std::move(from);
  client.address = std::move(address);
  client.serial = st.next_serial++;
  client.accepted = now;
  client.last_activity = now;
  guard_conn upstream;
  upstream.peer = hdl;
  st.conns.emplace(hdl, std::move(client));
  st.conns.emplace(*up, std::move(upstream));
  ++st.clients;
  expect_header(self, hdl);
  self->configure_read(*up, io::receive_policy::at_most(chunk_size));
}

/// Checks a client's message header; returns the problem, if any.
std::string check_header(const guard_state& st, const guard_conn& c, uint8_t op,
                         uint32_t len) {
  auto& o = st.opts;
  if (op > last_operation)
    return "malformed message (unknown BASP operation " + std::to_string(op)
           + ")";
  if (c.authenticated) {
    if (len > o.max_payload)
      return "oversized message (" + std::to_string(len)
             + " bytes announced, at most " + std::to_string(o.max_payload)
             + ")";
    return {};
  }
  if (!c.handshaken && op != client_handshake)
    return "a message before the BASP client handshake (operation "
           + std::to_string(op) + ")";
  if (!c.handshaken && len > max_handshake_payload)
    return "oversized client handshake (" + std::to_string(len)
           + " bytes announced, at most "
           + std::to_string(max_handshake_payload) + ")";
  if (len > o.max_unauthenticated_payload)
    return "oversized message before authentication (" + std::to_string(len)
           + " bytes announced, at most "
           + std::to_string(o.max_unauthenticated_payload) + ")";
  return {};
}

/// Handles bytes from a client: a header or a chunk of a payload.
void on_client_data(io::broker* self, guard_state& st,
                    io::connection_handle hdl, guard_conn& c,
                    const std::vector<char>& buf) {
  auto peer = c.peer;
  if (!c.in_payload) {
    // A complete header (receive policy `exactly`).
    if (buf.size() != io::basp::header_size) {
      drop(self, st, hdl);
      return;
    }
    auto op = static_cast<uint8_t>(buf[0]);
    auto len = read_u32_be(buf.data() + 4);
    auto problem = check_header(st, c, op, len);
    if (!problem.empty()) {
      st.log("closed the connection from " + c.from + ": " + problem);
      drop(self, st, hdl);
      return;
    }
    self->write(peer, buf.size(), buf.data());
    self->flush(peer);
    if (len > 0) {
      c.in_payload = true;
      c.remaining = len;
      c.op = op;
      expect_payload(self, hdl, c.remaining);
    } else if (op == client_handshake && !c.handshaken) {
      c.handshaken = true; // an empty node key never matches
    }
    return;
  }
  // A chunk of the payload (never more than what is left of it).
  auto n = std::min<uint64_t>(buf.size(), c.remaining);
  if (c.op == client_handshake && !c.handshaken)
    c.node_key.append(buf.data(), n);
  self->write(peer, n, buf.data());
  self->flush(peer);
  c.remaining -= n;
  if (c.remaining == 0) {
    c.in_payload = false;
    if (c.op == client_handshake)
      c.handshaken = true;
    expect_header(self, hdl);
  } else {
    expect_payload(self, hdl, c.remaining);
  }
}

/// Closes connections past their handshake deadline or idle timeout.
void check_deadlines(io::broker* self, guard_state& st) {
  auto now = clock_type::now();
  std::vector<std::pair<io::connection_handle, std::string>> late;
  for (auto& [hdl, c] : st.conns) {
    if (!c.client)
      continue;
    if (!c.authenticated && now - c.accepted >= st.opts.handshake_timeout)
      late.emplace_back(
        hdl, "no authentication within "
               + std::to_string(st.opts.handshake_timeout.count()) + " ms");
    else if (c.authenticated && now - c.last_activity >= st.opts.idle_timeout)
      late.emplace_back(hdl, "idle for "
                               + std::to_string(st.opts.idle_timeout.count())
                               + " ms");
  }
  for (auto& [hdl, why] : late) {
    auto i = st.conns.find(hdl);
    if (i == st.conns.end())
      continue;
    st.log("closed the connection from " + i->second.from + ": " + why);
    drop(self, st, hdl);
  }
}

behavior guard(io::broker* self, io::doorman_ptr acceptor,
               std::shared_ptr<guard_state> st) {
  self->add_doorman(std::move(acceptor));
  self->delayed_send(self, st->tick, guard_tick_atom::value);
  return {
    [=](const io::new_connection_msg& msg) { accept(self, *st, msg.handle); },
    [=](const io::new_data_msg& msg) {
      auto i = st->conns.find(msg.handle);
      if (i == st->conns.end())
        return;
      auto& c = i->second;
      if (c.client) {
        c.last_activity = clock_type::now();
        on_client_data(self, *st, msg.handle, c, msg.buf);
        return;
      }
      auto peer = c.peer;
      if (auto j = st->conns.find(peer); j != st->conns.end())
        j->second.last_activity = clock_type::now();
      self->write(peer, msg.buf.size(), msg.buf.data());
      self->flush(peer);
    },
    [=](peer_authenticated_atom, const std::string& key) {
      if (key.empty())
        return;
      for (auto& [hdl, c] : st->conns)
        if (c.client && c.handshaken && !c.authenticated && c.node_key == key) {
          c.authenticated = true;
          c.last_activity = clock_type::now();
        }
    },
    [=](guard_tick_atom) {
      check_deadlines(self, *st);
      self->delayed_send(self, st->tick, guard_tick_atom::value);
    },
    [=](const io::connection_closed_msg& msg) { drop(self, *st, msg.handle); },
    [=](const io::acceptor_closed_msg&) { self->quit(); },
  };
}

/// Why listening on `x` failed, in the system's words when a plain socket
/// fails the same way ("Address already in use"), else CAF's.
std::string listen_failure(const endpoint& x, const error& err) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  auto port = std::to_string(x.port);
  std::string why;
  if (::getaddrinfo(x.host.c_str(), port.c_str(), &hints, &res) == 0) {
    for (auto* p = res; p != nullptr && why.empty(); p = p->ai_next) {
      auto fd = ::socket(p->ai_family, p->ai_socktype, p->ai_protocol);
      if (fd < 0)
        continue;
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      if (::bind(fd, p->ai_addr, p->ai_addrlen) != 0 || ::listen(fd, 1) != 0)
        why = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(res);
  }
  if (why.empty())
    return render_sweep_error(err);
  if (why == std::strerror(EADDRINUSE))
    why += " (another process listens on port " + port
           + "; stop it or choose another port with --listen HOST:PORT)";
  return why;
}

} // namespace

std::string node_key(actor_system& sys, const node_id& x) {
  std::vector<char> buf;
  binary_serializer sink{sys, buf};
  auto copy = x;
  if (sink(copy))
    return {};
  return std::string{buf.begin(), buf.end()};
}

expected<std::pair<actor, uint16_t>> spawn_basp_guard(actor_system& sys,
                                                      const endpoint& listen,
                                                      basp_guard_options opts) {
  auto& mm = sys.middleman();
  // SO_REUSEADDR: a worker restarted at once binds its port again although
  // its killed predecessor's connections still linger in TIME_WAIT.
  auto acceptor = mm.backend().new_tcp_doorman(listen.port, listen.host.c_str(),
                                               true);
  if (!acceptor)
    return make_error(sweep_errc::network_failed,
                      "cannot listen on " + to_string(listen) + ": "
                        + listen_failure(listen, acceptor.error()));
  auto port = (*acceptor)->port();
  auto st = std::make_shared<guard_state>();
  // Deadlines are checked 4 times per the shorter one (at most once a
  // second, at least every 10 ms).
  auto shortest = std::min(opts.handshake_timeout, opts.idle_timeout);
  st->tick = std::clamp(shortest / 4, std::chrono::milliseconds{10},
                        std::chrono::milliseconds{1000});
  st->opts = std::move(opts);
  auto hdl = mm.spawn_broker(guard, std::move(*acceptor), st);
  return std::make_pair(hdl, port);
}

} // namespace caf::consensus::sim

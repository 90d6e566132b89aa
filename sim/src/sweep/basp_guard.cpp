#include "caf/consensus/sim/sweep/basp_guard.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "caf/actor_system.hpp"
#include "caf/io/basp/header.hpp"
#include "caf/io/broker.hpp"
#include "caf/io/middleman.hpp"
#include "caf/io/network/multiplexer.hpp"
#include "caf/io/receive_policy.hpp"
#include "caf/io/system_messages.hpp"

#include "caf/consensus/sim/sweep/sweep_error.hpp"

namespace caf::consensus::sim {

namespace {

/// Largest chunk of a payload relayed at once.
constexpr size_t chunk_size = 65536;

/// The last BASP operation CAF 0.17 knows (`heartbeat`).
constexpr uint8_t last_operation = 0x06;

struct guard_conn {
  io::connection_handle peer;
  /// True for connections from clients (checked), false for the upstream
  /// side (relayed unchanged).
  bool client = false;
  /// Client side: inside a payload, and how much of it is left.
  bool in_payload = false;
  uint64_t remaining = 0;
  /// Client side: where it comes from (for the log).
  std::string from;
};

struct guard_state {
  uint16_t upstream = 0;
  uint32_t max_payload = 0;
  size_t max_connections = 0;
  std::function<void(const std::string&)> log;
  std::map<io::connection_handle, guard_conn> conns;
  size_t clients = 0;
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

void expect_header(io::broker* self, io::connection_handle hdl) {
  self->configure_read(hdl, io::receive_policy::exactly(io::basp::header_size));
}

behavior guard(io::broker* self, io::doorman_ptr acceptor,
               std::shared_ptr<guard_state> st) {
  self->add_doorman(std::move(acceptor));
  return {
    [=](const io::new_connection_msg& msg) {
      auto hdl = msg.handle;
      auto from = self->remote_addr(hdl) + ":"
                  + std::to_string(self->remote_port(hdl));
      if (st->clients >= st->max_connections) {
        if (st->log)
          st->log("refused a connection from " + from + ": "
                  + std::to_string(st->max_connections)
                  + " connections are open already");
        self->close(hdl);
        return;
      }
      auto up = self->add_tcp_scribe("127.0.0.1", st->upstream);
      if (!up) {
        if (st->log)
          st->log("dropped a connection from " + from
                  + ": cannot reach the node's BASP port: "
                  + render_sweep_error(up.error()));
        self->close(hdl);
        return;
      }
      guard_conn client;
      client.peer = *up;
      client.client = true;
      client.from = from;
      guard_conn upstream;
      upstream.peer = hdl;
      st->conns.emplace(hdl, std::move(client));
      st->conns.emplace(*up, std::move(upstream));
      ++st->clients;
      expect_header(self, hdl);
      self->configure_read(*up, io::receive_policy::at_most(chunk_size));
    },
    [=](const io::new_data_msg& msg) {
      auto i = st->conns.find(msg.handle);
      if (i == st->conns.end())
        return;
      auto& c = i->second;
      auto peer = c.peer;
      if (!c.client) {
        self->write(peer, msg.buf.size(), msg.buf.data());
        self->flush(peer);
        return;
      }
      if (!c.in_payload) {
        // A complete header (receive policy `exactly`).
        if (msg.buf.size() != io::basp::header_size) {
          drop(self, *st, msg.handle);
          return;
        }
        auto op = static_cast<uint8_t>(msg.buf[0]);
        auto len = read_u32_be(msg.buf.data() + 4);
        std::string problem;
        if (op > last_operation)
          problem = "malformed message (unknown BASP operation "
                    + std::to_string(op) + ")";
        else if (len > st->max_payload)
          problem = "oversized message (" + std::to_string(len)
                    + " bytes announced, at most "
                    + std::to_string(st->max_payload) + ")";
        if (!problem.empty()) {
          if (st->log)
            st->log("closed the connection from " + c.from + ": " + problem);
          drop(self, *st, msg.handle);
          return;
        }
        self->write(peer, msg.buf.size(), msg.buf.data());
        self->flush(peer);
        if (len > 0) {
          c.in_payload = true;
          c.remaining = len;
          self->configure_read(msg.handle,
                               io::receive_policy::at_most(
                                 std::min<uint64_t>(c.remaining, chunk_size)));
        }
        return;
      }
      // A chunk of the payload (never more than what is left of it).
      auto n = std::min<uint64_t>(msg.buf.size(), c.remaining);
      self->write(peer, n, msg.buf.data());
      self->flush(peer);
      c.remaining -= n;
      if (c.remaining == 0) {
        c.in_payload = false;
        expect_header(self, msg.handle);
      } else {
        self->configure_read(msg.handle,
                             io::receive_policy::at_most(
                               std::min<uint64_t>(c.remaining, chunk_size)));
      }
    },
    [=](const io::connection_closed_msg& msg) { drop(self, *st, msg.handle); },
    [=](const io::acceptor_closed_msg&) { self->quit(); },
  };
}

} // namespace

expected<std::pair<actor, uint16_t>>
spawn_basp_guard(actor_system& sys, const endpoint& listen, uint16_t upstream,
                 uint32_t max_payload, size_t max_connections,
                 std::function<void(const std::string&)> log) {
  auto& mm = sys.middleman();
  // SO_REUSEADDR: a worker restarted at once binds its port again although
  // its killed predecessor's connections still linger in TIME_WAIT.
  auto acceptor = mm.backend().new_tcp_doorman(listen.port, listen.host.c_str(),
                                               true);
  if (!acceptor)
    return make_error(sweep_errc::network_failed,
                      "cannot listen on " + to_string(listen) + ": "
                        + render_sweep_error(acceptor.error()));
  auto port = (*acceptor)->port();
  auto st = std::make_shared<guard_state>();
  st->upstream = upstream;
  st->max_payload = max_payload;
  st->max_connections = max_connections;
  st->log = std::move(log);
  auto hdl = mm.spawn_broker(guard, std::move(*acceptor), st);
  return std::make_pair(hdl, port);
}

} // namespace caf::consensus::sim

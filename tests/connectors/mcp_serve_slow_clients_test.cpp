// Tests: consensus-sim mcp-serve --http against clients that connect and
// then send nothing, or drip their request a byte at a time (slowloris):
// an honest initialize still gets its answer at once, and a request that is
// not complete within the deadline (5 s) is closed (suite
// mcp_serve_slow_clients).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "caf/consensus/connectors/all.hpp"
#include "cli_helpers.hpp"

using namespace caf::consensus;
using namespace caf::consensus::connectors;
using namespace std::chrono_literals;
using test::has;

namespace {

/// How long an honest initialize may take while the server is under attack.
constexpr std::chrono::milliseconds honest_budget{2000};

/// The request deadline of the server (http_front_limits::request_timeout).
constexpr auto request_deadline = 5s;

/// consensus-sim mcp-serve --http on a free loopback port. Initialize needs
/// no agent, so the agent is a command that never runs.
class sim_server {
public:
  sim_server() {
    auto p = process::spawn({CAF_CONSENSUS_SIM, "mcp-serve", "--agent",
                             "a=mcp+stdio:true", "--rounds", "0", "--http",
                             "127.0.0.1:0"});
    if (!p) {
      ADD_FAILURE() << error_text(p.error());
      return;
    }
    proc_.emplace(std::move(*p));
    // The address is on stderr.
    auto deadline = clock_type::now() + 30s;
    while (url_.empty() && clock_type::now() < deadline) {
      static_cast<void>(proc_->read_some(clock_type::now() + 50ms));
      proc_->drain_stderr();
      auto& err = proc_->stderr_tail();
      auto at = err.find("listening on ");
      if (at != std::string::npos && err.find('\n', at) != std::string::npos)
        url_ = err.substr(at + 13, err.find('\n', at) - at - 13);
    }
    auto colon = url_.rfind(':');
    if (colon != std::string::npos)
      port_ = std::stoi(url_.substr(colon + 1));
  }

  ~sim_server() {
    if (!proc_)
      return;
    proc_->signal_group(SIGTERM);
    EXPECT_TRUE(proc_->wait_until(clock_type::now() + 10s));
    EXPECT_EQ(proc_->exit_code().value_or(-1), 0) << proc_->exit_description();
  }

  bool ok() const {
    return port_ > 0;
  }

  int port() const {
    return port_;
  }

  /// Sends initialize and expects its answer within `honest_budget`.
  void initialize(const std::string& when) {
    SCOPED_TRACE("honest initialize " + when);
    http_session http;
    http_request req;
    req.url = url_;
    req.headers = {{"Content-Type", "application/json"},
                   {"Accept", "application/json, text/event-stream"}};
    req.body = json_rpc::make_request(1, "initialize",
                                      {{"protocolVersion", "2025-06-18"},
                                       {"capabilities", json::object()}})
                 .dump();
    auto start = clock_type::now();
    req.deadline = start + honest_budget;
    auto res = http.perform(req);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      clock_type::now() - start);
    ASSERT_TRUE(res) << error_text(res.error());
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_TRUE(has(res->body, "protocolVersion")) << res->body;
    EXPECT_LT(took.count(), honest_budget.count()) << "ms";
  }

private:
  std::optional<process> proc_;
  std::string url_;
  int port_ = -1;
};

/// A raw client socket.
struct raw_client {
  int fd = -1;
  bool closed = false;
  /// What the server sent.
  std::string in;

  raw_client() = default;
  raw_client(raw_client&& other) noexcept
    : fd(std::exchange(other.fd, -1)),
      closed(other.closed),
      in(std::move(other.in)) {
    // Nothing.
  }
  ~raw_client() {
    if (fd >= 0)
      ::close(fd);
  }

  /// Sends `bytes`; a server that closed makes this a no-op, not a signal.
  void send(const std::string& bytes) {
    if (!closed)
      static_cast<void>(
        ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT));
  }

  /// Reads what arrived; notes the end of the connection.
  void receive() {
    char buf[4096];
    for (;;) {
      auto n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
      if (n > 0) {
        in.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
        closed = true;
      return;
    }
  }
};

/// Opens `n` connections to 127.0.0.1:`port` without blocking, then waits
/// (at most 10 s) until the handshakes are done.
std::vector<raw_client> connect_many(int port, size_t n) {
  std::vector<raw_client> out;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (size_t i = 0; i < n; ++i) {
    raw_client c;
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      ADD_FAILURE() << "socket: " << errno;
      break;
    }
    auto rc = ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    if (rc != 0 && errno != EINPROGRESS)
      ADD_FAILURE() << "connect: " << errno;
    out.push_back(std::move(c));
  }
  auto deadline = clock_type::now() + 10s;
  std::vector<pollfd> fds;
  for (auto& c : out)
    fds.push_back({c.fd, POLLOUT, 0});
  size_t done = 0;
  while (done < fds.size() && clock_type::now() < deadline) {
    if (::poll(fds.data(), fds.size(), 100) <= 0)
      continue;
    for (auto& p : fds)
      if (p.revents != 0) {
        p.events = 0; // connected (or refused): stop watching it
        p.fd = -1;
        ++done;
      }
  }
  EXPECT_EQ(done, n) << "connections still in their handshake";
  return out;
}

/// Waits up to `until` for any of `cs` to have data or be closed, then
/// reads from each.
void wait_and_receive(std::vector<raw_client*> cs,
                      clock_type::time_point until) {
  std::vector<pollfd> fds;
  for (auto* c : cs)
    fds.push_back({c->closed ? -1 : c->fd, POLLIN, 0});
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    until - clock_type::now());
  if (left.count() > 0)
    ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
  for (auto* c : cs)
    if (!c->closed)
      c->receive();
}

/// The start of a request, without its end.
const std::string partial_head = "POST /mcp HTTP/1.1\r\n"
                                 "Host: 127.0.0.1\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Accept: application/json\r\n";

} // namespace

TEST(mcp_serve_slow_clients, idle_connections_do_not_block_initialize) {
  sim_server srv;
  ASSERT_TRUE(srv.ok());
  auto idle = connect_many(srv.port(), 300);
  srv.initialize("with 300 idle connections open");
  // And once more, after the server had time to look at all of them.
  srv.initialize("again");
}

TEST(mcp_serve_slow_clients, half_sent_headers_do_not_block_initialize) {
  sim_server srv;
  ASSERT_TRUE(srv.ok());
  auto half = connect_many(srv.port(), 300);
  for (auto& c : half)
    c.send(partial_head);
  srv.initialize("with 300 half-sent requests open");
  srv.initialize("again");
}

TEST(mcp_serve_slow_clients, drippers_do_not_block_initialize) {
  // 16 clients send their request a byte every 2 s, for 6 s; an honest
  // client initializes after 1 s and after 4 s, while they drip.
  sim_server srv;
  ASSERT_TRUE(srv.ok());
  auto drippers = connect_many(srv.port(), 16);
  std::vector<raw_client*> all;
  for (auto& c : drippers)
    all.push_back(&c);
  auto start = clock_type::now();
  std::vector<std::chrono::seconds> honest_at{1s, 4s};
  size_t next_honest = 0;
  size_t sent = 0;
  auto next_drip = start;
  while (clock_type::now() < start + 6s) {
    auto now = clock_type::now();
    if (now >= next_drip) {
      for (auto* c : all)
        c->send(partial_head.substr(sent % partial_head.size(), 1));
      ++sent;
      next_drip += 2s;
    }
    if (next_honest < honest_at.size()
        && now >= start + honest_at[next_honest]) {
      srv.initialize("after " + std::to_string(honest_at[next_honest].count())
                     + " s of dripping");
      ++next_honest;
      continue;
    }
    auto wake = next_drip;
    if (next_honest < honest_at.size())
      wake = std::min(wake, start + honest_at[next_honest]);
    wait_and_receive(all, std::min(wake, start + 6s));
  }
  EXPECT_EQ(next_honest, honest_at.size());
}

TEST(mcp_serve_slow_clients, slow_requests_are_closed_at_the_deadline) {
  // One client drips its headers, one its body, a byte per second (so no
  // single read waits long); both must be cut off at the request deadline,
  // with a 408, however steadily they send.
  sim_server srv;
  ASSERT_TRUE(srv.ok());
  auto cs = connect_many(srv.port(), 2);
  ASSERT_EQ(cs.size(), 2u);
  auto& slow_head = cs[0];
  auto& slow_body = cs[1];
  auto start = clock_type::now();
  slow_body.send(partial_head + "Content-Length: 100\r\n\r\n");
  std::vector<raw_client*> all{&slow_head, &slow_body};
  std::vector<std::chrono::milliseconds> closed_after(2, 0ms);
  auto limit = start + request_deadline + 5s;
  auto next_drip = start;
  size_t sent = 0;
  while (clock_type::now() < limit && !(slow_head.closed && slow_body.closed)) {
    if (clock_type::now() >= next_drip) {
      slow_head.send(partial_head.substr(sent % partial_head.size(), 1));
      slow_body.send("{");
      ++sent;
      next_drip += 1s;
    }
    wait_and_receive(all, std::min(next_drip, limit));
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i]->closed && closed_after[i] == 0ms)
        closed_after[i] = std::chrono::duration_cast<std::chrono::milliseconds>(
          clock_type::now() - start);
  }
  for (size_t i = 0; i < all.size(); ++i) {
    SCOPED_TRACE(i == 0 ? "slow headers" : "slow body");
    EXPECT_TRUE(all[i]->closed) << "still open after " << sent << " bytes";
    EXPECT_TRUE(has(all[i]->in, "HTTP/1.1 408")) << all[i]->in;
    // Not before the deadline, and soon after it.
    auto deadline_ms = std::chrono::milliseconds{request_deadline}.count();
    EXPECT_GE(closed_after[i].count(), deadline_ms - 500);
    EXPECT_LT(closed_after[i].count(), deadline_ms + 3000);
  }
  srv.initialize("after the slow requests");
}

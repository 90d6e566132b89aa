// consensus-sim: the front door of `mcp-serve --http`: a poll() loop over
// non-blocking sockets. Each connection goes reading -> busy (a handler
// thread has the request) -> writing -> lingering -> closed; every phase
// but busy has a deadline, so no client can hold a connection open forever.

#include "cli/http_front.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/http_request_reader.hpp"

namespace caf::consensus::cli {

namespace {

using front_clock = std::chrono::steady_clock;
using front_time = front_clock::time_point;

/// Connections accepted per turn of the loop. Reading the connections we
/// have before accepting more lets a client that connected amid a flood of
/// new connections get its request in before the flood makes it the oldest.
constexpr int max_accepts_per_turn = 16;

/// Reads (of up to 16 KiB) from one connection per turn, so one fast sender
/// cannot starve the others.
constexpr int max_reads_per_turn = 4;

const char* http_reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

bool header_is(const std::string& x, const char* y) {
  auto n = std::char_traits<char>::length(y);
  if (x.size() != n)
    return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(x[i])) != y[i])
      return false;
  return true;
}

/// Renders `res` as an HTTP/1.1 message that ends the connection.
std::string to_http_message(const httplib::Response& res) {
  auto status = res.status >= 100 && res.status <= 999 ? res.status : 500;
  std::string out = "HTTP/1.1 " + std::to_string(status) + " "
                    + http_reason_phrase(status) + "\r\n";
  for (auto& [key, value] : res.headers) {
    // We frame the message ourselves; a line break would split a header.
    if (header_is(key, "content-length") || header_is(key, "connection")
        || (key + value).find_first_of("\r\n") != std::string::npos)
      continue;
    out += key + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(res.body.size())
         + "\r\nConnection: close\r\n\r\n";
  out += res.body;
  return out;
}

/// The address a connection counts against: IPv4 addresses (also when
/// mapped into IPv6) alone, IPv6 addresses by /64, the usual share of one
/// host.
std::string http_peer_key(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    auto& a = reinterpret_cast<const sockaddr_in&>(ss).sin_addr;
    return "4" + std::string{reinterpret_cast<const char*>(&a), 4};
  }
  if (ss.ss_family == AF_INET6) {
    auto& a = reinterpret_cast<const sockaddr_in6&>(ss).sin6_addr;
    auto* bytes = reinterpret_cast<const char*>(&a);
    if (IN6_IS_ADDR_V4MAPPED(&a))
      return "4" + std::string{bytes + 12, 4};
    return "6" + std::string{bytes, 8};
  }
  return "?";
}

} // namespace

struct http_front::impl {
  /// Where a connection is in its life (see the top of this file).
  enum class phase { reading, busy, writing, lingering };

  struct connection {
    connection(int fd, std::string peer, http_request_reader reader)
      : fd(fd), peer(std::move(peer)), reader(std::move(reader)) {
      // Nothing.
    }
    int fd;
    std::string peer;
    phase state = phase::reading;
    front_time deadline;
    http_request_reader reader;
    std::string out;
    size_t written = 0;
  };

  http_front_limits limits;
  int listener = -1;
  int wake[2] = {-1, -1};
  std::atomic<bool> stopping{false};
  bool draining = false;
  front_time accept_paused_until;
  uint64_t next_id = 1;
  /// By id, that is by age: the first match is the oldest.
  std::map<uint64_t, connection> conns;
  std::map<std::string, size_t> reading_per_peer;
  std::unique_ptr<http_workers> workers;

  void set_phase(connection& c, phase p) {
    if (c.state == phase::reading && p != phase::reading)
      if (--reading_per_peer[c.peer] == 0)
        reading_per_peer.erase(c.peer);
    c.state = p;
  }

  void close_conn(uint64_t id) {
    auto i = conns.find(id);
    if (i == conns.end())
      return;
    set_phase(i->second, phase::lingering);
    ::close(i->second.fd);
    conns.erase(i);
  }

  /// Closes the oldest connection that matches `pred`; false if none does.
  template <class Pred>
  bool evict_oldest(Pred pred) {
    for (auto& [id, c] : conns)
      if (pred(c)) {
        close_conn(id);
        return true;
      }
    return false;
  }

  void start_writing(connection& c, std::string out, front_time now) {
    set_phase(c, phase::writing);
    c.out = std::move(out);
    c.written = 0;
    c.deadline = now + limits.write_timeout;
  }

  void answer_error(connection& c, int status, const std::string& text,
                    front_time now) {
    httplib::Response res;
    res.status = status;
    res.set_content(text + "\n", "text/plain");
    start_writing(c, to_http_message(res), now);
  }

  void on_readable(uint64_t id, connection& c, front_time now) {
    char buf[16384];
    for (int i = 0; i < max_reads_per_turn; ++i) {
      auto got = ::recv(c.fd, buf, sizeof(buf), 0);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (got <= 0) // the client left (or the connection broke)
        return close_conn(id);
      if (c.state == phase::lingering)
        continue; // discard what follows the request
      auto st = c.reader.feed(buf, static_cast<size_t>(got));
      if (c.reader.take_continue()) {
        // A small first write on a fresh connection does not block.
        static constexpr char interim[] = "HTTP/1.1 100 Continue\r\n\r\n";
        [[maybe_unused]] auto n = ::send(c.fd, interim, sizeof(interim) - 1,
                                         MSG_NOSIGNAL);
      }
      if (st == http_request_reader::state::complete) {
        set_phase(c, phase::busy);
        workers->submit(id, c.reader.take_request());
        return;
      }
      if (st == http_request_reader::state::failed)
        return answer_error(c, c.reader.error_status(), c.reader.error_text(),
                            now);
    }
  }

  void on_writable(uint64_t id, connection& c, front_time now) {
    while (c.written < c.out.size()) {
      auto n = ::send(c.fd, c.out.data() + c.written, c.out.size() - c.written,
                      MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n <= 0)
        return close_conn(id);
      c.written += static_cast<size_t>(n);
    }
    if (draining)
      return close_conn(id);
    // Half-close and wait for the client to close: closing now would reset
    // the connection if it sent anything more, and the reset may destroy
    // the response before the client read it.
    ::shutdown(c.fd, SHUT_WR);
    c.out.clear();
    c.out.shrink_to_fit();
    set_phase(c, phase::lingering);
    c.deadline = now + limits.linger_timeout;
  }

  void on_deadline(uint64_t id, connection& c, front_time now) {
    if (c.state == phase::reading && c.reader.started())
      return answer_error(c, 408,
                          "request not complete within "
                            + std::to_string(limits.request_timeout.count())
                            + " ms",
                          now);
    close_conn(id);
  }

  void accept_some(front_time now) {
    for (int i = 0; i < max_accepts_per_turn; ++i) {
      sockaddr_storage ss{};
      socklen_t len = sizeof(ss);
      auto fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&ss), &len,
                          SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
          continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS
            || errno == ENOMEM) {
          // Out of descriptors: make room, or stop accepting for a moment
          // instead of spinning on a listener that stays readable.
          if (!evict_oldest([](auto& c) { return c.state != phase::busy; }))
            accept_paused_until = now + std::chrono::milliseconds{100};
        }
        return;
      }
      auto peer = http_peer_key(ss);
      auto count = reading_per_peer.find(peer);
      if (count != reading_per_peer.end()
          && count->second >= limits.max_reading_per_address)
        evict_oldest(
          [&](auto& c) { return c.state == phase::reading && c.peer == peer; });
      if (conns.size() >= limits.max_connections
          && !evict_oldest([](auto& c) { return c.state != phase::busy; })) {
        ::close(fd); // every slot waits for a handler
        continue;
      }
      auto id = next_id++;
      auto& c = conns
                  .emplace(std::piecewise_construct, std::forward_as_tuple(id),
                           std::forward_as_tuple(
                             fd, peer,
                             http_request_reader{limits.max_header_bytes,
                                                 limits.max_body_bytes}))
                  .first->second;
      c.deadline = now + limits.request_timeout;
      ++reading_per_peer[peer];
      // Read at once: an honest client sends its request right after
      // connecting, so it is usually complete here, and then no connection
      // accepted after it can evict it.
      on_readable(id, c, now);
    }
  }

  /// Stops accepting, drops what no handler has started and keeps the
  /// connections whose handler runs or whose response is on its way.
  void start_draining() {
    draining = true;
    if (listener >= 0) {
      ::close(listener);
      listener = -1;
    }
    for (auto id : workers->drop_queued())
      close_conn(id);
    std::vector<uint64_t> idle;
    for (auto& [id, c] : conns)
      if (c.state == phase::reading || c.state == phase::lingering)
        idle.push_back(id);
    for (auto id : idle)
      close_conn(id);
  }

  void take_results(front_time now) {
    char buf[256];
    while (::read(wake[0], buf, sizeof(buf)) > 0) {
      // Drain: one pass over the results covers every byte.
    }
    for (auto& r : workers->take()) {
      auto i = conns.find(r.id);
      if (i != conns.end() && i->second.state == phase::busy)
        start_writing(i->second, to_http_message(r.res), now);
    }
  }

  void loop() {
    std::vector<pollfd> fds;
    std::vector<uint64_t> ids;
    for (;;) {
      auto now = front_clock::now();
      if (stopping && !draining)
        start_draining();
      if (draining && conns.empty())
        return;
      fds.clear();
      ids.clear();
      fds.push_back({wake[0], POLLIN, 0});
      auto accepting = listener >= 0 && now >= accept_paused_until;
      if (accepting)
        fds.push_back({listener, POLLIN, 0});
      auto next = now + std::chrono::seconds{1};
      if (!accepting && listener >= 0)
        next = std::min(next, accept_paused_until);
      for (auto& [id, c] : conns) {
        if (c.state == phase::busy)
          continue;
        short events = c.state == phase::writing ? POLLOUT : POLLIN;
        fds.push_back({c.fd, events, 0});
        ids.push_back(id);
        next = std::min(next, c.deadline);
      }
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
      auto rc = ::poll(fds.data(), fds.size(),
                       static_cast<int>(std::max<int64_t>(0, wait.count())));
      if (rc < 0 && errno != EINTR)
        return;
      now = front_clock::now();
      take_results(now);
      auto first_conn = accepting ? 2u : 1u;
      for (size_t k = first_conn; k < fds.size(); ++k) {
        auto i = conns.find(ids[k - first_conn]);
        if (i == conns.end() || fds[k].revents == 0)
          continue;
        if (i->second.state == phase::writing)
          on_writable(i->first, i->second, now);
        else
          on_readable(i->first, i->second, now);
      }
      std::vector<uint64_t> expired;
      for (auto& [id, c] : conns)
        if (c.state != phase::busy && c.deadline <= now)
          expired.push_back(id);
      for (auto id : expired)
        if (auto i = conns.find(id); i != conns.end())
          on_deadline(id, i->second, now);
      if (accepting && (fds[1].revents & POLLIN) != 0)
        accept_some(now);
    }
  }
};

http_front::http_front(http_handler fn, http_front_limits limits)
  : impl_(std::make_unique<impl>()) {
  impl_->limits = limits;
  if (::pipe2(impl_->wake, O_NONBLOCK | O_CLOEXEC) != 0)
    impl_->wake[0] = impl_->wake[1] = -1;
  impl_->workers = std::make_unique<http_workers>(
    limits.handler_threads, std::move(fn), impl_->wake[1]);
}

http_front::~http_front() {
  impl_->workers->stop();
  for (auto& [id, c] : impl_->conns)
    ::close(c.fd);
  for (auto fd : {impl_->listener, impl_->wake[0], impl_->wake[1]})
    if (fd >= 0)
      ::close(fd);
}

int http_front::bind(const std::string& host, int port) {
  if (impl_->wake[0] < 0)
    return -1;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  auto service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(),
                    &hints, &found)
      != 0)
    return -1;
  int fd = -1;
  for (auto* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                  ai->ai_protocol);
    if (fd < 0)
      continue;
    int yes = 1;
    int no = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    // Like cpp-httplib: "::" accepts IPv4 clients too.
    if (ai->ai_family == AF_INET6)
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof(no));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0
        || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0)
    return -1;
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  impl_->listener = fd;
  if (ss.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6&>(ss).sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in&>(ss).sin_port);
}

void http_front::run() {
  if (impl_->listener < 0)
    return;
  impl_->loop();
  impl_->workers->stop();
}

void http_front::stop() {
  impl_->stopping = true;
  char byte = 1;
  [[maybe_unused]] auto ignored = ::write(impl_->wake[1], &byte, 1);
}

} // namespace caf::consensus::cli

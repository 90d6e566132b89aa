// caf-consensus sim: the stdio transport of `consensus-sim mcp-serve`:
// newline-delimited JSON-RPC, tool calls on threads of their own.

#include "cli/mcp_transport.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/transport.hpp"

namespace caf::consensus::cli {

using connectors::json;
namespace json_rpc = connectors::json_rpc;

int serve_stdio(connectors::mcp_server& srv) {
  std::mutex out_mtx;
  auto write = [&](const json& x) {
    std::lock_guard<std::mutex> guard{out_mtx};
    std::cout << x.dump(-1, ' ', false, json::error_handler_t::replace) << '\n'
              << std::flush;
  };
  struct worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<worker> workers;
  auto reap = [&](bool all) {
    for (auto i = workers.begin(); i != workers.end();) {
      if (all || *i->done) {
        i->thread.join();
        i = workers.erase(i);
      } else {
        ++i;
      }
    }
  };
  auto dispatch = [&](std::string line) {
    auto msg = json_rpc::parse_json(line);
    if (!msg) {
      write(json_rpc::make_error_response(nullptr, json_rpc::parse_error,
                                          connectors::error_text(msg.error())));
      return;
    }
    // Tool calls run on their own thread so that pings and other calls are
    // answered meanwhile.
    if (msg->is_object() && msg->value("method", "") == "tools/call") {
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers.push_back({std::thread{[&srv, &write, done, m = std::move(*msg)] {
                           if (auto r = srv.handle(m))
                             write(*r);
                           *done = true;
                         }},
                         done});
      return;
    }
    if (auto r = srv.handle(*msg))
      write(*r);
  };
  std::string buf;
  bool skipping = false; // discarding the rest of an oversized line
  char chunk[65536];
  for (;;) {
    auto n = ::read(0, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    reap(false);
    size_t pos = 0;
    auto len = static_cast<size_t>(n);
    while (pos < len) {
      auto* nl = static_cast<char*>(std::memchr(chunk + pos, '\n', len - pos));
      auto end = nl != nullptr ? static_cast<size_t>(nl - chunk) : len;
      if (!skipping)
        buf.append(chunk + pos, end - pos);
      if (buf.size() > max_request_bytes && !skipping) {
        write(json_rpc::make_error_response(
          nullptr, json_rpc::invalid_request,
          "message larger than " + std::to_string(max_request_bytes)
            + " bytes"));
        buf.clear();
        skipping = true;
      }
      if (nl == nullptr)
        break;
      pos = end + 1;
      if (skipping) {
        skipping = false;
        continue;
      }
      auto line = std::move(buf);
      buf.clear();
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos)
        dispatch(std::move(line));
    }
  }
  // End of input: the client is gone; finish what runs, then exit.
  reap(true);
  return 0;
}

} // namespace caf::consensus::cli

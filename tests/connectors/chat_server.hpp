// A local OpenAI-compatible chat server for tests (cpp-httplib on 127.0.0.1
// with a free port): it answers POST /v1/chat/completions from a script of
// replies and records every request.

#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace caf::consensus::test {

/// One scripted reply.
struct chat_reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0};
};

/// Returns a chat completion body with `text` as the answer.
inline std::string completion(const std::string& text) {
  return nlohmann::json{
    {"id", "chatcmpl-test"},
    {"object", "chat.completion"},
    {"choices", nlohmann::json::array(
                  {{{"index", 0},
                    {"message", {{"role", "assistant"}, {"content", text}}},
                    {"finish_reason", "stop"}}})}}
    .dump();
}

/// A recorded request.
struct chat_request {
  std::string authorization;
  nlohmann::json body;
  std::chrono::steady_clock::time_point at;
};

class chat_server {
public:
  chat_server() {
    srv_.Post("/v1/chat/completions", [this](const httplib::Request& req,
                                             httplib::Response& res) {
      chat_reply reply;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        requests_.push_back({req.get_header_value("Authorization"),
                             nlohmann::json::parse(req.body, nullptr, false),
                             std::chrono::steady_clock::now()});
        if (!script_.empty()) {
          reply = script_.front();
          script_.pop_front();
        } else {
          reply = fallback_;
        }
      }
      if (reply.delay.count() > 0) {
        // A delayed reply ends early when the server shuts down, so a test
        // may script a stall far longer than any deadline it checks.
        std::unique_lock<std::mutex> guard{mtx_};
        stopped_.wait_for(guard, reply.delay, [this] { return stopping_; });
      }
      res.status = reply.status;
      for (auto& [k, v] : reply.headers)
        res.set_header(k, v);
      res.set_content(reply.body, "application/json");
    });
    port_ = srv_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread{[this] { srv_.listen_after_bind(); }};
    // Bound already: connections queue until the loop runs; wait for it
    // anyway so that the first request is not raced.
    for (int i = 0; i < 500 && !srv_.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
  }

  ~chat_server() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopping_ = true;
    }
    stopped_.notify_all();
    srv_.stop();
    thread_.join();
  }

  /// Returns the API base URL (`http://127.0.0.1:PORT/v1`).
  std::string base() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
  }

  void push(chat_reply x) {
    std::lock_guard<std::mutex> guard{mtx_};
    script_.push_back(std::move(x));
  }

  /// The reply once the script is used up.
  void fallback(chat_reply x) {
    std::lock_guard<std::mutex> guard{mtx_};
    fallback_ = std::move(x);
  }

  std::vector<chat_request> requests() {
    std::lock_guard<std::mutex> guard{mtx_};
    return requests_;
  }

private:
  httplib::Server srv_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mtx_;
  std::condition_variable stopped_;
  bool stopping_ = false;
  std::deque<chat_reply> script_;
  chat_reply fallback_{200, completion("fallback answer"), {}, {}};
  std::vector<chat_request> requests_;
};

} // namespace caf::consensus::test

#include "caf/consensus/connectors/openai_agent.hpp"

#include <cmath>
#include <cstdlib>
#include <thread>

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

bool retryable(long status) {
  return status == 408 || status == 409 || status == 429 || status >= 500;
}

} // namespace

// -- openai_agent
// -----------------------------------------------------------------

error openai_agent::validate() const {
  auto who = "agent '" + id + "'";
  if (id.empty())
    return make_error(errc::empty_participant_id, "an OpenAI agent has no id");
  if (!is_http_url(base_url))
    return make_error(errc::invalid_params,
                      who + ": base URL " + json_rpc::snippet(base_url, 200)
                        + " is not an http:// or https:// URL");
  if (model.empty())
    return make_error(errc::invalid_params, who + ": no model given");
  if (temperature
      && (!std::isfinite(*temperature) || *temperature < 0 || *temperature > 2))
    return make_error(errc::invalid_params,
                      who + ": temperature must be in [0, 2]");
  if (max_tokens < 0)
    return make_error(errc::invalid_params,
                      who + ": max_tokens must not be negative");
  if (max_retries < 0 || max_retries > 20)
    return make_error(errc::invalid_params,
                      who + ": max_retries must be in [0, 20]");
  if (backoff_ms < 0 || max_backoff_ms < 0 || timeout_ms < 0)
    return make_error(errc::invalid_params,
                      who + ": delays and timeouts must not be negative");
  for (auto& [k, v] : headers)
    if (k.empty() || k.find_first_of(" :\r\n") != std::string::npos
        || v.find_first_of("\r\n") != std::string::npos)
      return make_error(errc::invalid_params,
                        who + ": invalid HTTP header " + json_rpc::snippet(k));
  return {};
}

std::string openai_agent::describe() const {
  return "openai: " + base_url + "#" + model;
}

json chat_request_body(const openai_agent& cfg, const std::string& prompt) {
  json messages = json::array();
  if (!cfg.system.empty())
    messages.push_back({{"role", "system"}, {"content", cfg.system}});
  messages.push_back({{"role", "user"}, {"content", prompt}});
  json body{{"model", cfg.model}, {"messages", std::move(messages)}};
  if (cfg.temperature)
    body["temperature"] = *cfg.temperature;
  if (cfg.max_tokens > 0)
    body["max_tokens"] = cfg.max_tokens;
  return body;
}

expected<std::string> parse_chat_completion(const std::string& body) {
  auto bad = [](const std::string& why) {
    return make_error(errc::malformed_input,
                      "malformed chat completion: " + why);
  };
  auto parsed = json_rpc::parse_json(body);
  if (!parsed)
    return bad(error_text(parsed.error()));
  auto& x = *parsed;
  if (!x.is_object())
    return bad("not a JSON object");
  if (auto e = x.find("error"); e != x.end() && !e->is_null())
    return make_error(errc::execute_failed, "the API reported an error: "
                                              + json_rpc::error_text(body));
  auto choices = x.find("choices");
  if (choices == x.end() || !choices->is_array())
    return bad("no 'choices' array");
  if (choices->empty())
    return bad("'choices' is empty");
  auto& c0 = (*choices)[0];
  if (!c0.is_object() || !c0.contains("message") || !c0["message"].is_object())
    return bad("choices[0] has no 'message' object");
  auto& msg = c0["message"];
  auto content = msg.find("content");
  if (content == msg.end() || content->is_null()) {
    if (auto r = msg.find("refusal"); r != msg.end() && r->is_string())
      return make_error(errc::execute_failed,
                        "the model refused: " + r->get<std::string>());
    return bad("choices[0].message has no content");
  }
  if (content->is_string())
    return content->get<std::string>();
  if (content->is_array()) {
    std::string text;
    for (auto& part : *content)
      if (part.is_object() && part.value("type", "") == "text"
          && part.contains("text") && part["text"].is_string())
        text += part["text"].get<std::string>();
    return text;
  }
  return bad("choices[0].message.content is neither a string nor an array");
}

uint64_t chat_completion_tokens(const std::string& body) {
  auto parsed = json_rpc::parse_json(body);
  if (!parsed || !parsed->is_object())
    return 0;
  auto usage = parsed->find("usage");
  if (usage == parsed->end() || !usage->is_object())
    return 0;
  auto total = usage->find("total_tokens");
  if (total == usage->end() || !total->is_number_unsigned())
    return 0;
  return total->get<uint64_t>();
}

// -- openai_agent_connection
// --------------------------------------------------------

openai_agent_connection::openai_agent_connection(openai_agent cfg,
                                                 int64_t default_timeout_ms)
  : cfg_(std::move(cfg)),
    timeout_ms_(cfg_.timeout_ms > 0 ? cfg_.timeout_ms : default_timeout_ms) {
  if (timeout_ms_ <= 0)
    timeout_ms_ = 60000;
}

openai_agent_connection::~openai_agent_connection() {
  // nop
}

result openai_agent_connection::execute(const request& req) {
  auto start = clock_type::now();
  auto deadline = start + std::chrono::milliseconds{timeout_ms_};
  auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
             clock_type::now() - start)
      .count();
  };
  attempts_ = 0;
  auto fail = [&](std::string what, bool timed_out = false) {
    auto r = make_failure(cfg_.id, req.round, std::move(what), elapsed());
    r.timed_out = timed_out;
    return r;
  };
  if (auto err = cfg_.validate())
    return fail(error_text(err));
  http_headers hs{{"Content-Type", "application/json"},
                  {"Accept", "application/json"}};
  auto key_var = cfg_.api_key_env.empty() ? std::string{"OPENAI_API_KEY"}
                                          : cfg_.api_key_env;
  auto* key = std::getenv(key_var.c_str());
  if (key != nullptr && *key != '\0')
    hs.emplace_back("Authorization", std::string{"Bearer "} + key);
  else if (!cfg_.api_key_env.empty())
    return fail("environment variable " + cfg_.api_key_env
                + " (API key) is not set or empty");
  for (auto& h : cfg_.headers)
    hs.push_back(h);
  if (!http_)
    http_ = std::make_unique<http_session>();
  auto url = cfg_.base_url;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  url += "/chat/completions";
  http_request hreq;
  hreq.method = "POST";
  hreq.url = url;
  hreq.headers = std::move(hs);
  hreq.body = chat_request_body(cfg_, req.prompt)
                .dump(-1, ' ', false, json::error_handler_t::replace);
  hreq.deadline = deadline;
  hreq.max_body_bytes = cfg_.max_response_bytes;
  for (int32_t attempt = 0;; ++attempt) {
    attempts_ = attempt + 1;
    std::string why;
    int64_t retry_after = -1;
    bool again = true;
    auto resp = http_->perform(hreq);
    if (!resp) {
      if (is_timeout(resp.error()))
        return fail(error_text(resp.error()) + " (attempt "
                      + std::to_string(attempts_) + ")",
                    true);
      why = error_text(resp.error());
    } else if (resp->status >= 200 && resp->status < 300) {
      auto text = parse_chat_completion(resp->body);
      if (text) {
        auto r = make_ok(cfg_.id, std::move(*text), elapsed(), req.round);
        r.tokens = chat_completion_tokens(resp->body);
        return r;
      }
      why = error_text(text.error());
      // An error object in a 200 reply is not worth retrying.
      again = text.error().code()
              == static_cast<uint8_t>(errc::malformed_input);
    } else {
      why = "HTTP " + std::to_string(resp->status) + " from " + url + ": "
            + json_rpc::error_text(resp->body);
      again = retryable(resp->status);
      retry_after = parse_retry_after(resp->header("retry-after"));
    }
    auto attempts_text = " (" + std::to_string(attempts_) + " attempt"
                         + (attempts_ == 1 ? "" : "s") + ")";
    if (!again || attempt >= cfg_.max_retries)
      return fail(why + attempts_text);
    if (retry_after == retry_after_unusable)
      return fail(why + attempts_text + "; giving up: its Retry-After '"
                  + resp->header("retry-after").substr(0, 40)
                  + "' is negative or too large to wait for");
    auto delay = retry_after >= 0
                   ? retry_after
                   : std::min(cfg_.backoff_ms << std::min(attempt, 20),
                              cfg_.max_backoff_ms);
    auto left = remaining_ms(deadline);
    if (delay >= left)
      return fail(why + attempts_text + "; giving up: the next try would be "
                  + std::to_string(delay) + " ms away but only "
                  + std::to_string(left) + " ms are left");
    std::this_thread::sleep_for(std::chrono::milliseconds{delay});
  }
}

agent_ptr make_agent(openai_agent cfg, int64_t default_timeout_ms) {
  return std::make_unique<openai_agent_connection>(std::move(cfg),
                                                   default_timeout_ms);
}

} // namespace caf::consensus::connectors

#include "caf/consensus/connectors/mcp_agent.hpp"

#include <cstdlib>

#include "caf/consensus/connectors/http.hpp"
#include "caf/consensus/connectors/http_transport.hpp"
#include "caf/consensus/connectors/stdio_transport.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

std::string join(const std::vector<std::string>& xs,
                 const std::string& sep = " ") {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : sep) + x;
  return out;
}

bool valid_header_name(const std::string& x) {
  if (x.empty())
    return false;
  for (auto c : x)
    if (c <= ' ' || c == ':' || c == 0x7f)
      return false;
  return true;
}

} // namespace

const std::vector<std::string>& default_tool_names() {
  static const std::vector<std::string> names{"think", "respond", "discuss",
                                              "agent"};
  return names;
}

// -- mcp_agent
// ------------------------------------------------------------------

error mcp_agent::validate() const {
  auto who = "agent '" + id + "'";
  if (id.empty())
    return make_error(errc::empty_participant_id, "an MCP agent has no id");
  if (command.empty() == endpoint.empty())
    return make_error(errc::invalid_params,
                      who
                        + " needs exactly one of a command (stdio) and an "
                          "endpoint (HTTP)");
  if (!command.empty() && command[0].empty())
    return make_error(errc::invalid_params, who + " has an empty program");
  if (!endpoint.empty() && !is_http_url(endpoint))
    return make_error(errc::invalid_params,
                      who + ": endpoint " + json_rpc::snippet(endpoint, 200)
                        + " is not an http:// or https:// URL");
  for (auto& [k, v] : headers) {
    if (!valid_header_name(k))
      return make_error(errc::invalid_params, who
                                                + ": invalid HTTP header name "
                                                + json_rpc::snippet(k));
    if (v.find_first_of("\r\n") != std::string::npos)
      return make_error(errc::invalid_params,
                        who + ": HTTP header '" + k
                          + "' has a line break in its value");
  }
  if (prompt_argument.empty())
    return make_error(errc::invalid_params,
                      who + ": the prompt argument name is empty");
  if (!arguments.is_object())
    return make_error(errc::invalid_params,
                      who + ": tool arguments must be a JSON object");
  if (timeout_ms < 0)
    return make_error(errc::invalid_params,
                      who + ": timeout_ms must not be negative");
  return {};
}

std::string mcp_agent::describe() const {
  if (!command.empty()) {
    std::string out = "mcp+stdio:";
    for (auto& w : command) {
      auto plain = !w.empty()
                   && w.find_first_of(" \t\n'\"\\$") == std::string::npos;
      out += " " + (plain ? w : "'" + w + "'");
    }
    return out;
  }
  return "mcp+http: " + endpoint;
}

expected<std::unique_ptr<mcp_transport>> make_transport(const mcp_agent& cfg) {
  if (auto err = cfg.validate())
    return err;
  if (cfg.stdio())
    return std::unique_ptr<mcp_transport>{
      std::make_unique<stdio_transport>(cfg.command, cfg.env, cfg.limits)};
  http_headers hs;
  for (auto& [k, v] : cfg.headers)
    hs.emplace_back(k, v);
  if (!cfg.bearer_env.empty()) {
    auto* token = std::getenv(cfg.bearer_env.c_str());
    if (token == nullptr || *token == '\0')
      return make_error(errc::invalid_params,
                        "agent '" + cfg.id + "': environment variable "
                          + cfg.bearer_env
                          + " (bearer token) is not set or empty");
    hs.emplace_back("Authorization", std::string{"Bearer "} + token);
  }
  return std::unique_ptr<mcp_transport>{
    std::make_unique<http_transport>(cfg.endpoint, std::move(hs), cfg.limits)};
}

agent_ptr make_agent(mcp_agent cfg, int64_t default_timeout_ms) {
  return std::make_unique<mcp_agent_connection>(std::move(cfg),
                                                default_timeout_ms);
}

// -- mcp_agent_connection
// -------------------------------------------------------------

mcp_agent_connection::mcp_agent_connection(mcp_agent cfg,
                                           int64_t default_timeout_ms)
  : cfg_(std::move(cfg)),
    timeout_ms_(cfg_.timeout_ms > 0 ? cfg_.timeout_ms : default_timeout_ms) {
  if (timeout_ms_ <= 0)
    timeout_ms_ = 60000;
}

mcp_agent_connection::~mcp_agent_connection() {
  close();
}

void mcp_agent_connection::close() {
  if (client_)
    client_->close();
}

readiness mcp_agent_connection::resolve(std::chrono::milliseconds timeout) {
  readiness out;
  if (misconfigured_.misconfigured())
    return misconfigured_;
  if (client_ && client_->connected() && !tool_.empty()) {
    out.detail = "tool " + tool_;
    return out;
  }
  if (!client_) {
    auto t = make_transport(cfg_);
    if (!t) {
      out.err = std::move(t.error());
      return out;
    }
    client_ = std::make_unique<mcp_client>(std::move(*t));
  }
  client_->set_timeout(timeout);
  struct restore {
    mcp_client& client;
    std::chrono::milliseconds timeout;
    ~restore() {
      client.set_timeout(timeout);
    }
  } guard{*client_, std::chrono::milliseconds{timeout_ms_}};
  if (!client_->connected()) {
    tool_.clear();
    if (auto err = client_->connect()) {
      out.err = std::move(err);
      return out;
    }
  }
  auto tools = client_->list_tools();
  if (!tools) {
    out.err = std::move(tools.error());
    return out;
  }
  auto wrong = [&](const char* setting, std::string what) {
    out.err = make_error(errc::invalid_params, std::move(what));
    out.setting = setting;
    misconfigured_ = out;
    return out;
  };
  const tool_info* chosen = nullptr;
  auto find = [&](const std::string& name) -> const tool_info* {
    for (auto& t : *tools)
      if (t.name == name)
        return &t;
    return nullptr;
  };
  std::vector<std::string> listed;
  for (auto& t : *tools)
    listed.push_back(t.name);
  auto listing = listed.empty() ? std::string{"none"} : join(listed, ", ");
  if (!cfg_.tool.empty()) {
    chosen = find(cfg_.tool);
    if (chosen == nullptr)
      return wrong("tool", "the " + cfg_.describe() + " has no tool '"
                             + cfg_.tool + "' (it lists: " + listing + ")");
  } else {
    for (auto& name : default_tool_names())
      if ((chosen = find(name)) != nullptr)
        break;
    if (chosen == nullptr)
      return wrong("tool",
                   "the " + cfg_.describe() + " lists none of the tools "
                     + join(default_tool_names(), ", ")
                     + " (it lists: " + listing + "); name the tool to call");
  }
  // The prompt must go into an argument the tool declares (when it declares
  // any).
  auto& schema = chosen->input_schema;
  if (schema.is_object() && schema.contains("properties")
      && schema["properties"].is_object()) {
    auto& props = schema["properties"];
    if (!props.empty() && !props.contains(cfg_.prompt_argument)) {
      std::vector<std::string> names;
      for (auto& [k, v] : props.items())
        names.push_back(k);
      return wrong("prompt_argument",
                   "tool '" + chosen->name + "' of the " + cfg_.describe()
                     + " takes no argument '" + cfg_.prompt_argument
                     + "' (it takes: " + join(names, ", ")
                     + "); set the prompt argument");
    }
  }
  tool_ = chosen->name;
  out.detail = "tool " + tool_;
  return out;
}

readiness mcp_agent_connection::prepare(std::chrono::milliseconds timeout) {
  auto start = clock_type::now();
  auto out = resolve(timeout);
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(
    clock_type::now() - start);
  return out;
}

expected<std::string> mcp_agent_connection::ensure_ready() {
  auto r = resolve(std::chrono::milliseconds{timeout_ms_});
  if (r.err)
    return std::move(r.err);
  return tool_;
}

result mcp_agent_connection::execute(const request& req) {
  auto fail = [&](const error& err, int64_t ms = 0) {
    auto r = make_failure(cfg_.id, req.round, error_text(err), ms);
    r.timed_out = is_timeout(err);
    return r;
  };
  auto tool = ensure_ready();
  if (!tool)
    return fail(tool.error());
  auto args = cfg_.arguments;
  args[cfg_.prompt_argument] = req.prompt;
  auto start = clock_type::now();
  auto res = client_->call_tool(*tool, std::move(args));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              clock_type::now() - start)
              .count();
  if (!res)
    return fail(res.error(), ms);
  if (res->is_error)
    return make_failure(cfg_.id, req.round,
                        "tool '" + *tool + "' reported an error: "
                          + (res->text.empty() ? std::string{"(no text)"}
                                               : res->text),
                        ms);
  if (res->text.empty())
    return make_failure(cfg_.id, req.round,
                        "tool '" + *tool + "' returned no text content", ms);
  return make_ok(cfg_.id, std::move(res->text), ms, req.round);
}

} // namespace caf::consensus::connectors

#include "caf/consensus/connectors/mcp_server.hpp"

#include <algorithm>
#include <deque>
#include <exception>

#include "caf/consensus/connectors/transport.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

json text_result(const std::string& text, bool is_error) {
  json out{{"content", json::array({{{"type", "text"}, {"text", text}}})}};
  if (is_error)
    out["isError"] = true;
  return out;
}

mcp_server::mcp_server(std::string name, std::string version)
  : name_(std::move(name)), version_(std::move(version)) {
  // nop
}

const std::vector<std::string>& mcp_server::supported_versions() {
  static const std::vector<std::string> versions{"2025-06-18", "2025-03-26",
                                                 "2024-11-05"};
  return versions;
}

std::string mcp_server::negotiate(const std::string& requested) {
  auto& xs = supported_versions();
  if (std::find(xs.begin(), xs.end(), requested) != xs.end())
    return requested;
  return xs.front();
}

void mcp_server::add_tool(mcp_tool x) {
  std::lock_guard<std::mutex> guard{mtx_};
  tools_.push_back(std::move(x));
}

std::string mcp_server::protocol_version() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return negotiated_;
}

std::optional<json> mcp_server::handle_text(std::string_view text) {
  auto x = json_rpc::parse_json(text);
  if (!x)
    return json_rpc::make_error_response(nullptr, json_rpc::parse_error,
                                         error_text(x.error()));
  return handle(*x);
}

std::optional<json> mcp_server::handle(const json& msg) {
  // Echo a usable id in error replies to invalid messages when there is one.
  json raw_id;
  if (msg.is_object() && msg.contains("id")
      && (msg["id"].is_string() || msg["id"].is_number_integer()))
    raw_id = msg["id"];
  auto m = json_rpc::classify(msg);
  if (!m)
    return json_rpc::make_error_response(raw_id, json_rpc::invalid_request,
                                         error_text(m.error()));
  if (!m->is_request())
    return std::nullopt; // notifications and responses need no answer
  auto& id = m->id;
  auto params = m->params.is_null() ? json::object() : m->params;
  if (!params.is_object())
    return json_rpc::make_error_response(id, json_rpc::invalid_params,
                                         "params must be an object");
  if (m->method == "initialize") {
    auto requested = params.value("protocolVersion", std::string{});
    if (requested.empty())
      return json_rpc::make_error_response(id, json_rpc::invalid_params,
                                           "initialize: protocolVersion is "
                                           "missing");
    auto ver = negotiate(requested);
    {
      std::lock_guard<std::mutex> guard{mtx_};
      negotiated_ = ver;
      initialized_ = true;
    }
    return json_rpc::make_response(
      id, {{"protocolVersion", ver},
           {"capabilities", {{"tools", {{"listChanged", false}}}}},
           {"serverInfo", {{"name", name_}, {"version", version_}}}});
  }
  if (m->method == "ping")
    return json_rpc::make_response(id, json::object());
  bool ready = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    ready = initialized_;
  }
  if (!ready)
    return json_rpc::make_error_response(id, json_rpc::server_not_initialized,
                                         "'" + m->method
                                           + "' before initialize: send "
                                             "initialize first");
  if (m->method == "tools/list") {
    json tools = json::array();
    std::lock_guard<std::mutex> guard{mtx_};
    for (auto& t : tools_)
      tools.push_back({{"name", t.name},
                       {"description", t.description},
                       {"inputSchema", t.input_schema}});
    return json_rpc::make_response(id, {{"tools", std::move(tools)}});
  }
  if (m->method == "tools/call") {
    auto name = params.find("name");
    if (name == params.end() || !name->is_string())
      return json_rpc::make_error_response(id, json_rpc::invalid_params,
                                           "tools/call: 'name' must be a "
                                           "string");
    const mcp_tool* tool = nullptr;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      for (auto& t : tools_)
        if (t.name == name->get<std::string>())
          tool = &t;
    }
    if (tool == nullptr)
      return json_rpc::make_error_response(id, json_rpc::invalid_params,
                                           "unknown tool '"
                                             + name->get<std::string>() + "'");
    auto args = params.value("arguments", json::object());
    if (!args.is_object())
      return json_rpc::make_error_response(id, json_rpc::invalid_params,
                                           "tools/call: 'arguments' must be "
                                           "an object");
    try {
      return json_rpc::make_response(id, tool->handler(args));
    } catch (const std::exception& e) {
      return json_rpc::make_response(id, text_result(e.what(), true));
    } catch (...) {
      return json_rpc::make_response(id,
                                     text_result("unknown exception", true));
    }
  }
  return json_rpc::make_error_response(id, json_rpc::method_not_found,
                                       "method '" + m->method
                                         + "' is not supported");
}

} // namespace caf::consensus::connectors

#include "caf/consensus/connectors/mcp_client.hpp"

#include <algorithm>

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

error with_context(const error& err, const std::string& prefix) {
  auto text = prefix + ": " + error_text(err);
  if (is_timeout(err))
    return make_timeout(std::move(text));
  if (err.category() == errc_category)
    return make_error(static_cast<errc>(err.code()), std::move(text));
  return make_error(errc::execute_failed, std::move(text));
}

} // namespace

// -- constructors
// ---------------------------------------------------------------

mcp_client::mcp_client(std::unique_ptr<mcp_transport> transport,
                       mcp_client_options opts)
  : transport_(std::move(transport)), opts_(std::move(opts)) {
  // nop
}

mcp_client::~mcp_client() {
  close();
}

// -- protocol versions
// --------------------------------------------------------------

const std::vector<std::string>& mcp_client::supported_versions() {
  static const std::vector<std::string> versions{"2025-06-18", "2025-03-26",
                                                 "2024-11-05"};
  return versions;
}

// -- lifecycle
// ------------------------------------------------------------------------

error mcp_client::connect() {
  if (transport_->alive())
    close();
  initialized_ = false;
  version_.clear();
  auto deadline = clock_type::now() + opts_.timeout;
  if (auto err = transport_->open(deadline))
    return with_context(err, "cannot connect to the " + transport_->describe());
  json params{
    {"protocolVersion", supported_versions().front()},
    {"capabilities", json::object()},
    {"clientInfo",
     {{"name", opts_.client_name}, {"version", opts_.client_version}}}};
  auto res = exchange("initialize", std::move(params), deadline);
  auto fail = [&](const std::string& why) {
    transport_->close(clock_type::now() + std::chrono::milliseconds{200});
    return make_error(errc::execute_failed,
                      "cannot initialize an MCP session with the "
                        + transport_->describe() + ": " + why);
  };
  if (!res) {
    auto err = with_context(res.error(), "cannot initialize an MCP session");
    transport_->close(clock_type::now() + std::chrono::milliseconds{200});
    return err;
  }
  if (!res->is_object())
    return fail("the initialize result is not an object");
  auto ver = res->find("protocolVersion");
  if (ver == res->end() || !ver->is_string())
    return fail("the initialize result has no protocolVersion string");
  auto& ours = supported_versions();
  auto theirs = ver->get<std::string>();
  if (std::find(ours.begin(), ours.end(), theirs) == ours.end()) {
    std::string list;
    for (auto& v : ours)
      list += (list.empty() ? "" : ", ") + v;
    return fail("the server speaks protocol version '" + theirs
                + "'; this client speaks " + list);
  }
  version_ = theirs;
  server_info_ = res->value("serverInfo", json::object());
  capabilities_ = res->value("capabilities", json::object());
  transport_->negotiated(version_);
  if (auto err = notify("notifications/initialized", nullptr))
    return fail(error_text(err));
  initialized_ = true;
  return {};
}

bool mcp_client::connected() const {
  return initialized_ && transport_->alive();
}

void mcp_client::close(std::chrono::milliseconds grace) {
  initialized_ = false;
  transport_->close(clock_type::now() + grace);
}

// -- requests
// ---------------------------------------------------------------------

expected<json> mcp_client::request(const std::string& method, json params) {
  if (!connected())
    return make_error(errc::execute_failed,
                      "not connected to the " + transport_->describe());
  return exchange(method, std::move(params), clock_type::now() + opts_.timeout);
}

error mcp_client::notify(const std::string& method, json params) {
  auto deadline = clock_type::now() + opts_.timeout;
  return transport_->send(
    json_rpc::make_notification(method, std::move(params)), deadline);
}

expected<json> mcp_client::exchange(const std::string& method, json params,
                                    time_point deadline) {
  auto id = json(next_id_++);
  auto started = clock_type::now();
  auto timed_out = [&] {
    // Tell the server to stop working on it (never for initialize).
    if (method != "initialize" && transport_->alive())
      static_cast<void>(transport_->send(
        json_rpc::make_notification("notifications/cancelled",
                                    {{"requestId", id}, {"reason", "timeout"}}),
        clock_type::now() + std::chrono::milliseconds{200}));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                clock_type::now() - started)
                .count();
    return make_timeout("no reply to '" + method + "' from the "
                        + transport_->describe() + " within "
                        + std::to_string(ms) + " ms");
  };
  auto msg = json_rpc::make_request(id, method, std::move(params));
  if (auto err = transport_->send(msg, deadline)) {
    if (is_timeout(err))
      return timed_out();
    return with_context(err, "'" + method + "' failed");
  }
  for (;;) {
    auto x = transport_->receive(deadline);
    if (!x) {
      if (is_timeout(x.error()))
        return timed_out();
      return with_context(x.error(), "'" + method + "' failed");
    }
    auto m = json_rpc::classify(std::move(*x));
    if (!m)
      return with_context(m.error(), "'" + method + "' failed: the "
                                       + transport_->describe()
                                       + " sent an invalid message");
    if (m->is_request()) {
      answer_server_request(*m, deadline);
      continue;
    }
    if (m->is_notification())
      continue;
    if (m->id != id)
      continue; // a late reply to a request we gave up on
    if (m->type == json_rpc::kind::error_response)
      return make_error(errc::execute_failed, "'" + method + "' failed on the "
                                                + transport_->describe() + ": "
                                                + m->describe_error());
    return std::move(m->result);
  }
}

void mcp_client::answer_server_request(const json_rpc::message& msg,
                                       time_point deadline) {
  json reply;
  if (msg.method == "ping")
    reply = json_rpc::make_response(msg.id, json::object());
  else
    reply = json_rpc::make_error_response(msg.id, json_rpc::method_not_found,
                                          "client does not support '"
                                            + msg.method + "'");
  static_cast<void>(transport_->send(reply, deadline));
}

expected<std::vector<tool_info>> mcp_client::list_tools() {
  std::vector<tool_info> out;
  json cursor;
  for (int32_t page = 0; page < opts_.max_list_pages; ++page) {
    json params = json::object();
    if (!cursor.is_null())
      params["cursor"] = cursor;
    auto res = request("tools/list", std::move(params));
    if (!res)
      return std::move(res.error());
    auto bad = [&](const std::string& why) {
      return make_error(errc::malformed_input,
                        "malformed tools/list result from the "
                          + transport_->describe() + ": " + why);
    };
    if (!res->is_object() || !res->contains("tools")
        || !(*res)["tools"].is_array())
      return bad("no 'tools' array");
    for (auto& t : (*res)["tools"]) {
      if (!t.is_object() || !t.contains("name") || !t["name"].is_string())
        return bad("a tool without a 'name' string: "
                   + json_rpc::snippet(
                     t.dump(-1, ' ', false, json::error_handler_t::replace)));
      tool_info info;
      info.name = t["name"].get<std::string>();
      if (auto d = t.find("description"); d != t.end() && d->is_string())
        info.description = d->get<std::string>();
      info.input_schema = t.value("inputSchema", json::object());
      out.push_back(std::move(info));
    }
    auto next = res->find("nextCursor");
    if (next == res->end() || next->is_null())
      return out;
    if (!next->is_string())
      return bad("'nextCursor' is not a string");
    cursor = *next;
  }
  return out;
}

expected<tool_result> mcp_client::call_tool(const std::string& name,
                                            json arguments) {
  if (!arguments.is_object())
    return make_error(errc::invalid_params,
                      "tool arguments must be a JSON object");
  auto res = request("tools/call",
                     {{"name", name}, {"arguments", std::move(arguments)}});
  if (!res)
    return std::move(res.error());
  auto out = parse_tool_result(*res);
  if (!out)
    return with_context(out.error(),
                        "tool '" + name + "' on the " + transport_->describe());
  return out;
}

expected<tool_result> parse_tool_result(const json& result) {
  auto bad = [](const std::string& why) {
    return make_error(errc::malformed_input,
                      "malformed tools/call result: " + why);
  };
  if (!result.is_object())
    return bad("not an object");
  tool_result out;
  if (auto e = result.find("isError"); e != result.end()) {
    if (!e->is_boolean())
      return bad("'isError' is not a boolean");
    out.is_error = e->get<bool>();
  }
  if (auto s = result.find("structuredContent"); s != result.end())
    out.structured = *s;
  auto content = result.find("content");
  if (content == result.end()) {
    if (out.structured.is_null())
      return bad("no 'content'");
    out.content = json::array();
  } else {
    if (!content->is_array())
      return bad("'content' is not an array");
    out.content = *content;
  }
  for (auto& item : out.content) {
    if (!item.is_object() || !item.contains("type")
        || !item["type"].is_string())
      return bad("a content item without a 'type' string");
    if (item["type"] != "text")
      continue;
    if (!item.contains("text") || !item["text"].is_string())
      return bad("a text content item without a 'text' string");
    if (!out.text.empty())
      out.text += '\n';
    out.text += item["text"].get<std::string>();
  }
  if (out.text.empty() && !out.structured.is_null())
    out.text = out.structured.dump(-1, ' ', false,
                                   json::error_handler_t::replace);
  return out;
}

} // namespace caf::consensus::connectors

#include "caf/consensus/connectors/json_rpc.hpp"

#include <cstdio>

#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors::json_rpc {

namespace {

error bad(const std::string& what) {
  return make_error(errc::malformed_input, "invalid JSON-RPC message: " + what);
}

bool valid_id(const json& x) {
  return x.is_string() || x.is_number_integer() || x.is_number_unsigned();
}

} // namespace

std::string code_name(int64_t code) {
  switch (code) {
    case parse_error:
      return "parse error";
    case invalid_request:
      return "invalid request";
    case method_not_found:
      return "method not found";
    case invalid_params:
      return "invalid params";
    case internal_error:
      return "internal error";
    default:
      if (code >= -32099 && code <= -32000)
        return "server error";
      return "application error";
  }
}

std::string to_string(kind x) {
  switch (x) {
    case kind::request:
      return "request";
    case kind::notification:
      return "notification";
    case kind::response:
      return "response";
    case kind::error_response:
      return "error response";
  }
  return "???";
}

std::string message::describe_error() const {
  auto out = "JSON-RPC error " + std::to_string(error_code) + " ("
             + code_name(error_code) + ")";
  if (!error_message.empty())
    out += ": " + error_message;
  if (!error_data.is_null()) {
    auto data = error_data.is_string() ? error_data.get<std::string>()
                                       : error_data.dump();
    out += " [data: " + snippet(data, 200) + "]";
  }
  return out;
}

expected<message> classify(json x) {
  if (x.is_array())
    return bad("batches (JSON arrays) are not supported");
  if (!x.is_object())
    return bad("expected a JSON object, got " + std::string{x.type_name()});
  auto ver = x.find("jsonrpc");
  if (ver == x.end())
    return bad("member 'jsonrpc' is missing");
  if (!ver->is_string() || ver->get<std::string>() != "2.0")
    return bad("member 'jsonrpc' must be \"2.0\", got " + ver->dump());
  message out;
  auto id = x.find("id");
  auto method = x.find("method");
  auto result = x.find("result");
  auto err = x.find("error");
  if (method != x.end()) {
    if (!method->is_string())
      return bad("member 'method' must be a string, got "
                 + std::string{method->type_name()});
    if (result != x.end() || err != x.end())
      return bad("a request must not carry 'result' or 'error'");
    out.method = method->get<std::string>();
    if (auto ps = x.find("params"); ps != x.end()) {
      if (!ps->is_object() && !ps->is_array())
        return bad("member 'params' of '" + out.method
                   + "' must be an object or an array");
      out.params = std::move(*ps);
    }
    if (id == x.end()) {
      out.type = kind::notification;
      return out;
    }
    if (!valid_id(*id))
      return bad("request id must be a string or an integer, got "
                 + id->dump());
    out.type = kind::request;
    out.id = std::move(*id);
    return out;
  }
  if (id == x.end())
    return bad("message has neither 'method' nor 'id'");
  if ((result != x.end()) == (err != x.end()))
    return bad("a response must carry exactly one of 'result' and 'error'");
  if (result != x.end()) {
    if (!valid_id(*id))
      return bad("response id must be a string or an integer, got "
                 + id->dump());
    out.type = kind::response;
    out.id = std::move(*id);
    out.result = std::move(*result);
    return out;
  }
  if (!id->is_null() && !valid_id(*id))
    return bad("error response id must be a string, an integer or null, got "
               + id->dump());
  if (!err->is_object())
    return bad("member 'error' must be an object");
  auto code = err->find("code");
  if (code == err->end() || !code->is_number_integer())
    return bad("member 'error.code' must be an integer");
  auto msg = err->find("message");
  if (msg == err->end() || !msg->is_string())
    return bad("member 'error.message' must be a string");
  out.type = kind::error_response;
  out.id = std::move(*id);
  out.error_code = code->get<int64_t>();
  out.error_message = msg->get<std::string>();
  if (auto data = err->find("data"); data != err->end())
    out.error_data = std::move(*data);
  return out;
}

expected<json> parse_json(std::string_view text, size_t max_depth) {
  // Check the nesting depth first (outside of strings).
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (auto c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth)
        return make_error(errc::malformed_input,
                          "JSON nested deeper than " + std::to_string(max_depth)
                            + " levels: " + snippet(text));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  auto x = json::parse(text.begin(), text.end(), nullptr, false);
  if (x.is_discarded())
    return make_error(errc::malformed_input,
                      "malformed JSON: " + snippet(text));
  return x;
}

expected<message> parse(std::string_view text) {
  auto x = parse_json(text);
  if (!x)
    return std::move(x.error());
  return classify(std::move(*x));
}

json make_request(const json& id, const std::string& method, json params) {
  json out{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null())
    out["params"] = std::move(params);
  return out;
}

json make_notification(const std::string& method, json params) {
  json out{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null())
    out["params"] = std::move(params);
  return out;
}

json make_response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error_response(const json& id, int64_t code, const std::string& msg,
                         json data) {
  json err{{"code", code}, {"message", msg}};
  if (!data.is_null())
    err["data"] = std::move(data);
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}};
}

std::string error_text(const std::string& body) {
  if (body.empty())
    return "empty body";
  auto parsed = parse_json(body);
  if (parsed && parsed->is_object()) {
    auto& x = *parsed;
    if (auto e = x.find("error"); e != x.end()) {
      if (e->is_object() && e->contains("message")
          && (*e)["message"].is_string())
        return (*e)["message"].get<std::string>();
      if (e->is_string())
        return e->get<std::string>();
    }
  }
  return snippet(body, 200);
}

std::string snippet(std::string_view text, size_t n) {
  std::string out = "'";
  auto len = std::min(text.size(), n);
  // Do not cut a UTF-8 sequence in two.
  while (len < text.size() && len > 0
         && (static_cast<unsigned char>(text[len]) & 0xC0) == 0x80)
    --len;
  for (size_t i = 0; i < len; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '\'';
  if (text.size() > n)
    out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

} // namespace caf::consensus::connectors::json_rpc

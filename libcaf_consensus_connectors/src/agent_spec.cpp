#include "caf/consensus/connectors/agent_spec.hpp"

#include <set>

#include "caf/consensus/connectors/command_line.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

const char* spec_forms = "ID=mcp+stdio:COMMAND, ID=mcp+http:URL or "
                         "ID=openai:BASE_URL#MODEL";

error bad_spec(const std::string& text, const std::string& why) {
  return make_error(errc::invalid_params,
                    "bad agent " + json_rpc::snippet(text, 200) + ": " + why
                      + " (expected " + spec_forms + ")");
}

std::string join(const std::set<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

/// Reads typed members of one JSON object, naming the key in errors.
class reader {
public:
  reader(const json& obj, std::string where)
    : obj_(obj), where_(std::move(where)) {
    // nop
  }

  error fail(const std::string& key, const std::string& why) const {
    return make_error(errc::malformed_input,
                      where_ + ": key '" + key + "' " + why);
  }

  bool has(const std::string& key) const {
    return obj_.contains(key);
  }

  error str(const std::string& key, std::string& out) const {
    if (!has(key))
      return {};
    auto& x = obj_[key];
    if (!x.is_string())
      return fail(key, "must be a string");
    out = x.get<std::string>();
    return {};
  }

  error integer(const std::string& key, int64_t& out, int64_t lo,
                int64_t hi) const {
    if (!has(key))
      return {};
    auto& x = obj_[key];
    if (!x.is_number_integer())
      return fail(key, "must be an integer");
    auto v = x.get<int64_t>();
    if (v < lo || v > hi)
      return fail(key, "must be in [" + std::to_string(lo) + ", "
                         + std::to_string(hi) + "], got " + std::to_string(v));
    out = v;
    return {};
  }

  error number(const std::string& key, std::optional<double>& out) const {
    if (!has(key))
      return {};
    auto& x = obj_[key];
    if (!x.is_number())
      return fail(key, "must be a number");
    out = x.get<double>();
    return {};
  }

  error string_map(const std::string& key,
                   std::map<std::string, std::string>& out) const {
    if (!has(key))
      return {};
    auto& x = obj_[key];
    if (!x.is_object())
      return fail(key, "must be a mapping of names to strings");
    for (auto& [k, v] : x.items()) {
      if (v.is_string())
        out[k] = v.get<std::string>();
      else if (v.is_number() || v.is_boolean())
        out[k] = v.dump();
      else
        return fail(key, "entry '" + k + "' must be a string");
    }
    return {};
  }

  error unknown(const std::set<std::string>& allowed) const {
    for (auto& [k, v] : obj_.items())
      if (allowed.count(k) == 0)
        return make_error(errc::malformed_input,
                          where_ + ": unknown key '" + k
                            + "' (accepted: " + join(allowed) + ")");
    return {};
  }

  const std::string& where() const noexcept {
    return where_;
  }

private:
  const json& obj_;
  std::string where_;
};

error check_id(const std::string& id, const std::string& text) {
  if (id.empty())
    return bad_spec(text, "the id before '=' is empty");
  for (auto c : id)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return bad_spec(text, "the id contains a control character");
  return {};
}

} // namespace

const std::string& id_of(const agent_spec& x) {
  return std::visit([](auto& y) -> const std::string& { return y.id; }, x);
}

std::string describe(const agent_spec& x) {
  return std::visit([](auto& y) { return y.describe(); }, x);
}

expected<agent_spec> parse_agent_spec(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos)
    return bad_spec(text, "no '=' after the id");
  auto id = text.substr(0, eq);
  if (auto err = check_id(id, text))
    return err;
  auto rest = text.substr(eq + 1);
  auto starts = [&](const char* prefix) { return rest.rfind(prefix, 0) == 0; };
  if (starts("mcp+stdio:")) {
    auto line = rest.substr(10);
    auto argv = split_command(line);
    if (!argv)
      return bad_spec(text, error_text(argv.error()));
    mcp_agent x;
    x.id = id;
    x.command = std::move(*argv);
    if (auto err = x.validate())
      return err;
    return agent_spec{std::move(x)};
  }
  if (starts("mcp+http:")) {
    mcp_agent x;
    x.id = id;
    x.endpoint = rest.substr(9);
    if (!is_http_url(x.endpoint))
      return bad_spec(text,
                      "'" + x.endpoint + "' is not an http:// or https:// URL");
    if (auto err = x.validate())
      return err;
    return agent_spec{std::move(x)};
  }
  if (starts("openai:")) {
    auto where = rest.substr(7);
    auto hash = where.rfind('#');
    if (hash == std::string::npos)
      return bad_spec(text, "no '#MODEL' after the base URL");
    openai_agent x;
    x.id = id;
    x.base_url = where.substr(0, hash);
    x.model = where.substr(hash + 1);
    if (x.model.empty())
      return bad_spec(text, "the model after '#' is empty");
    if (!is_http_url(x.base_url))
      return bad_spec(text,
                      "'" + x.base_url + "' is not an http:// or https:// URL");
    if (auto err = x.validate())
      return err;
    return agent_spec{std::move(x)};
  }
  auto colon = rest.find(':');
  return bad_spec(
    text, "unknown kind '"
            + rest.substr(0, colon == std::string::npos ? rest.size() : colon)
            + "'");
}

expected<agent_spec> agent_spec_from_json(const json& x,
                                          const std::string& where) {
  if (!x.is_object()) {
    if (x.is_string())
      return parse_agent_spec(x.get<std::string>());
    return make_error(errc::malformed_input,
                      where
                        + ": an agent must be a mapping or a string "
                          "like 'a=mcp+stdio:CMD'");
  }
  reader rd{x, where};
  std::string id;
  if (auto err = rd.str("id", id))
    return err;
  int kinds = static_cast<int>(rd.has("spec")) + rd.has("command")
              + rd.has("endpoint") + rd.has("openai");
  if (kinds != 1)
    return make_error(errc::malformed_input,
                      where
                        + ": give exactly one of 'spec', 'command' "
                          "(MCP over stdio), 'endpoint' (MCP over HTTP) "
                          "and 'openai' (base URL)");
  agent_spec out;
  if (rd.has("spec")) {
    std::string spec;
    if (auto err = rd.str("spec", spec))
      return err;
    auto parsed = parse_agent_spec(id.empty() ? spec : id + "=" + spec);
    if (!parsed)
      return make_error(errc::malformed_input,
                        where + ": " + error_text(parsed.error()));
    out = std::move(*parsed);
  } else if (rd.has("openai")) {
    openai_agent y;
    y.id = id;
    if (auto err = rd.str("openai", y.base_url))
      return err;
    out = std::move(y);
  } else {
    mcp_agent y;
    y.id = id;
    if (rd.has("command")) {
      auto& cmd = x["command"];
      if (cmd.is_string()) {
        auto argv = split_command(cmd.get<std::string>());
        if (!argv)
          return rd.fail("command", error_text(argv.error()));
        y.command = std::move(*argv);
      } else if (cmd.is_array() && !cmd.empty()) {
        for (auto& w : cmd) {
          if (!w.is_string())
            return rd.fail("command", "must list strings");
          y.command.push_back(w.get<std::string>());
        }
      } else {
        return rd.fail("command",
                       "must be a command line or a non-empty list of "
                       "words");
      }
    } else if (auto err = rd.str("endpoint", y.endpoint)) {
      return err;
    }
    out = std::move(y);
  }
  if (id_of(out).empty())
    return make_error(errc::malformed_input, where + ": key 'id' is missing");
  if (auto* m = std::get_if<mcp_agent>(&out)) {
    if (auto err
        = rd.unknown({"id", "spec", "command", "endpoint", "tool",
                      "prompt_argument", "arguments", "env", "headers",
                      "bearer_env", "timeout_ms", "max_message_bytes"}))
      return err;
    int64_t timeout = m->timeout_ms;
    int64_t max_bytes = static_cast<int64_t>(m->limits.max_message_bytes);
    error err;
    if ((err = rd.str("tool", m->tool))
        || (err = rd.str("prompt_argument", m->prompt_argument))
        || (err = rd.string_map("env", m->env))
        || (err = rd.string_map("headers", m->headers))
        || (err = rd.str("bearer_env", m->bearer_env))
        || (err = rd.integer("timeout_ms", timeout, 0, 86400000))
        || (err = rd.integer("max_message_bytes", max_bytes, 1024,
                             int64_t{1} << 31)))
      return err;
    if (rd.has("arguments")) {
      if (!x["arguments"].is_object())
        return rd.fail("arguments", "must be a mapping");
      m->arguments = x["arguments"];
    }
    m->timeout_ms = timeout;
    m->limits.max_message_bytes = static_cast<size_t>(max_bytes);
    if (!m->stdio() && !is_http_url(m->endpoint))
      return rd.fail("endpoint", "must be an http:// or https:// URL, got "
                                   + json_rpc::snippet(m->endpoint, 200));
    if (auto e = m->validate())
      return make_error(errc::malformed_input, where + ": " + error_text(e));
  } else {
    auto& o = std::get<openai_agent>(out);
    if (auto err = rd.unknown({"id", "spec", "openai", "model", "api_key_env",
                               "system", "temperature", "max_tokens", "headers",
                               "max_retries", "backoff_ms", "max_backoff_ms",
                               "timeout_ms", "max_response_bytes"}))
      return err;
    int64_t max_tokens = o.max_tokens;
    int64_t retries = o.max_retries;
    int64_t max_bytes = static_cast<int64_t>(o.max_response_bytes);
    error err;
    if ((err = rd.str("model", o.model))
        || (err = rd.str("api_key_env", o.api_key_env))
        || (err = rd.str("system", o.system))
        || (err = rd.number("temperature", o.temperature))
        || (err = rd.integer("max_tokens", max_tokens, 0, 10000000))
        || (err = rd.string_map("headers", o.headers))
        || (err = rd.integer("max_retries", retries, 0, 20))
        || (err = rd.integer("backoff_ms", o.backoff_ms, 0, 600000))
        || (err = rd.integer("max_backoff_ms", o.max_backoff_ms, 0, 600000))
        || (err = rd.integer("timeout_ms", o.timeout_ms, 0, 86400000))
        || (err = rd.integer("max_response_bytes", max_bytes, 1024,
                             int64_t{1} << 31)))
      return err;
    o.max_tokens = static_cast<int32_t>(max_tokens);
    o.max_retries = static_cast<int32_t>(retries);
    o.max_response_bytes = static_cast<size_t>(max_bytes);
    if (auto e = o.validate())
      return make_error(errc::malformed_input, where + ": " + error_text(e));
  }
  return out;
}

agent_ptr make_agent(const agent_spec& x, int64_t default_timeout_ms) {
  return std::visit([&](auto& y) { return make_agent(y, default_timeout_ms); },
                    x);
}

json to_json(const agent_spec& x) {
  if (auto* m = std::get_if<mcp_agent>(&x)) {
    json out{{"id", m->id}};
    if (m->stdio())
      out["command"] = m->command;
    else
      out["endpoint"] = m->endpoint;
    if (!m->tool.empty())
      out["tool"] = m->tool;
    out["prompt_argument"] = m->prompt_argument;
    if (!m->arguments.empty())
      out["arguments"] = m->arguments;
    // Header and environment values may be secrets: names only.
    for (auto& [k, v] : m->env)
      out["env_names"].push_back(k);
    for (auto& [k, v] : m->headers)
      out["header_names"].push_back(k);
    if (!m->bearer_env.empty())
      out["bearer_env"] = m->bearer_env;
    if (m->timeout_ms > 0)
      out["timeout_ms"] = m->timeout_ms;
    return out;
  }
  auto& o = std::get<openai_agent>(x);
  json out{{"id", o.id}, {"openai", o.base_url}, {"model", o.model}};
  if (!o.api_key_env.empty())
    out["api_key_env"] = o.api_key_env;
  if (!o.system.empty())
    out["system"] = o.system;
  if (o.temperature)
    out["temperature"] = *o.temperature;
  if (o.max_tokens > 0)
    out["max_tokens"] = o.max_tokens;
  out["max_retries"] = o.max_retries;
  if (o.timeout_ms > 0)
    out["timeout_ms"] = o.timeout_ms;
  return out;
}

} // namespace caf::consensus::connectors

// consensus-sim: agent and parameter options shared by `ask` and `mcp-serve`.

#include "cli/agent_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/engine.hpp"
#include "caf/consensus/error.hpp"
#include "caf/consensus/rng/seed.hpp"

namespace caf::consensus::cli {

namespace po = boost::program_options;
using connectors::json;

namespace {

/// Converts YAML to JSON: quoted scalars stay strings; plain scalars become
/// null, booleans, integers or numbers when they read as such.
json to_json(const YAML::Node& x) {
  switch (x.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (auto& y : x)
        out.push_back(to_json(y));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (auto& kv : x)
        out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      auto s = x.Scalar();
      if (x.Tag() == "!")
        return s; // quoted
      if (s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
      if (s == "true" || s == "True" || s == "TRUE")
        return true;
      if (s == "false" || s == "False" || s == "FALSE")
        return false;
      if (!s.empty()) {
        try {
          size_t pos = 0;
          auto i = std::stoll(s, &pos);
          if (pos == s.size())
            return i;
        } catch (...) {
          // not an integer
        }
        try {
          size_t pos = 0;
          auto d = std::stod(s, &pos);
          if (pos == s.size() && std::isfinite(d))
            return d;
        } catch (...) {
          // not a number
        }
      }
      return s;
    }
  }
  return nullptr;
}

error file_error(const std::string& path, const std::string& what) {
  return make_error(errc::malformed_input, path + ": " + what);
}

} // namespace

// -- options
// ---------------------------------------------------------------------

void add_agent_options(po::options_description& desc, mesh_flags& fl) {
  desc.add_options()("agent,a", po::value(&fl.agents)->composing(),
                     "an agent: ID=mcp+stdio:COMMAND, ID=mcp+http:URL or "
                     "ID=openai:BASE_URL#MODEL (repeatable)")(
    "agents", po::value(&fl.agents_file),
    "agents file (YAML or JSON, see below)")(
    "tool", po::value(&fl.tool),
    "MCP tool to call (default: the first of think, respond, discuss, "
    "agent the server lists)")(
    "prompt-arg", po::value(&fl.prompt_arg),
    "MCP tool argument that carries the prompt (default: prompt)")(
    "bearer-env", po::value(&fl.bearer_env),
    "environment variable with a bearer token for mcp+http agents")(
    "api-key-env", po::value(&fl.api_key_env),
    "environment variable with the API key of openai agents (default: "
    "OPENAI_API_KEY when set)")("system", po::value(&fl.system),
                                "system message of openai agents")(
    "temperature",
    po::value<double>()->notifier([&fl](double x) { fl.temperature = x; }),
    "sampling temperature of openai agents")(
    "max-tokens", po::value(&fl.max_tokens),
    "max_tokens of openai agents (0: not sent)")(
    "max-retries", po::value(&fl.max_retries)->default_value(3),
    "retries of openai agents after 429, 5xx or malformed replies")(
    "startup-timeout-ms", po::value<int64_t>()->notifier([&fl](int64_t x) {
      fl.startup_timeout_ms = x;
    }),
    "bound of every MCP server's start-up (start, initialize, list tools) "
    "before round 0; not counted against --timeout-ms (default 30000)");
}

void add_param_options(po::options_description& desc, mesh_flags& fl) {
  desc.add_options()(
    "rounds,r",
    po::value<int32_t>()->notifier([&fl](int32_t x) { fl.rounds = x; }),
    "refinement rounds after the initial answers (default 3)")(
    "k,k", po::value<int32_t>()->notifier([&fl](int32_t x) { fl.k = x; }),
    "peers sampled per round (default 3)")(
    "alpha", po::value<double>()->notifier([&fl](double x) { fl.alpha = x; }),
    "agreement threshold (default 0.6)")(
    "beta-1", po::value<double>()->notifier([&fl](double x) { fl.beta_1 = x; }),
    "phase I threshold: stop sampling (default 0.5)")(
    "beta-2", po::value<double>()->notifier([&fl](double x) { fl.beta_2 = x; }),
    "phase II threshold: finalize (default 0.8)")(
    "policy,p", po::value<std::string>()->notifier([&fl](const std::string& x) {
      fl.policy = x;
    }),
    "metastable (default), hanzo, snowball, vote, sequential")(
    "seed", po::value<std::string>()->notifier([&fl](const std::string& x) {
      fl.seed = x;
    }),
    "seed of the run's random draws, an integer of any size as Python's "
    "random.seed(n) takes it (default 0)")(
    "timeout-ms",
    po::value<int64_t>()->notifier([&fl](int64_t x) { fl.timeout_ms = x; }),
    "per-call timeout and round deadline in ms (default 60000)")(
    "alpha-preference", po::value<int32_t>()->notifier([&fl](int32_t x) {
      fl.alpha_preference = x;
    }),
    "snowball: votes to change preference (0: ceil(alpha*k))")(
    "alpha-confidence", po::value<int32_t>()->notifier([&fl](int32_t x) {
      fl.alpha_confidence = x;
    }),
    "snowball: votes to extend the streak (0: ceil(alpha*k))")(
    "beta", po::value<int32_t>()->notifier([&fl](int32_t x) { fl.beta = x; }),
    "snowball: consecutive successful polls to decide (default 2)")(
    "luminance-weighted", po::bool_switch(&fl.luminance_weighted),
    "snowball: sample peers by luminance")(
    "delta", po::value<double>()->notifier([&fl](double x) { fl.delta = x; }),
    "sequential: error budget of the stopping certificate (default 0.05)")(
    "max-calls",
    po::value<int64_t>()->notifier([&fl](int64_t x) { fl.max_calls = x; }),
    "sequential: call budget; stop unfinalized when the next round would "
    "pass it (0: no budget but --rounds)")(
    "extractor",
    po::value<std::string>()->notifier(
      [&fl](const std::string& x) { fl.extractor = x; }),
    "choice extractor: text, last-number, regex")(
    "extractor-pattern",
    po::value<std::string>()->notifier(
      [&fl](const std::string& x) { fl.extractor_pattern = x; }),
    "regex of --extractor regex")(
    "stop-on-unanimity", po::bool_switch(&fl.stop_on_unanimity),
    "stop when every live agent gives the same choice");
}

const char* agents_help() {
  return "Agents:\n"
         "  ID=mcp+stdio:COMMAND      an MCP server started as COMMAND (split "
         "like a shell)\n"
         "  ID=mcp+http:URL           an MCP server over Streamable HTTP\n"
         "  ID=openai:BASE_URL#MODEL  a model behind POST "
         "BASE_URL/chat/completions\n"
         "The per-agent flags (--tool, --prompt-arg, --bearer-env, "
         "--api-key-env,\n--system, --temperature, --max-tokens, "
         "--max-retries) apply to --agent specs.\n\n"
         "Agents file (YAML or JSON):\n"
         "  agents:\n"
         "    - {id: a, command: \"node server.mjs\", tool: think}\n"
         "    - {id: b, endpoint: \"http://127.0.0.1:3000/mcp\", "
         "bearer_env: B_TOKEN}\n"
         "    - {id: c, openai: \"http://127.0.0.1:8080/v1\", model: m, "
         "temperature: 0.2}\n"
         "    - \"d=mcp+stdio:python3 agent.py\"\n"
         "  params: {rounds: 3, k: 2, policy: metastable, timeout_ms: 30000}\n"
         "  startup_timeout_ms: 30000\n"
         "Flags override the file's values. See docs/agents.md.";
}

// -- resolving
// -------------------------------------------------------------------

error apply_params(const json& obj, params& ps, const std::string& where,
                   const std::vector<std::string>& skip) {
  if (!obj.is_object())
    return make_error(errc::malformed_input, where + ": must be a mapping");
  auto fail = [&](const std::string& key, const std::string& why) {
    return make_error(errc::malformed_input,
                      where + ": key '" + key + "' " + why);
  };
  for (auto& item : obj.items()) {
    // Named references, not a structured binding: the lambdas below capture
    // them (C++17 does not let lambdas capture structured bindings).
    const auto& key = item.key();
    auto& v = item.value();
    if (std::find(skip.begin(), skip.end(), key) != skip.end())
      continue;
    auto int_in = [&](auto& out, int64_t lo, int64_t hi) -> error {
      if (!v.is_number_integer())
        return fail(key, "must be an integer");
      auto x = v.get<int64_t>();
      if (x < lo || x > hi)
        return fail(key, "must be in [" + std::to_string(lo) + ", "
                           + std::to_string(hi) + "]");
      out = static_cast<std::decay_t<decltype(out)>>(x);
      return {};
    };
    auto num = [&](double& out) -> error {
      if (!v.is_number())
        return fail(key, "must be a number");
      out = v.get<double>();
      return {};
    };
    auto boolean = [&](bool& out) -> error {
      if (!v.is_boolean())
        return fail(key, "must be true or false");
      out = v.get<bool>();
      return {};
    };
    auto seed_of = [&](rng::seed& out) -> error {
      if (v.is_number_unsigned()) {
        out = v.get<uint64_t>();
      } else if (v.is_number_integer()) {
        out = v.get<int64_t>();
      } else if (v.is_string()) {
        auto x = rng::seed::parse(v.get<std::string>());
        if (!x)
          return fail(key, "must be an integer, or its decimal text (at most "
                             + std::to_string(rng::seed::max_digits)
                             + " digits)");
        out = std::move(*x);
      } else {
        return fail(key, "must be an integer, or its decimal text for an "
                         "integer beyond 64 bits");
      }
      return {};
    };
    auto str = [&](std::string& out) -> error {
      if (!v.is_string())
        return fail(key, "must be a string");
      out = v.get<std::string>();
      return {};
    };
    error err;
    if (key == "rounds")
      err = int_in(ps.rounds, 0, 1000);
    else if (key == "k")
      err = int_in(ps.k, 1, 100000);
    else if (key == "alpha")
      err = num(ps.alpha);
    else if (key == "beta_1")
      err = num(ps.beta_1);
    else if (key == "beta_2")
      err = num(ps.beta_2);
    else if (key == "policy")
      err = str(ps.policy);
    else if (key == "seed")
      err = seed_of(ps.seed);
    else if (key == "timeout_ms")
      err = int_in(ps.timeout_ms, 1, 86400000);
    else if (key == "alpha_preference")
      err = int_in(ps.alpha_preference, 0, 100000);
    else if (key == "alpha_confidence")
      err = int_in(ps.alpha_confidence, 0, 100000);
    else if (key == "beta")
      err = int_in(ps.beta, 1, 100000);
    else if (key == "luminance_weighted")
      err = boolean(ps.luminance_weighted);
    else if (key == "delta")
      err = num(ps.delta);
    else if (key == "max_calls")
      err = int_in(ps.max_calls, 0, int64_t{1} << 40);
    else if (key == "stop_on_unanimity")
      err = boolean(ps.stop_on_unanimity);
    else if (key == "extractor_pattern")
      err = str(ps.extractor_pattern);
    else if (key == "extractor") {
      std::string name;
      if (!(err = str(name)) && !from_string(name, ps.extractor))
        err = fail(key,
                   "must be text, last-number or regex, got '" + name + "'");
    } else
      err = make_error(errc::malformed_input,
                       where + ": unknown key '" + key
                         + "' (accepted: rounds, k, alpha, beta_1, beta_2, "
                           "policy, seed, timeout_ms, alpha_preference, "
                           "alpha_confidence, beta, luminance_weighted, "
                           "delta, max_calls, extractor, extractor_pattern, "
                           "stop_on_unanimity)");
    if (err)
      return err;
  }
  return {};
}

std::string mesh_config::fix_hint(const std::string& id,
                                  const std::string& setting) const {
  std::string source;
  for (size_t i = 0; i < agents.size() && i < sources.size(); ++i)
    if (connectors::id_of(agents[i]) == id)
      source = sources[i];
  auto flag = setting == "tool"              ? std::string{"--tool NAME"}
              : setting == "prompt_argument" ? std::string{"--prompt-arg NAME"}
                                             : "--" + setting;
  if (source.empty())
    return "fix: give " + flag;
  return "fix: set '" + setting + ": NAME' in " + source;
}

expected<mesh_config> resolve_mesh(const mesh_flags& fl) {
  mesh_config out;
  // 1. The agents file.
  if (!fl.agents_file.empty()) {
    auto& path = fl.agents_file;
    std::ifstream in{path};
    if (!in)
      return file_error(path, "cannot open the agents file");
    std::stringstream buf;
    buf << in.rdbuf();
    json doc;
    try {
      doc = to_json(YAML::Load(buf.str()));
    } catch (const YAML::Exception& e) {
      return file_error(path,
                        std::string{"not valid YAML or JSON: "} + e.what());
    }
    if (!doc.is_object())
      return file_error(path, "expected a mapping with 'agents' (and "
                              "optionally 'params')");
    for (auto& [key, v] : doc.items())
      if (key != "agents" && key != "params" && key != "startup_timeout_ms")
        return file_error(path, "unknown key '" + key
                                  + "' (accepted: agents, params, "
                                    "startup_timeout_ms)");
    if (doc.contains("startup_timeout_ms")) {
      auto& v = doc["startup_timeout_ms"];
      if (!v.is_number_integer() || v.get<int64_t>() < 1
          || v.get<int64_t>() > 86400000)
        return file_error(path, "key 'startup_timeout_ms' must be an integer "
                                "in [1, 86400000]");
      out.startup_timeout_ms = v.get<int64_t>();
    }
    if (!doc.contains("agents") || !doc["agents"].is_array()
        || doc["agents"].empty())
      return file_error(path, "'agents' must be a non-empty list");
    size_t n = 0;
    for (auto& a : doc["agents"]) {
      ++n;
      auto where = path + ": agent #" + std::to_string(n);
      auto spec = connectors::agent_spec_from_json(a, where);
      if (!spec) {
        auto text = connectors::error_text(spec.error());
        if (text.rfind(path, 0) != 0)
          text = where + ": " + text;
        return make_error(errc::malformed_input, text);
      }
      out.agents.push_back(std::move(*spec));
      out.sources.push_back(where);
    }
    if (doc.contains("params"))
      if (auto err = apply_params(doc["params"], out.ps, path + ": params"))
        return err;
  }
  // 2. The --agent specs and the flags that apply to them.
  for (auto& text : fl.agents) {
    auto spec = connectors::parse_agent_spec(text);
    if (!spec)
      return std::move(spec.error());
    if (auto* m = std::get_if<connectors::mcp_agent>(&*spec)) {
      if (!fl.tool.empty())
        m->tool = fl.tool;
      if (!fl.prompt_arg.empty())
        m->prompt_argument = fl.prompt_arg;
      if (!fl.bearer_env.empty() && !m->stdio())
        m->bearer_env = fl.bearer_env;
    } else {
      auto& o = std::get<connectors::openai_agent>(*spec);
      o.api_key_env = fl.api_key_env;
      o.system = fl.system;
      o.temperature = fl.temperature;
      o.max_tokens = fl.max_tokens;
      o.max_retries = fl.max_retries;
      if (auto err = o.validate())
        return err;
    }
    out.agents.push_back(std::move(*spec));
    out.sources.emplace_back();
  }
  if (out.agents.empty())
    return make_error(errc::no_participants,
                      "no agents: give --agent SPEC or --agents FILE");
  // 3. Parameter flags.
  auto& ps = out.ps;
  if (fl.rounds)
    ps.rounds = *fl.rounds;
  if (fl.k)
    ps.k = *fl.k;
  if (fl.alpha)
    ps.alpha = *fl.alpha;
  if (fl.beta_1)
    ps.beta_1 = *fl.beta_1;
  if (fl.beta_2)
    ps.beta_2 = *fl.beta_2;
  if (fl.policy)
    ps.policy = *fl.policy;
  if (fl.seed) {
    auto x = rng::seed::parse(*fl.seed);
    if (!x)
      return make_error(errc::invalid_params,
                        "--seed must be an integer (decimal digits with an "
                        "optional sign, at most "
                          + std::to_string(rng::seed::max_digits)
                          + " digits), got '"
                          + connectors::terminal_safe(fl.seed->substr(0, 40))
                          + (fl.seed->size() > 40 ? "...'" : "'"));
    ps.seed = std::move(*x);
  }
  if (fl.timeout_ms)
    ps.timeout_ms = *fl.timeout_ms;
  if (fl.startup_timeout_ms) {
    if (*fl.startup_timeout_ms < 1 || *fl.startup_timeout_ms > 86400000)
      return make_error(errc::invalid_params,
                        "--startup-timeout-ms must be in [1, 86400000], got "
                          + std::to_string(*fl.startup_timeout_ms));
    out.startup_timeout_ms = *fl.startup_timeout_ms;
  }
  if (fl.alpha_preference)
    ps.alpha_preference = *fl.alpha_preference;
  if (fl.alpha_confidence)
    ps.alpha_confidence = *fl.alpha_confidence;
  if (fl.beta)
    ps.beta = *fl.beta;
  if (fl.luminance_weighted)
    ps.luminance_weighted = true;
  if (fl.delta)
    ps.delta = *fl.delta;
  if (fl.max_calls)
    ps.max_calls = *fl.max_calls;
  if (fl.stop_on_unanimity)
    ps.stop_on_unanimity = true;
  if (fl.extractor && !from_string(*fl.extractor, ps.extractor))
    return make_error(errc::invalid_params,
                      "--extractor must be text, last-number or regex, got '"
                        + *fl.extractor + "'");
  if (fl.extractor_pattern)
    ps.extractor_pattern = *fl.extractor_pattern;
  // 4. Check ids and parameters the way a run does, before any connection.
  std::vector<std::string> ids;
  for (auto& a : out.agents)
    ids.push_back(connectors::id_of(a));
  if (auto eng = engine::make("check", ids, ps); !eng)
    return std::move(eng.error());
  return out;
}

} // namespace caf::consensus::cli

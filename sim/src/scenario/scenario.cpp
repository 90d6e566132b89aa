#include "caf/consensus/sim/scenario/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/policy.hpp"
#include "caf/consensus/policy/registry.hpp"

namespace caf::consensus::sim {

namespace {

// -- limits -------------------------------------------------------------------

constexpr uint64_t max_agents = 100'000;
constexpr uint64_t max_runs = 1'000'000'000;
constexpr uint64_t max_replicates = 1'000'000'000;
constexpr uint64_t max_axis_values = 100'000;
constexpr uint64_t max_seeds = 1'000'000;
constexpr int64_t max_rounds = 1'000'000;
constexpr size_t max_file_size = 64 * 1024 * 1024;
constexpr int64_t int32_max = std::numeric_limits<int32_t>::max();
constexpr int64_t int64_max = std::numeric_limits<int64_t>::max();
constexpr double inf = std::numeric_limits<double>::infinity();

// -- failures -----------------------------------------------------------------

/// A problem with one key of a scenario (thrown while parsing or applying).
struct failure {
  /// 1-based line; 0: unknown.
  int line;
  std::string key;
  std::string problem;
};

[[noreturn]] void fail(int line, std::string key, std::string problem) {
  throw failure{line, std::move(key), std::move(problem)};
}

std::string where(const std::string& origin, int line) {
  return line > 0 ? origin + ":" + std::to_string(line) : origin;
}

error to_error(const std::string& origin, const failure& x) {
  return make_error(errc::malformed_input, where(origin, x.line) + ": key '"
                                             + x.key + "': " + x.problem);
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out += ", ";
    out += x;
  }
  return out;
}

/// Returns ` (accepted: a, b, c)`, with at most 20 entries.
std::string accepted(const std::vector<std::string>& xs) {
  constexpr size_t max_listed = 20;
  if (xs.size() <= max_listed)
    return " (accepted: " + join(xs) + ")";
  std::vector<std::string> head{xs.begin(), xs.begin() + max_listed};
  return " (accepted: " + join(head) + ", ... " + std::to_string(xs.size())
         + " in all)";
}

/// Quotes user text for a message: at most 60 bytes (cut at a character
/// boundary), control characters replaced by '?'.
std::string quote(const std::string& x) {
  std::string out = "'";
  for (size_t i = 0; i < x.size(); ++i) {
    auto c = static_cast<unsigned char>(x[i]);
    if (i >= 60 && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    out += (c < 0x20 || c == 0x7F) ? '?' : x[i];
  }
  out += '\'';
  return out;
}

std::string fixed(double x) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.0f", x);
  return buf;
}

std::string num(double x) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  os << x;
  return os.str();
}

// -- names --------------------------------------------------------------------

const std::vector<std::string>& top_keys() {
  static const std::vector<std::string> xs{
    "name",         "description", "prompt",     "policy", "params", "labels",
    "ground_truth", "agents",      "replicates", "seed",   "seeds",  "sweep"};
  return xs;
}

const std::vector<std::string>& param_keys() {
  static const std::vector<std::string> xs{"rounds",
                                           "k",
                                           "alpha",
                                           "beta_1",
                                           "beta_2",
                                           "timeout_ms",
                                           "beta",
                                           "alpha_preference",
                                           "alpha_confidence",
                                           "luminance_weighted",
                                           "stop_on_unanimity",
                                           "extractor",
                                           "extractor_pattern"};
  return xs;
}

const std::vector<std::string>& group_keys() {
  static const std::vector<std::string> xs{"name",      "count",
                                           "latency",   "answers",
                                           "behaviour", "wrong_label",
                                           "noise",     "faults"};
  return xs;
}

const std::vector<std::string>& fault_keys() {
  static const std::vector<std::string> xs{"fail", "no_answer", "crash_after"};
  return xs;
}

/// Group fields a sweep may set (`agents.<group>.<field>`).
const std::vector<std::string>& group_axis_fields() {
  static const std::vector<std::string> xs{"count",          "fail",
                                           "no_answer",      "crash_after",
                                           "noise",          "behaviour",
                                           "conform_p",      "wrong_label",
                                           "latency",        "latency.<field>",
                                           "answers.<label>"};
  return xs;
}

std::vector<std::string> axis_keys() {
  auto xs = param_keys();
  xs.emplace_back("policy");
  xs.emplace_back("agents.<group>.<field>");
  return xs;
}

const std::vector<std::string>& behaviour_names() {
  static const std::vector<std::string> xs{"stubborn",  "resample",
                                           "copy-peer", "majority",
                                           "conform:P", "fixed-wrong",
                                           "flip-flop", "balancing"};
  return xs;
}

const std::vector<std::string>& dist_names() {
  static const std::vector<std::string> xs{
    "constant", "uniform", "normal", "lognormal", "exponential", "empirical"};
  return xs;
}

/// The file's field names of a distribution's `a` and `b` (empty: unused).
std::pair<std::string, std::string> dist_fields(latency_model::kind x) {
  using k = latency_model::kind;
  switch (x) {
    case k::constant:
      return {"ms", ""};
    case k::uniform:
      return {"min_ms", "max_ms"};
    case k::normal:
      return {"mean_ms", "sd_ms"};
    case k::lognormal:
      return {"median_ms", "sigma"};
    case k::exponential:
      return {"mean_ms", ""};
    case k::empirical:
      return {"", ""};
  }
  return {"", ""};
}

std::string dist_name(latency_model::kind x) {
  return dist_names()[static_cast<size_t>(x)];
}

bool is_identifier(const std::string& x) {
  if (x.empty())
    return false;
  for (auto c : x)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      return false;
  return true;
}

// -- values -------------------------------------------------------------------

/// A value to convert: a YAML node or a sweep value (text).
struct value {
  enum class kind { null, scalar, map, list };
  kind type = kind::null;
  std::string text;
  /// False for quoted or explicitly tagged scalars (strings only).
  bool plain = true;
  /// Number of elements of a map or list.
  size_t size = 0;
  int line = 0;
  std::string key;
};

bool is_null_text(const std::string& x) {
  return x.empty() || x == "~" || x == "null" || x == "Null" || x == "NULL";
}

value from_node(const YAML::Node& n, std::string key, int line) {
  value v;
  v.key = std::move(key);
  v.line = line;
  if (!n.IsDefined() || n.IsNull()) {
    v.type = value::kind::null;
  } else if (n.IsScalar()) {
    v.type = value::kind::scalar;
    v.text = n.Scalar();
    v.plain = n.Tag() == "?";
  } else if (n.IsMap()) {
    v.type = value::kind::map;
    v.size = n.size();
  } else {
    v.type = value::kind::list;
    v.size = n.size();
  }
  return v;
}

value from_text(const std::string& text, std::string key, int line) {
  value v;
  v.key = std::move(key);
  v.line = line;
  v.type = is_null_text(text) ? value::kind::null : value::kind::scalar;
  v.text = text;
  return v;
}

std::string describe(const value& v) {
  switch (v.type) {
    case value::kind::null:
      return "null";
    case value::kind::map:
      return v.size == 0 ? "an empty map" : "a map";
    case value::kind::list:
      return v.size == 0 ? "an empty list" : "a list";
    default:
      return v.plain ? quote(v.text) : "the string " + quote(v.text);
  }
}

[[noreturn]] void expected_(const value& v, const std::string& what) {
  fail(v.line, v.key, "expected " + what + ", got " + describe(v));
}

bool is_int_text(const std::string& x) {
  size_t i = 0;
  if (i < x.size() && (x[i] == '+' || x[i] == '-'))
    ++i;
  if (i == x.size())
    return false;
  for (; i < x.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(x[i])))
      return false;
  return true;
}

bool is_num_text(const std::string& x) {
  size_t i = 0;
  auto digits = [&] {
    size_t n = 0;
    while (i < x.size() && std::isdigit(static_cast<unsigned char>(x[i]))) {
      ++i;
      ++n;
    }
    return n;
  };
  if (i < x.size() && (x[i] == '+' || x[i] == '-'))
    ++i;
  auto n = digits();
  if (i < x.size() && x[i] == '.') {
    ++i;
    n += digits();
  }
  if (n == 0)
    return false;
  if (i < x.size() && (x[i] == 'e' || x[i] == 'E')) {
    ++i;
    if (i < x.size() && (x[i] == '+' || x[i] == '-'))
      ++i;
    if (digits() == 0)
      return false;
  }
  return i == x.size();
}

/// Parses a decimal integer; nullopt if not one or out of range.
template <class T>
std::optional<T> parse_int(std::string x) {
  if (!is_int_text(x))
    return std::nullopt;
  if (x[0] == '+')
    x.erase(0, 1);
  if (std::is_unsigned_v<T> && x[0] == '-')
    return std::nullopt;
  T result = 0;
  auto [ptr, ec] = std::from_chars(x.data(), x.data() + x.size(), result);
  if (ec != std::errc{} || ptr != x.data() + x.size())
    return std::nullopt;
  return result;
}

/// Parses a finite decimal number; nullopt if not one or out of range.
std::optional<double> parse_num(std::string x) {
  if (!is_num_text(x))
    return std::nullopt;
  if (x[0] == '+')
    x.erase(0, 1);
  double result = 0;
  auto [ptr, ec] = std::from_chars(x.data(), x.data() + x.size(), result);
  if (ec == std::errc::result_out_of_range) {
    // Underflow (1e-400) reads as 0, overflow (1e400) is an error.
    auto e = x.find_first_of("eE");
    if (e != std::string::npos && e + 1 < x.size() && x[e + 1] == '-')
      return 0.0;
    return std::nullopt;
  }
  if (ec != std::errc{} || ptr != x.data() + x.size() || !std::isfinite(result))
    return std::nullopt;
  return result;
}

int64_t to_int(const value& v, int64_t lo, int64_t hi) {
  auto what = hi == int64_max ? "an integer >= " + std::to_string(lo)
                              : "an integer in [" + std::to_string(lo) + ", "
                                  + std::to_string(hi) + "]";
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, what);
  auto x = parse_int<int64_t>(v.text);
  if (!x || *x < lo || *x > hi)
    expected_(v, what);
  return *x;
}

uint64_t to_uint(const value& v) {
  auto what = "an integer in [0, "
              + std::to_string(std::numeric_limits<uint64_t>::max()) + "]";
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, what);
  auto x = parse_int<uint64_t>(v.text);
  if (!x)
    expected_(v, what);
  return *x;
}

std::string num_range(double lo, double hi) {
  if (lo == -inf && hi == inf)
    return "a finite number";
  if (hi == inf)
    return "a number >= " + num(lo);
  return "a number in [" + num(lo) + ", " + num(hi) + "]";
}

double to_num(const value& v, double lo, double hi) {
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, num_range(lo, hi));
  auto x = parse_num(v.text);
  if (!x || *x < lo || *x > hi)
    expected_(v, num_range(lo, hi));
  return *x;
}

bool to_bool(const value& v) {
  if (v.type == value::kind::scalar && v.plain) {
    auto& x = v.text;
    if (x == "true" || x == "True" || x == "TRUE")
      return true;
    if (x == "false" || x == "False" || x == "FALSE")
      return false;
  }
  expected_(v, "true or false");
}

std::string to_str(const value& v) {
  if (v.type != value::kind::scalar)
    expected_(v, "a string");
  return v.text;
}

std::string to_text(const value& v) {
  if (v.type != value::kind::scalar)
    expected_(v, "a non-empty string");
  auto& x = v.text;
  if (x.find_first_not_of(" \t\r\n") == std::string::npos)
    expected_(v, "a non-empty string");
  return x;
}

/// Checks a name (label or group) made of letters, digits, '_' and '-'.
void check_identifier(const std::string& x, const char* what, int line,
                      const std::string& key) {
  if (!is_identifier(x))
    fail(line, key,
         std::string{"expected a "} + what
           + " of letters, digits, '_' and '-', got " + quote(x));
}

std::string to_label(const value& v) {
  auto x = to_str(v);
  check_identifier(x, "label", v.line, v.key);
  return x;
}

// -- setters (shared by the file parser and sweeps) ---------------------------

void set_policy(params& ps, const value& v) {
  auto x = to_str(v);
  auto known = policy::names();
  if (std::find(known.begin(), known.end(), x) == known.end())
    fail(v.line, v.key, "unknown policy " + quote(x) + accepted(known));
  ps.policy = std::move(x);
}

/// Sets params key `name` (one of `param_keys()`).
void set_param(params& ps, const std::string& name, const value& v) {
  if (name == "rounds") {
    ps.rounds = static_cast<int32_t>(to_int(v, 0, max_rounds));
  } else if (name == "k") {
    ps.k = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha") {
    ps.alpha = to_num(v, -inf, inf);
  } else if (name == "beta_1") {
    ps.beta_1 = to_num(v, -inf, inf);
  } else if (name == "beta_2") {
    ps.beta_2 = to_num(v, -inf, inf);
  } else if (name == "timeout_ms") {
    ps.timeout_ms = to_int(v, 1, int64_max);
  } else if (name == "beta") {
    ps.beta = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha_preference") {
    ps.alpha_preference = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "alpha_confidence") {
    ps.alpha_confidence = static_cast<int32_t>(to_int(v, 0, int32_max));
  } else if (name == "luminance_weighted") {
    ps.luminance_weighted = to_bool(v);
  } else if (name == "stop_on_unanimity") {
    ps.stop_on_unanimity = to_bool(v);
  } else if (name == "extractor") {
    auto x = to_str(v);
    if (x == "normalized-text" || !from_string(x, ps.extractor))
      fail(v.line, v.key,
           "unknown extractor " + quote(x)
             + accepted({"text", "last-number", "regex"}));
  } else if (name == "extractor_pattern") {
    ps.extractor_pattern = to_str(v);
  } else {
    fail(v.line, v.key, "unknown key" + accepted(param_keys()));
  }
}

void set_behaviour(agent_group& g, const value& v) {
  auto x = to_str(v);
  using b = behaviour;
  if (x == "stubborn")
    g.refine = b::stubborn;
  else if (x == "resample")
    g.refine = b::resample;
  else if (x == "copy-peer")
    g.refine = b::copy_peer;
  else if (x == "majority")
    g.refine = b::majority;
  else if (x == "fixed-wrong")
    g.refine = b::fixed_wrong;
  else if (x == "flip-flop")
    g.refine = b::flip_flop;
  else if (x == "balancing")
    g.refine = b::balancing;
  else if (x == "conform")
    g.refine = b::conform;
  else if (x.compare(0, 8, "conform:") == 0) {
    auto p = parse_num(x.substr(8));
    if (!p || *p < 0 || *p > 1)
      fail(v.line, v.key,
           "expected conform:P with P in [0, 1], got " + quote(x));
    g.refine = b::conform;
    g.conform_p = *p;
  } else {
    fail(v.line, v.key,
         "unknown behaviour " + quote(x) + accepted(behaviour_names()));
  }
}

void set_crash_after(agent_group& g, const value& v) {
  if (v.type == value::kind::null) {
    g.crash_after = -1;
    return;
  }
  auto x = v.type == value::kind::scalar && v.plain ? parse_int<int64_t>(v.text)
                                                    : std::nullopt;
  if (!x || *x < 0 || *x > int32_max)
    expected_(v, "an integer in [0, " + std::to_string(int32_max)
                   + "] or null (never crashes)");
  g.crash_after = static_cast<int32_t>(*x);
}

// -- the whole-scenario check -------------------------------------------------

/// A problem found by `check`: the key to blame and what is wrong.
struct issue {
  std::string key;
  std::string problem;
};

std::string error_text(const error& err) {
  auto& ctx = err.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return render(err);
}

/// Maps a policy's validation message (`k must be >= 1 ...`) to its key.
std::string blame_param(const std::string& msg) {
  auto word = msg.substr(0, msg.find(' '));
  if (word == "timeout")
    return "params.timeout_ms";
  auto& keys = param_keys();
  if (std::find(keys.begin(), keys.end(), word) != keys.end())
    return "params." + word;
  return "policy";
}

/// Checks everything that spans several keys (and the protocol parameters
/// through the policy's own `validate`).
std::optional<issue> check(const params& ps,
                           const std::vector<agent_group>& groups,
                           const agent_world& world) {
  auto& labels = world.labels;
  auto is_label = [&](const std::string& x) {
    return std::find(labels.begin(), labels.end(), x) != labels.end();
  };
  if (!is_label(world.ground_truth))
    return issue{"ground_truth", "unknown label " + quote(world.ground_truth)
                                   + accepted(labels)};
  uint64_t total = 0;
  for (auto& g : groups)
    total += g.count;
  if (groups.empty())
    return issue{"agents", "expected at least one group"};
  // Agent ids are `name` (count 1) or `name-1` .. `name-N`: a group of one
  // named `X-N` collides with group X if X has N agents or more. Only index
  // the names when such a group exists.
  std::unordered_map<std::string, size_t> by_name;
  auto id_like = [](const agent_group& g) {
    auto dash = g.name.rfind('-');
    return g.count == 1 && dash != std::string::npos && dash + 1 < g.name.size()
           && g.name[dash + 1] != '0' && is_int_text(g.name.substr(dash + 1));
  };
  if (std::any_of(groups.begin(), groups.end(), id_like))
    for (size_t i = 0; i < groups.size(); ++i)
      by_name.emplace(groups[i].name, i);
  uint64_t sum = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    auto& g = groups[i];
    auto path = [i] { return "agents[" + std::to_string(i) + "]"; };
    sum += g.count;
    if (sum > max_agents)
      return issue{path() + ".count", "the scenario has "
                                        + std::to_string(total)
                                        + " agents, more than the cap of "
                                        + std::to_string(max_agents)};
    if (id_like(g)) {
      auto dash = g.name.rfind('-');
      auto n = parse_int<uint64_t>(g.name.substr(dash + 1));
      auto j = by_name.find(g.name.substr(0, dash));
      if (n && j != by_name.end() && groups[j->second].count > 1
          && *n <= groups[j->second].count)
        return issue{path() + ".name", "agent id " + quote(g.name)
                                         + " of group "
                                         + quote(groups[j->second].name)
                                         + " collides with this group's name"};
    }
    auto& lat = g.latency;
    if (lat.type == latency_model::kind::uniform && lat.a > lat.b)
      return issue{path() + ".latency.max_ms", "max_ms (" + num(lat.b)
                                                 + ") must be >= min_ms ("
                                                 + num(lat.a) + ")"};
    if (lat.type == latency_model::kind::empirical && lat.values.empty())
      return issue{path() + ".latency.values_ms",
                   "expected at least one value"};
    double weights = 0;
    for (size_t j = 0; j < g.labels.size(); ++j) {
      if (!is_label(g.labels[j]))
        return issue{path() + ".answers." + g.labels[j],
                     "unknown label " + quote(g.labels[j]) + accepted(labels)};
      weights += g.weights[j];
    }
    if (g.labels.empty() || !(weights > 0) || !std::isfinite(weights))
      return issue{path() + ".answers",
                   "the weights must sum to a positive finite number"};
    if (g.fail + g.no_answer > 1)
      return issue{path() + ".faults", "fail + no_answer must be <= 1, got "
                                         + num(g.fail) + " + "
                                         + num(g.no_answer)};
    if (!g.wrong_label.empty()) {
      if (!is_label(g.wrong_label))
        return issue{path() + ".wrong_label", "unknown label "
                                                + quote(g.wrong_label)
                                                + accepted(labels)};
      if (g.wrong_label == world.ground_truth)
        return issue{path() + ".wrong_label",
                     "must differ from the ground truth "
                       + quote(world.ground_truth)};
    } else if ((g.refine == behaviour::fixed_wrong
                || g.refine == behaviour::flip_flop)
               && labels.size() < 2) {
      return issue{path() + ".behaviour",
                   "behaviour "
                     + std::string{g.refine == behaviour::fixed_wrong
                                     ? "fixed-wrong"
                                     : "flip-flop"}
                     + " needs a label other than the ground truth "
                     + quote(world.ground_truth)};
    }
  }
  auto pol = policy::make(ps.policy);
  if (!pol)
    return issue{"policy", "unknown policy " + quote(ps.policy)
                             + accepted(policy::names())};
  if (auto err = (*pol)->validate(ps, static_cast<size_t>(total))) {
    auto msg = error_text(err);
    return issue{blame_param(msg), msg};
  }
  if (ps.extractor == extractor_kind::regex) {
    if (ps.extractor_pattern.empty())
      return issue{"params.extractor",
                   "extractor 'regex' needs a non-empty extractor_pattern"};
    try {
      std::regex re{ps.extractor_pattern, std::regex::ECMAScript};
    } catch (const std::exception& e) {
      return issue{"params.extractor_pattern",
                   "not a valid regex: " + std::string{e.what()}};
    }
  }
  return std::nullopt;
}

// -- sweep axes ---------------------------------------------------------------

/// What an axis key sets.
struct target {
  enum class kind { param, policy, group };
  kind type = kind::param;
  /// Param name or group field (`latency.a`, `latency.b`, `answers`, ...).
  std::string field;
  size_t group = 0;
  /// For `answers.<label>`.
  std::string label;
};

/// Parses an axis key against the groups and labels it applies to. Throws
/// a failure naming `path` at `line`.
target
parse_axis_key(const std::string& key, const std::vector<agent_group>& groups,
               const agent_world& world, const std::string& path, int line) {
  target t;
  auto& pk = param_keys();
  if (std::find(pk.begin(), pk.end(), key) != pk.end()) {
    t.field = key;
    return t;
  }
  if (key == "policy") {
    t.type = target::kind::policy;
    return t;
  }
  if (key.compare(0, 7, "agents.") != 0)
    fail(line, path, "unknown sweep key" + accepted(axis_keys()));
  t.type = target::kind::group;
  auto rest = key.substr(7);
  auto dot = rest.find('.');
  auto name = rest.substr(0, dot);
  std::vector<std::string> names;
  for (size_t i = 0; i < groups.size(); ++i) {
    names.push_back(groups[i].name);
    if (groups[i].name == name)
      t.group = i;
  }
  if (std::find(names.begin(), names.end(), name) == names.end())
    fail(line, path, "unknown group " + quote(name) + accepted(names));
  if (dot == std::string::npos)
    fail(line, path,
         "expected agents.<group>.<field>" + accepted(group_axis_fields()));
  auto field = rest.substr(dot + 1);
  auto& g = groups[t.group];
  if (field.compare(0, 8, "latency.") == 0) {
    auto sub = field.substr(8);
    auto [a, b] = dist_fields(g.latency.type);
    std::vector<std::string> ok;
    if (!a.empty()) {
      ok.push_back(a);
      if (!b.empty())
        ok.push_back(b);
      ok.push_back("a");
      if (!b.empty())
        ok.push_back("b");
    }
    if (!a.empty() && (sub == a || sub == "a")) {
      t.field = "latency.a";
    } else if (!b.empty() && (sub == b || sub == "b")) {
      t.field = "latency.b";
    } else {
      auto what = "unknown field " + quote(sub) + " for group " + quote(g.name)
                  + ", whose latency is " + dist_name(g.latency.type);
      if (ok.empty())
        fail(line, path, what + " (it has no scalar field)");
      fail(line, path, what + accepted(ok));
    }
    return t;
  }
  if (field.compare(0, 8, "answers.") == 0) {
    t.field = "answers";
    t.label = field.substr(8);
    auto& ls = world.labels;
    if (std::find(ls.begin(), ls.end(), t.label) == ls.end())
      fail(line, path, "unknown label " + quote(t.label) + accepted(ls));
    return t;
  }
  auto& fs = group_axis_fields();
  if (field.find('<') != std::string::npos
      || std::find(fs.begin(), fs.end(), field) == fs.end())
    fail(line, path, "unknown group field " + quote(field) + accepted(fs));
  t.field = field;
  return t;
}

/// Applies value `v` to axis `key`.
void apply_axis(params& ps, std::vector<agent_group>& groups,
                agent_world& world, const std::string& key,
                const std::string& path, int key_line, const value& v) {
  auto t = parse_axis_key(key, groups, world, path, key_line);
  switch (t.type) {
    case target::kind::param:
      set_param(ps, t.field, v);
      break;
    case target::kind::policy:
      set_policy(ps, v);
      break;
    case target::kind::group: {
      auto& g = groups[t.group];
      auto& f = t.field;
      if (f == "count")
        g.count = static_cast<uint32_t>(to_int(v, 1, max_agents));
      else if (f == "fail")
        g.fail = to_num(v, 0, 1);
      else if (f == "no_answer")
        g.no_answer = to_num(v, 0, 1);
      else if (f == "crash_after")
        set_crash_after(g, v);
      else if (f == "noise")
        g.noise = to_num(v, 0, 1);
      else if (f == "behaviour")
        set_behaviour(g, v);
      else if (f == "conform_p")
        g.conform_p = to_num(v, 0, 1);
      else if (f == "wrong_label")
        g.wrong_label = to_label(v);
      else if (f == "latency") {
        g.latency.type = latency_model::kind::constant;
        g.latency.a = to_num(v, 0, inf);
        g.latency.b = 0;
        g.latency.values.clear();
      } else if (f == "latency.a")
        g.latency.a = to_num(v, 0, inf);
      else if (f == "latency.b")
        g.latency.b = to_num(v, 0, inf);
      else if (f == "answers") {
        auto w = to_num(v, 0, inf);
        auto i = std::find(g.labels.begin(), g.labels.end(), t.label);
        if (i == g.labels.end()) {
          g.labels.push_back(t.label);
          g.weights.push_back(w);
        } else {
          g.weights[static_cast<size_t>(i - g.labels.begin())] = w;
        }
      }
      break;
    }
  }
  world.timeout_ms = ps.timeout_ms;
}

uint64_t saturating_mul(uint64_t x, uint64_t y) {
  if (x != 0 && y > std::numeric_limits<uint64_t>::max() / x)
    return std::numeric_limits<uint64_t>::max();
  return x * y;
}

// -- the file parser ----------------------------------------------------------

/// One entry of a YAML map.
struct entry {
  std::string name;
  YAML::Node node;
  /// Dotted path of the entry.
  std::string key;
  int key_line = 0;
  /// Line of the value (the key's line for null values).
  int line = 0;

  value val() const {
    return from_node(node, key, line);
  }
};

int line_of(const YAML::Node& n, int fallback) {
  if (n.IsNull() || n.Mark().line < 0)
    return fallback;
  return n.Mark().line + 1;
}

class parser {
public:
  explicit parser(std::string origin) : origin_(std::move(origin)) {
    // nop
  }

  scenario run(const YAML::Node& root);

  /// Returns the line recorded for `key` or its closest ancestor.
  int line_for(std::string key) const {
    for (;;) {
      auto i = lines_.find(key);
      if (i != lines_.end())
        return i->second;
      auto pos = key.find_last_of(".[");
      if (pos == std::string::npos || pos == 0)
        break;
      key.erase(pos);
    }
    auto i = lines_.find("policy");
    return i != lines_.end() ? i->second : 0;
  }

private:
  /// Returns the entries of map `n` at `path`, rejecting duplicate keys and
  /// keys outside `ok` (unless `ok` is null).
  std::vector<entry> entries(const YAML::Node& n, const std::string& path,
                             int line, const std::vector<std::string>* ok,
                             const std::string& what) {
    if (!n.IsMap())
      expected_(from_node(n, path, line_of(n, line)), what);
    std::vector<entry> out;
    std::set<std::string> seen;
    for (auto i = n.begin(); i != n.end(); ++i) {
      entry e;
      auto key_line = line_of(i->first, line);
      if (!i->first.IsScalar())
        fail(key_line, path,
             "expected plain keys, got "
               + describe(from_node(i->first, path, key_line)) + " as a key");
      e.name = i->first.Scalar();
      e.key = path.empty() ? e.name : path + "." + e.name;
      e.key_line = key_line;
      e.node = i->second;
      e.line = line_of(i->second, key_line);
      if (ok && std::find(ok->begin(), ok->end(), e.name) == ok->end())
        fail(key_line, e.key, "unknown key" + accepted(*ok));
      if (!seen.insert(e.name).second)
        fail(key_line, e.key, "duplicate key");
      lines_[e.key] = key_line;
      out.push_back(std::move(e));
    }
    return out;
  }

  const entry* find(const std::vector<entry>& es, const std::string& name) {
    for (auto& e : es)
      if (e.name == name)
        return &e;
    return nullptr;
  }

  [[noreturn]] void missing(int line, const std::string& key,
                            const std::string& extra = "") {
    fail(line, key, "missing required key" + extra);
  }

  void parse_params(const entry& e, params& ps);
  void parse_labels(const entry& e, agent_world& world);
  agent_group parse_group(const YAML::Node& n, size_t index, int line);
  latency_model parse_latency(const entry& e);
  void parse_seeds(const entry& e, scenario& s);
  void parse_sweep(const entry& e, scenario& s);

  std::string origin_;
  std::map<std::string, int> lines_;
};

void parser::parse_params(const entry& e, params& ps) {
  for (auto& x : entries(e.node, e.key, e.line, &param_keys(),
                         "a map of protocol parameters"))
    set_param(ps, x.name, x.val());
}

void parser::parse_labels(const entry& e, agent_world& world) {
  auto add = [&](const std::string& label, const std::string& tmpl) {
    world.labels.push_back(label);
    world.templates.push_back(tmpl);
  };
  if (e.node.IsSequence()) {
    std::set<std::string> seen;
    size_t i = 0;
    for (auto x : e.node) {
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      auto label = to_label(v);
      if (!seen.insert(label).second)
        fail(v.line, v.key, "duplicate label " + quote(label));
      lines_[e.key + "." + label] = v.line;
      add(label, default_template(label));
    }
  } else {
    for (auto& x : entries(e.node, e.key, e.line, nullptr,
                           "a map of label: template (or a list of labels)")) {
      check_identifier(x.name, "label", x.key_line, x.key);
      auto v = x.val();
      if (v.type == value::kind::null)
        add(x.name, default_template(x.name));
      else if (v.type == value::kind::scalar)
        add(x.name, to_text(v));
      else
        expected_(v, "a text template or null");
    }
  }
  if (world.labels.empty())
    expected_(e.val(), "at least one label");
}

latency_model parser::parse_latency(const entry& e) {
  latency_model m;
  auto v = e.val();
  if (v.type == value::kind::scalar) {
    m.type = latency_model::kind::constant;
    m.a = to_num(v, 0, inf);
    return m;
  }
  if (v.type != value::kind::map)
    expected_(v, "a number of ms or a map with 'dist'");
  // Find `dist` first: it decides which other keys are accepted.
  std::string dist;
  int dist_line = e.line;
  bool has_dist = false;
  for (auto i = e.node.begin(); i != e.node.end(); ++i) {
    if (!has_dist && i->first.IsScalar() && i->first.Scalar() == "dist") {
      has_dist = true;
      dist_line = line_of(i->first, e.line);
      dist = to_str(from_node(i->second, e.key + ".dist", dist_line));
    }
  }
  auto& names = dist_names();
  auto pos = std::find(names.begin(), names.end(), dist);
  if (!has_dist)
    missing(e.key_line, e.key + ".dist", accepted(names));
  if (pos == names.end())
    fail(dist_line, e.key + ".dist",
         "unknown distribution " + quote(dist) + accepted(names));
  m.type = static_cast<latency_model::kind>(pos - names.begin());
  auto [a, b] = dist_fields(m.type);
  std::vector<std::string> ok{"dist"};
  if (m.type == latency_model::kind::empirical) {
    ok.emplace_back("values_ms");
  } else {
    ok.push_back(a);
    if (!b.empty())
      ok.push_back(b);
  }
  auto es = entries(e.node, e.key, e.line, &ok, "");
  for (size_t i = 1; i < ok.size(); ++i)
    if (!find(es, ok[i]))
      missing(e.key_line, e.key + "." + ok[i], " for dist " + dist);
  m.b = 0;
  for (auto& x : es) {
    if (x.name == "dist")
      continue;
    if (x.name == "values_ms") {
      if (!x.node.IsSequence())
        expected_(x.val(), "a list of numbers >= 0");
      size_t i = 0;
      for (auto y : x.node) {
        auto yv = from_node(y, x.key + "[" + std::to_string(i++) + "]",
                            line_of(y, x.line));
        m.values.push_back(to_num(yv, 0, inf));
      }
      if (m.values.empty())
        expected_(x.val(), "at least one value");
      m.a = 0;
    } else if (x.name == a) {
      m.a = to_num(x.val(), 0, inf);
    } else {
      m.b = to_num(x.val(), 0, inf);
    }
  }
  return m;
}

agent_group parser::parse_group(const YAML::Node& n, size_t index, int line) {
  agent_group g;
  auto path = "agents[" + std::to_string(index) + "]";
  lines_[path] = line;
  auto es = entries(n, path, line, &group_keys(),
                    "a map describing a group of agents");
  auto name = find(es, "name");
  if (!name)
    missing(line, path + ".name");
  auto nv = name->val();
  g.name = to_str(nv);
  check_identifier(g.name, "group name", nv.line, nv.key);
  for (auto& x : es) {
    auto v = x.val();
    if (x.name == "count") {
      g.count = static_cast<uint32_t>(to_int(v, 1, max_agents));
    } else if (x.name == "latency") {
      g.latency = parse_latency(x);
    } else if (x.name == "answers") {
      auto as = entries(x.node, x.key, x.line, nullptr,
                        "a map of label: weight");
      if (as.empty())
        expected_(v, "at least one label: weight");
      for (auto& y : as) {
        check_identifier(y.name, "label", y.key_line, y.key);
        g.labels.push_back(y.name);
        g.weights.push_back(to_num(y.val(), 0, inf));
      }
    } else if (x.name == "behaviour") {
      set_behaviour(g, v);
    } else if (x.name == "wrong_label") {
      g.wrong_label = to_label(v);
    } else if (x.name == "noise") {
      g.noise = to_num(v, 0, 1);
    } else if (x.name == "faults") {
      for (auto& y : entries(x.node, x.key, x.line, &fault_keys(),
                             "a map of fail, no_answer, crash_after")) {
        if (y.name == "fail")
          g.fail = to_num(y.val(), 0, 1);
        else if (y.name == "no_answer")
          g.no_answer = to_num(y.val(), 0, 1);
        else
          set_crash_after(g, y.val());
      }
    }
  }
  return g;
}

void parser::parse_seeds(const entry& e, scenario& s) {
  if (e.node.IsSequence()) {
    size_t i = 0;
    for (auto x : e.node) {
      if (i == max_seeds)
        fail(line_of(x, e.line), e.key,
             "expected at most " + std::to_string(max_seeds) + " seeds");
      auto v = from_node(x, e.key + "[" + std::to_string(i++) + "]",
                         line_of(x, e.line));
      s.seeds.push_back(to_uint(v));
    }
    if (s.seeds.empty())
      expected_(e.val(), "at least one seed");
    return;
  }
  static const std::vector<std::string> ok{"from", "to"};
  auto es = entries(e.node, e.key, e.line, &ok,
                    "a list of seeds or a map with 'from' and 'to'");
  auto from = find(es, "from");
  auto to = find(es, "to");
  if (!from)
    missing(e.key_line, e.key + ".from");
  if (!to)
    missing(e.key_line, e.key + ".to");
  auto lo = to_uint(from->val());
  auto hi = to_uint(to->val());
  if (hi < lo)
    fail(to->line, to->key,
         "expected 'to' >= 'from' (" + std::to_string(lo) + "), got "
           + std::to_string(hi));
  if (hi - lo >= max_seeds)
    fail(to->line, to->key,
         "expected at most " + std::to_string(max_seeds) + " seeds, got "
           + (hi - lo == std::numeric_limits<uint64_t>::max()
                ? std::string{"2^64"}
                : std::to_string(hi - lo + 1)));
  for (auto x = lo;; ++x) {
    s.seeds.push_back(x);
    if (x == hi)
      break;
  }
}

void parser::parse_sweep(const entry& e, scenario& s) {
  auto es = entries(e.node, e.key, e.line, nullptr,
                    "a map of key: list of values");
  for (auto& x : es) {
    sweep_axis axis;
    axis.key = x.name;
    axis.line = x.key_line;
    // The key must make sense before its values do.
    static_cast<void>(
      parse_axis_key(axis.key, s.groups, s.world, x.key, x.key_line));
    if (x.node.IsSequence()) {
      size_t i = 0;
      for (auto y : x.node) {
        auto line = line_of(y, x.line);
        if (i == max_axis_values)
          fail(line, x.key,
               "expected at most " + std::to_string(max_axis_values)
                 + " values");
        auto v = from_node(y, x.key + "[" + std::to_string(i++) + "]", line);
        if (v.type == value::kind::map || v.type == value::kind::list)
          expected_(v, "a scalar value");
        axis.values.push_back(v.type == value::kind::null ? "null" : v.text);
        axis.lines.push_back(line);
      }
      if (axis.values.empty())
        fail(x.line, x.key, "expected at least one value, got an empty list");
    } else if (x.node.IsMap()) {
      static const std::vector<std::string> ok{"from", "to", "step"};
      auto rs = entries(x.node, x.key, x.line, &ok, "");
      auto from = find(rs, "from");
      auto to = find(rs, "to");
      auto step = find(rs, "step");
      if (!from)
        missing(x.key_line, x.key + ".from");
      if (!to)
        missing(x.key_line, x.key + ".to");
      auto lo = to_num(from->val(), -inf, inf);
      auto hi = to_num(to->val(), -inf, inf);
      auto by = step ? to_num(step->val(), 0, inf) : 1.0;
      if (step && !(by > 0))
        expected_(step->val(), "a number > 0");
      if (hi < lo)
        fail(to->line, to->key,
             "expected 'to' >= 'from' (" + num(lo) + "), got " + num(hi));
      auto ilo = parse_int<int64_t>(from->val().text);
      auto ihi = parse_int<int64_t>(to->val().text);
      auto istep = step ? parse_int<int64_t>(step->val().text)
                        : std::optional<int64_t>{1};
      // Integer ranges are expanded exactly, others in doubles (values
      // printed with 12 significant digits, so 0.1 steps stay readable).
      auto int_range = ilo && ihi && istep;
      auto n = int_range ? static_cast<double>(
                 (static_cast<__int128>(*ihi) - *ilo) / *istep + 1)
                         : std::floor((hi - lo) / by + 1e-9) + 1;
      if (!(n <= static_cast<double>(max_axis_values)))
        fail(x.line, x.key,
             "expected at most " + std::to_string(max_axis_values)
               + " values, the range has " + fixed(n));
      auto count = static_cast<size_t>(n);
      for (size_t i = 0; i < count; ++i) {
        if (int_range) {
          axis.values.push_back(
            std::to_string(*ilo + static_cast<int64_t>(i) * *istep));
        } else {
          char buf[64];
          std::snprintf(buf, sizeof(buf), "%.12g",
                        lo + static_cast<double>(i) * by);
          axis.values.push_back(buf);
        }
        axis.lines.push_back(x.line);
      }
    } else {
      expected_(x.val(), "a list of values or a map with 'from', 'to' and "
                         "'step'");
    }
    // Check every value on its own against the base scenario. An axis sets
    // params or one group: restore just that after each value (copying all
    // groups per value would make this quadratic).
    auto t = parse_axis_key(axis.key, s.groups, s.world, x.key, x.key_line);
    auto groups = s.groups;
    for (size_t i = 0; i < axis.values.size(); ++i) {
      auto path = x.key + "[" + std::to_string(i) + "]";
      auto ps = s.ps;
      auto world = s.world;
      apply_axis(ps, groups, world, axis.key, x.key, x.key_line,
                 from_text(axis.values[i], path, axis.lines[i]));
      if (auto bad = check(ps, groups, world))
        fail(axis.lines[i], path,
             "value " + quote(axis.values[i]) + ": " + bad->problem);
      if (t.type == target::kind::group)
        groups[t.group] = s.groups[t.group];
    }
    s.sweep.push_back(std::move(axis));
  }
  auto cells = cell_count(s);
  auto runs = saturating_mul(cells, s.replicates);
  if (runs > max_runs)
    fail(e.key_line, e.key,
         std::to_string(cells) + " cells x " + std::to_string(s.replicates)
           + " replicates = "
           + (runs == std::numeric_limits<uint64_t>::max()
                ? std::string{"more than 2^64"}
                : std::to_string(runs))
           + " runs, more than the cap of " + std::to_string(max_runs));
}

scenario parser::run(const YAML::Node& root) {
  scenario s;
  s.file = origin_;
  auto stem = std::filesystem::path{origin_}.stem().string();
  s.name = stem.empty() ? "scenario" : stem;
  auto es = entries(root, "", 1, &top_keys(), "a map");
  auto get = [&](const char* name) { return find(es, name); };
  if (auto e = get("name"))
    s.name = to_text(e->val());
  if (auto e = get("description"))
    s.description = e->val().type == value::kind::null ? "" : to_str(e->val());
  if (auto e = get("prompt"))
    s.prompt = to_text(e->val());
  if (auto e = get("policy"))
    set_policy(s.ps, e->val());
  if (auto e = get("params"))
    parse_params(*e, s.ps);
  auto labels = get("labels");
  if (labels)
    parse_labels(*labels, s.world);
  auto gt = get("ground_truth");
  if (!gt)
    missing(1, "ground_truth");
  s.world.ground_truth = to_label(gt->val());
  if (labels) {
    auto& ls = s.world.labels;
    if (std::find(ls.begin(), ls.end(), s.world.ground_truth) == ls.end())
      fail(gt->line, gt->key,
           "unknown label " + quote(s.world.ground_truth) + accepted(ls));
  }
  auto agents = get("agents");
  if (!agents)
    missing(1, "agents");
  if (!agents->node.IsSequence())
    expected_(agents->val(), "a list of agent groups");
  std::map<std::string, std::string> names;
  size_t index = 0;
  for (auto x : agents->node) {
    auto g = parse_group(x, index, line_of(x, agents->line));
    auto path = "agents[" + std::to_string(index) + "]";
    auto [i, added] = names.emplace(g.name, path);
    if (!added)
      fail(line_for(path + ".name"), path + ".name",
           "duplicate group name " + quote(g.name) + " (also " + i->second
             + ")");
    s.groups.push_back(std::move(g));
    ++index;
  }
  if (s.groups.empty())
    expected_(agents->val(), "at least one agent group");
  // Labels default to the answers' labels in first-seen order, plus the
  // ground truth.
  if (!labels) {
    auto& ls = s.world.labels;
    auto add = [&](const std::string& x) {
      if (std::find(ls.begin(), ls.end(), x) == ls.end()) {
        ls.push_back(x);
        s.world.templates.push_back(default_template(x));
      }
    };
    for (auto& g : s.groups)
      for (auto& x : g.labels)
        add(x);
    add(s.world.ground_truth);
  }
  for (auto& g : s.groups) {
    if (g.labels.empty()) {
      g.labels.push_back(s.world.ground_truth);
      g.weights.push_back(1);
    }
  }
  s.world.timeout_ms = s.ps.timeout_ms;
  if (auto bad = check(s.ps, s.groups, s.world))
    fail(line_for(bad->key), bad->key, bad->problem);
  // Replicates and seeds.
  auto reps = get("replicates");
  if (reps)
    s.replicates = static_cast<uint64_t>(
      to_int(reps->val(), 1, static_cast<int64_t>(max_replicates)));
  auto seed = get("seed");
  if (seed)
    s.seed = to_uint(seed->val());
  if (auto e = get("seeds")) {
    if (seed)
      fail(e->key_line, e->key, "'seed' and 'seeds' are mutually exclusive");
    parse_seeds(*e, s);
    if (reps && s.replicates != s.seeds.size())
      fail(reps->line, reps->key,
           "replicates (" + std::to_string(s.replicates)
             + ") differs from the number of seeds ("
             + std::to_string(s.seeds.size()) + ")");
    s.replicates = s.seeds.size();
  }
  if (auto e = get("sweep"))
    parse_sweep(*e, s);
  return s;
}

/// Records where each YAML document starts (and ignores everything else).
class document_counter : public YAML::EventHandler {
public:
  std::vector<YAML::Mark> starts;

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
  }
  void OnDocumentEnd() override {
    // nop
  }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {
    // nop
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {
    // nop
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    // nop
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    // nop
  }
  void OnSequenceEnd() override {
    // nop
  }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    // nop
  }
  void OnMapEnd() override {
    // nop
  }
};

std::string fnv1a(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (auto c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx",
                static_cast<unsigned long long>(h));
  return buf;
}

} // namespace

// -- loading ------------------------------------------------------------------

expected<scenario> load_scenario(const std::string& path) {
  auto f = std::fopen(path.c_str(), "rb");
  if (!f)
    return make_error(errc::malformed_input,
                      path + ": cannot open: " + std::strerror(errno));
  std::string text;
  char buf[65536];
  for (;;) {
    auto n = std::fread(buf, 1, sizeof(buf), f);
    text.append(buf, n);
    if (text.size() > max_file_size) {
      std::fclose(f);
      return make_error(errc::malformed_input,
                        path + ": cannot read: larger than "
                          + std::to_string(max_file_size / (1024 * 1024))
                          + " MiB");
    }
    if (n < sizeof(buf))
      break;
  }
  auto err = std::ferror(f) ? errno : 0;
  std::fclose(f);
  if (err != 0)
    return make_error(errc::malformed_input,
                      path + ": cannot read: " + std::strerror(err));
  return parse_scenario(text, path);
}

expected<scenario> parse_scenario(const std::string& text,
                                  const std::string& origin) {
  auto syntax = [&](const YAML::Exception& e) {
    auto line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    // yaml-cpp may quote raw input bytes: keep the message printable.
    std::string msg;
    for (auto c : e.msg)
      msg += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
    if (auto deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
      msg = "nested too deeply (" + std::to_string(deep->depth()) + " levels)";
    return make_error(errc::malformed_input,
                      where(origin, line) + ": YAML syntax error: " + msg);
  };
  // Count the documents first (up to two). yaml-cpp 0.7 loops forever on
  // some malformed input (e.g. a leading ','): it keeps returning empty
  // documents without consuming anything, so LoadAll never ends. Two
  // documents starting at the same position mean it is stuck there.
  document_counter counter;
  YAML::Node root;
  try {
    std::istringstream in{text};
    YAML::Parser p{in};
    while (counter.starts.size() < 2 && p.HandleNextDocument(counter)) {
      // nop
    }
    auto& xs = counter.starts;
    if (xs.size() == 2 && xs[0].pos == xs[1].pos) {
      auto pos = static_cast<size_t>(std::max(xs[0].pos, 0));
      auto c = pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
      std::string what = "unexpected character";
      if (c > 0x20 && c < 0x7F)
        what += std::string{" '"} + static_cast<char>(c) + "'";
      return make_error(errc::malformed_input,
                        where(origin, xs[0].line + 1)
                          + ": YAML syntax error: " + what);
    }
    if (xs.size() == 2)
      return make_error(errc::malformed_input,
                        where(origin, xs[1].line + 1)
                          + ": a second YAML document starts here (a "
                            "scenario file holds one)");
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return syntax(e);
  } catch (const std::exception& e) {
    return make_error(errc::malformed_input,
                      origin + ": cannot parse: " + e.what());
  }
  if (!root.IsDefined() || root.IsNull())
    return make_error(errc::malformed_input,
                      origin
                        + ": empty scenario (expected a map with at "
                          "least 'ground_truth' and 'agents')");
  if (!root.IsMap())
    return make_error(
      errc::malformed_input,
      where(origin, line_of(root, 1))
        + ": expected a map of scenario keys at the top level, got "
        + describe(from_node(root, "", 0)));
  try {
    parser p{origin};
    auto s = p.run(root);
    s.hash = fnv1a(text);
    return s;
  } catch (const failure& x) {
    return to_error(origin, x);
  } catch (const YAML::Exception& e) {
    return syntax(e);
  } catch (const std::exception& e) {
    return make_error(errc::malformed_input,
                      origin + ": cannot parse: " + e.what());
  }
}

// -- sweeps -------------------------------------------------------------------

uint64_t cell_count(const scenario& s) {
  uint64_t n = 1;
  for (auto& axis : s.sweep)
    n = saturating_mul(n, axis.values.size());
  return n;
}

std::vector<size_t> cell_coordinates(const scenario& s, uint64_t cell) {
  std::vector<size_t> out(s.sweep.size(), 0);
  for (size_t i = s.sweep.size(); i-- > 0;) {
    auto m = s.sweep[i].values.size();
    if (m == 0)
      continue;
    out[i] = static_cast<size_t>(cell % m);
    cell /= m;
  }
  return out;
}

expected<scenario> resolve_cell(const scenario& s, uint64_t cell) {
  auto cells = cell_count(s);
  if (cell >= cells)
    return make_error(errc::malformed_input,
                      s.file + ": cell " + std::to_string(cell)
                        + " out of range (the sweep has "
                        + std::to_string(cells) + " cells)");
  auto coords = cell_coordinates(s, cell);
  auto path_of = [&](size_t i) {
    return "sweep." + s.sweep[i].key + "[" + std::to_string(coords[i]) + "]";
  };
  auto line_of_value = [&](size_t i) {
    auto& axis = s.sweep[i];
    return coords[i] < axis.lines.size() ? axis.lines[coords[i]] : axis.line;
  };
  scenario out = s;
  try {
    for (size_t i = 0; i < s.sweep.size(); ++i) {
      auto& axis = s.sweep[i];
      auto& text = axis.values[coords[i]];
      apply_axis(out.ps, out.groups, out.world, axis.key, "sweep." + axis.key,
                 axis.line, from_text(text, path_of(i), line_of_value(i)));
    }
  } catch (const failure& x) {
    return to_error(s.file, x);
  }
  out.world.timeout_ms = out.ps.timeout_ms;
  auto bad = check(out.ps, out.groups, out.world);
  if (!bad)
    return out;
  // Blame the axis that sets the key at fault, else the policy axis, else
  // the last one.
  size_t blame = s.sweep.size();
  for (size_t i = 0; i < s.sweep.size() && blame == s.sweep.size(); ++i) {
    auto& key = s.sweep[i].key;
    if (bad->key == "params." + key || bad->key == key)
      blame = i;
    else if (key.compare(0, 7, "agents.") == 0) {
      auto name = key.substr(7, key.find('.', 7) - 7);
      for (size_t j = 0; j < s.groups.size(); ++j)
        if (s.groups[j].name == name
            && bad->key.compare(0, 8 + std::to_string(j).size(),
                                "agents[" + std::to_string(j) + "]")
                 == 0)
          blame = i;
    }
  }
  for (size_t i = 0; i < s.sweep.size() && blame == s.sweep.size(); ++i)
    if (s.sweep[i].key == "policy")
      blame = i;
  if (blame == s.sweep.size()) {
    if (s.sweep.empty())
      return make_error(errc::malformed_input,
                        s.file + ": key '" + bad->key + "': " + bad->problem);
    blame = s.sweep.size() - 1;
  }
  std::string cell_text;
  for (size_t i = 0; i < s.sweep.size(); ++i) {
    if (!cell_text.empty())
      cell_text += ", ";
    cell_text += s.sweep[i].key + "=" + s.sweep[i].values[coords[i]];
  }
  return make_error(
    errc::malformed_input,
    where(s.file, line_of_value(blame)) + ": key '" + path_of(blame)
      + "': value " + quote(s.sweep[blame].values[coords[blame]]) + " (cell "
      + std::to_string(cell) + ": " + cell_text + "): " + bad->problem);
}

// -- agents -------------------------------------------------------------------

std::vector<std::string> participant_ids(const scenario& s) {
  std::vector<std::string> out;
  for (auto& g : s.groups) {
    if (g.count == 1) {
      out.push_back(g.name);
      continue;
    }
    for (uint32_t i = 1; i <= g.count; ++i)
      out.push_back(g.name + "-" + std::to_string(i));
  }
  return out;
}

std::vector<agent> make_agents(const scenario& s) {
  std::vector<agent> out;
  auto ids = participant_ids(s);
  out.reserve(ids.size());
  uint32_t index = 0;
  for (auto& g : s.groups)
    for (uint32_t i = 0; i < g.count; ++i, ++index)
      out.push_back(agent{ids[index], &g, index});
  return out;
}

} // namespace caf::consensus::sim

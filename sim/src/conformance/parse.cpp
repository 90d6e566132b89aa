// caf-consensus sim: reading conformance files (the schema of
// shared/conformance/hanzo-0.1.0.json): cases, inputs and scripts, with
// errors that name the file, the case and the field.

#include "caf/consensus/sim/conformance/conformance.hpp"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

namespace {

// -- parsing ------------------------------------------------------------------

struct bad_field {
  std::string what;
};

const char* type_name(const json& x) {
  return x.type_name();
}

const json& field(const json& obj, const char* key, const std::string& path) {
  if (!obj.is_object())
    throw bad_field{"'" + path + "' must be an object, got " + type_name(obj)};
  auto i = obj.find(key);
  if (i == obj.end())
    throw bad_field{"missing field '" + path + (path.empty() ? "" : ".") + key
                    + "'"};
  return *i;
}

std::string get_string(const json& x, const std::string& path) {
  if (!x.is_string())
    throw bad_field{"field '" + path + "' must be a string, got "
                    + type_name(x)};
  return x.get<std::string>();
}

/// Whether `x` is a whole number too large for a JSON integer (the parser
/// gives it as a float).
bool whole_beyond_64_bits(const json& x) {
  if (!x.is_number_float())
    return false;
  auto v = x.get<double>();
  return std::isfinite(v) && std::trunc(v) == v;
}

/// What a value that is not an integer is, for messages.
std::string non_integer_kind(const json& x) {
  return x.is_number() ? std::string{"a fraction"} : std::string{type_name(x)};
}

int64_t get_int(const json& x, const std::string& path) {
  if (!x.is_number_integer()) {
    if (whole_beyond_64_bits(x))
      throw bad_field{"field '" + path
                      + "' is out of range (a whole number beyond 64 bits)"};
    throw bad_field{"field '" + path + "' must be an integer, got "
                    + non_integer_kind(x)};
  }
  if (x.is_number_unsigned() && x.get<uint64_t>() > INT64_MAX)
    throw bad_field{"field '" + path + "' is out of range"};
  return x.get<int64_t>();
}

/// Reads a seed: any JSON integer up to 2^64 - 1 in magnitude, or any size
/// as a decimal string (`"18446744073709551616"`), as `random.seed(n)`
/// accepts it.
rng::seed get_seed(const json& x, const std::string& path) {
  if (x.is_number_unsigned())
    return rng::seed{x.get<uint64_t>()};
  if (x.is_number_integer())
    return rng::seed{x.get<int64_t>()};
  if (x.is_string()) {
    auto s = rng::seed::parse(x.get<std::string>());
    if (!s)
      throw bad_field{"field '" + path + "': " + context_text(s.error())};
    return *s;
  }
  if (whole_beyond_64_bits(x))
    throw bad_field{"field '" + path
                    + "' is beyond 64 bits: write it as a decimal string "
                      "(\"18446744073709551616\") to keep every digit"};
  throw bad_field{"field '" + path
                  + "' must be an integer or a decimal string, got "
                  + non_integer_kind(x)};
}

int32_t get_int32(const json& x, const std::string& path) {
  auto v = get_int(x, path);
  if (v < INT32_MIN || v > INT32_MAX)
    throw bad_field{"field '" + path
                    + "' is out of range: " + std::to_string(v)};
  return static_cast<int32_t>(v);
}

double get_double(const json& x, const std::string& path) {
  if (!x.is_number())
    throw bad_field{"field '" + path + "' must be a number, got "
                    + type_name(x)};
  return x.get<double>();
}

bool get_bool(const json& x, const std::string& path) {
  if (!x.is_boolean())
    throw bad_field{"field '" + path + "' must be a boolean, got "
                    + type_name(x)};
  return x.get<bool>();
}

constexpr int32_t max_replay_rounds = 10000;
constexpr size_t max_replay_participants = 10000;

conformance_case parse_case(const json& x, size_t index) {
  conformance_case c;
  c.name = "#" + std::to_string(index + 1);
  if (!x.is_object())
    throw bad_field{"case must be an object, got " + std::string{type_name(x)}};
  if (auto i = x.find("name"); i != x.end())
    c.name = get_string(*i, "name");
  auto& in = field(x, "input", "");
  c.prompt = get_string(field(in, "prompt", "input"), "input.prompt");
  auto& ps = field(in, "participants", "input");
  if (!ps.is_array())
    throw bad_field{"field 'input.participants' must be an array, got "
                    + std::string{type_name(ps)}};
  for (size_t i = 0; i < ps.size(); ++i)
    c.participants.push_back(
      get_string(ps[i], "input.participants[" + std::to_string(i) + "]"));
  c.ps.policy = "hanzo";
  c.ps.rounds = get_int32(field(in, "rounds", "input"), "input.rounds");
  // Replay calls every participant once per round: bound the work a file
  // can ask for.
  if (c.ps.rounds > max_replay_rounds)
    throw bad_field{"field 'input.rounds' is too large: "
                    + std::to_string(c.ps.rounds) + " (at most "
                    + std::to_string(max_replay_rounds) + ")"};
  if (c.participants.size() > max_replay_participants)
    throw bad_field{"field 'input.participants' has too many entries: "
                    + std::to_string(c.participants.size()) + " (at most "
                    + std::to_string(max_replay_participants) + ")"};
  c.ps.k = get_int32(field(in, "k", "input"), "input.k");
  c.ps.alpha = get_double(field(in, "alpha", "input"), "input.alpha");
  c.ps.beta_1 = get_double(field(in, "beta_1", "input"), "input.beta_1");
  c.ps.beta_2 = get_double(field(in, "beta_2", "input"), "input.beta_2");
  c.ps.seed = get_seed(field(in, "seed", "input"), "input.seed");
  if (auto i = in.find("policy"); i != in.end())
    c.ps.policy = get_string(*i, "input.policy");
  auto& script = field(in, "script", "input");
  if (!script.is_object())
    throw bad_field{"field 'input.script' must be an object, got "
                    + std::string{type_name(script)}};
  for (auto& id : c.participants) {
    auto path = "input.script." + id;
    auto i = script.find(id);
    if (i == script.end())
      throw bad_field{"missing field '" + path
                      + "' (no script for "
                        "participant '"
                      + id + "')"};
    if (!i->is_array())
      throw bad_field{"field '" + path + "' must be an array, got "
                      + std::string{type_name(*i)}};
    std::vector<result> rs;
    for (size_t r = 0; r < i->size(); ++r) {
      auto rp = path + "[" + std::to_string(r) + "]";
      auto& e = (*i)[r];
      result res;
      res.id = id;
      res.round = static_cast<int32_t>(r);
      res.output = get_string(field(e, "output", rp), rp + ".output");
      res.ms = get_int(field(e, "ms", rp), rp + ".ms");
      res.ok = get_bool(field(e, "ok", rp), rp + ".ok");
      if (auto err = e.find("error"); err != e.end() && !err->is_null())
        res.error = get_string(*err, rp + ".error");
      if (auto lbl = e.find("label"); lbl != e.end() && !lbl->is_null())
        res.label = get_string(*lbl, rp + ".label");
      rs.push_back(std::move(res));
    }
    c.script.push_back(std::move(rs));
  }
  for (auto& [key, val] : script.items()) {
    bool known = false;
    for (auto& id : c.participants)
      known = known || id == key;
    if (!known)
      throw bad_field{"field 'input.script." + key + "' names no participant"};
  }
  if (auto i = x.find("output"); i != x.end())
    c.expected = *i;
  return c;
}

} // namespace

expected<std::vector<conformance_case>>
parse_conformance(const std::string& text, const std::string& origin) {
  json doc;
  // Duplicate keys are an error, as in scenario files (JSON keeps the last
  // silently): one set of keys per open object.
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  auto check = [&](int, json::parse_event_t ev, json& parsed) {
    if (ev == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (ev == json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (ev == json::parse_event_t::key && duplicate.empty()
               && !keys.empty() && parsed.is_string()
               && !keys.back().insert(parsed.get<std::string>()).second) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  try {
    doc = json::parse(text, check);
  } catch (const json::exception& e) { // parse_error, out_of_range (1e400)
    return make_error(errc::malformed_input,
                      origin + ": not valid JSON: " + e.what());
  }
  if (!duplicate.empty())
    return make_error(errc::malformed_input,
                      origin + ": duplicate key '" + duplicate + "'");
  if (!doc.is_object())
    return make_error(errc::malformed_input,
                      origin + ": top level must be an object with 'cases'");
  auto cs = doc.find("cases");
  if (cs == doc.end() || !cs->is_array())
    return make_error(errc::malformed_input,
                      origin + ": missing array field 'cases'");
  std::vector<conformance_case> out;
  for (size_t i = 0; i < cs->size(); ++i) {
    try {
      out.push_back(parse_case((*cs)[i], i));
    } catch (const bad_field& e) {
      std::string name = "#" + std::to_string(i + 1);
      auto& x = (*cs)[i];
      if (x.is_object())
        if (auto n = x.find("name"); n != x.end() && n->is_string())
          name += " '" + n->get<std::string>() + "'";
      return make_error(errc::malformed_input,
                        origin + ": case " + name + ": " + e.what);
    } catch (const json::exception& e) {
      return make_error(errc::malformed_input, origin + ": case #"
                                                 + std::to_string(i + 1) + ": "
                                                 + e.what());
    }
  }
  return out;
}

expected<std::vector<conformance_case>>
load_conformance(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::malformed_input,
                      path + ": cannot open: " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_conformance(buf.str(), path);
}

} // namespace caf::consensus::sim

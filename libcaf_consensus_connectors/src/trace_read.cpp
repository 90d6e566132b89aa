// caf-consensus: reading traces strictly (docs/traces.md).

#include "caf/consensus/connectors/trace.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <stdexcept>
#include <tuple>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/terminal.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

/// A problem at a line of the trace (thrown inside the reader only).
struct trace_problem {
  std::string key;
  std::string what;
};

std::string counted(size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// A short preview of `v` that never recurses into arrays or objects (their
/// nesting is attacker-chosen).
std::string shown_value(const json& v) {
  if (v.is_array())
    return "an array of " + counted(v.size(), "item");
  if (v.is_object())
    return "an object of " + counted(v.size(), "key");
  auto s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 60)
    s = s.substr(0, 57) + "...";
  return s;
}

/// A problem with the JSON of a line itself (thrown while parsing).
struct json_problem {
  std::string what;
};

/// Parses one line, rejecting nesting deeper than `max_trace_line_depth`
/// before it is built and duplicate keys (nlohmann would keep the last).
json parse_line(const std::string& ln) {
  std::vector<std::set<std::string>> keys; // one entry per open array/object
  json::parser_callback_t cb = [&keys](int, json::parse_event_t ev,
                                       json& parsed) {
    switch (ev) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (keys.size() >= max_trace_line_depth)
          throw json_problem{"nested deeper than "
                             + std::to_string(max_trace_line_depth)
                             + " levels"};
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!keys.empty())
          keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty()) {
          auto k = parsed.get<std::string>();
          if (!keys.back().insert(k).second) {
            if (k.size() > 60)
              k = k.substr(0, 57) + "...";
            throw json_problem{"duplicate key '" + k + "'"};
          }
        }
        break;
      default:
        break;
    }
    return true;
  };
  return json::parse(ln, cb);
}

[[noreturn]] void bad(const std::string& key, const json& v,
                      const std::string& what) {
  throw trace_problem{key, what + " (value " + shown_value(v) + ")"};
}

std::string joined(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

/// Checks that `obj` has exactly the keys `keys`.
void exact_keys(const json& obj, const std::vector<std::string>& keys,
                const std::string& prefix) {
  for (auto& kv : obj.items())
    if (std::find(keys.begin(), keys.end(), kv.key()) == keys.end())
      bad(prefix + kv.key(), kv.value(),
          "unknown key (accepted: " + joined(keys) + ")");
  for (auto& k : keys)
    if (!obj.contains(k))
      throw trace_problem{prefix + k, "missing required key"};
}

const json& at(const json& obj, const std::string& key) {
  return obj.at(key);
}

std::string str(const json& obj, const std::string& key,
                const std::string& prefix = "", bool non_empty = false) {
  auto& v = at(obj, key);
  if (!v.is_string())
    bad(prefix + key, v, "expected a string");
  auto s = v.get<std::string>();
  if (non_empty && s.empty())
    bad(prefix + key, v, "expected a non-empty string");
  return s;
}

int64_t integer(const json& obj, const std::string& key, int64_t lo, int64_t hi,
                const std::string& prefix = "") {
  auto& v = at(obj, key);
  if (!v.is_number_integer())
    bad(prefix + key, v, "expected an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi))
    bad(prefix + key, v,
        "expected an integer in [" + std::to_string(lo) + ", "
          + std::to_string(hi) + "]");
  auto x = v.get<int64_t>();
  if (x < lo || x > hi)
    bad(prefix + key, v,
        "expected an integer in [" + std::to_string(lo) + ", "
          + std::to_string(hi) + "]");
  return x;
}

double number(const json& obj, const std::string& key, double lo, double hi,
              const std::string& prefix = "") {
  auto& v = at(obj, key);
  if (!v.is_number())
    bad(prefix + key, v, "expected a number");
  auto x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) {
    auto text = [](double y) { return nlohmann::json(y).dump(); };
    bad(prefix + key, v,
        std::isinf(lo) ? "expected a finite number"
        : std::isinf(hi)
          ? "expected a number >= " + text(lo)
          : "expected a number in [" + text(lo) + ", " + text(hi) + "]");
  }
  return x;
}

bool boolean(const json& obj, const std::string& key,
             const std::string& prefix = "") {
  auto& v = at(obj, key);
  if (!v.is_boolean())
    bad(prefix + key, v, "expected true or false");
  return v.get<bool>();
}

rng::seed seed_of(const json& obj, const std::string& key,
                  const std::string& prefix = "") {
  auto s = str(obj, key, prefix, true);
  auto x = rng::seed::parse(s);
  if (!x)
    bad(prefix + key, at(obj, key), "expected an integer written as a string");
  return *x;
}

constexpr int64_t int32_max = std::numeric_limits<int32_t>::max();
constexpr int64_t int64_max = std::numeric_limits<int64_t>::max();
constexpr double inf = std::numeric_limits<double>::infinity();

params read_params(const json& v) {
  const std::string p = "params.";
  if (!v.is_object())
    bad("params", v, "expected an object");
  exact_keys(v,
             {"rounds", "k", "alpha", "beta_1", "beta_2", "policy", "seed",
              "timeout_ms", "alpha_preference", "alpha_confidence", "beta",
              "luminance_weighted", "delta", "max_calls", "extractor",
              "extractor_pattern", "stop_on_unanimity"},
             p);
  params ps;
  ps.rounds = static_cast<int32_t>(integer(v, "rounds", 0, int32_max, p));
  ps.k = static_cast<int32_t>(integer(v, "k", 0, int32_max, p));
  ps.alpha = number(v, "alpha", 0, 1, p);
  // As validate_common: beta_1 above 1 disables the early stop.
  ps.beta_1 = number(v, "beta_1", 0, inf, p);
  ps.beta_2 = number(v, "beta_2", 0, 1, p);
  ps.policy = str(v, "policy", p, true);
  ps.seed = seed_of(v, "seed", p);
  ps.timeout_ms = integer(v, "timeout_ms", 1, int64_max, p);
  ps.alpha_preference
    = static_cast<int32_t>(integer(v, "alpha_preference", 0, int32_max, p));
  ps.alpha_confidence
    = static_cast<int32_t>(integer(v, "alpha_confidence", 0, int32_max, p));
  ps.beta = static_cast<int32_t>(integer(v, "beta", 0, int32_max, p));
  ps.luminance_weighted = boolean(v, "luminance_weighted", p);
  // As the policies: only sequential uses (and checks) delta.
  ps.delta = number(v, "delta", -inf, inf, p);
  if (ps.policy == "sequential" && !(ps.delta > 0 && ps.delta < 1))
    bad(p + "delta", v.at("delta"),
        "expected a number in (0, 1) for policy sequential");
  ps.max_calls = integer(v, "max_calls", 0, int64_max, p);
  if (!from_string(str(v, "extractor", p), ps.extractor))
    bad(p + "extractor", v.at("extractor"),
        "unknown extractor (accepted: text, last-number, regex)");
  ps.extractor_pattern = str(v, "extractor_pattern", p);
  ps.stop_on_unanimity = boolean(v, "stop_on_unanimity", p);
  return ps;
}

class trace_parser {
public:
  explicit trace_parser(trace& out) : out_(out) {
  }

  void header(const json& j) {
    if (!j.contains("format") || j.at("format") != trace_format_name)
      bad("format", j.contains("format") ? j.at("format") : json(nullptr),
          std::string{"not a trace header (accepted: "} + trace_format_name
            + ")");
    if (!j.contains("version") || !j.at("version").is_number_integer()
        || j.at("version").get<int64_t>() != trace_format_version)
      bad("version", j.contains("version") ? j.at("version") : json(nullptr),
          "unsupported version (accepted: "
            + std::to_string(trace_format_version) + ")");
    exact_keys(j, {"format", "version", "policy", "params", "participants"},
               "");
    auto& h = out_.header;
    h.ps = read_params(j.at("params"));
    if (str(j, "policy") != h.ps.policy)
      bad("policy", j.at("policy"),
          "differs from params.policy '" + h.ps.policy + "'");
    auto& ps = j.at("participants");
    if (!ps.is_array() || ps.empty())
      bad("participants", ps, "expected a non-empty list of {id, model}");
    for (size_t i = 0; i < ps.size(); ++i) {
      auto prefix = "participants[" + std::to_string(i) + "].";
      if (!ps[i].is_object())
        bad(prefix.substr(0, prefix.size() - 1), ps[i],
            "expected an object {id, model}");
      exact_keys(ps[i], {"id", "model"}, prefix);
      trace_participant x{str(ps[i], "id", prefix, true),
                          str(ps[i], "model", prefix)};
      if (!ids_.insert(x.id).second)
        bad(prefix + "id", ps[i].at("id"), "duplicate participant id");
      h.participants.push_back(std::move(x));
    }
  }

  void line(const json& j, int line) {
    if (!j.contains("type"))
      throw trace_problem{"type", "missing required key (accepted: call, "
                                  "outcome)"};
    auto type = str(j, "type");
    if (type == "call")
      call(j, line);
    else if (type == "outcome")
      outcome(j, line);
    else
      bad("type", j.at("type"), "unknown line type (accepted: call, outcome)");
  }

private:
  void call(const json& j, int line) {
    exact_keys(j,
               {"type", "run", "prompt_id", "prompt", "participant", "model",
                "round", "peers", "output", "label", "ms", "tokens",
                "error_kind", "error"},
               "");
    trace_call x;
    x.line = line;
    x.run = str(j, "run", "", true);
    x.prompt_id = str(j, "prompt_id", "", true);
    x.prompt = str(j, "prompt");
    x.participant = str(j, "participant", "", true);
    if (ids_.count(x.participant) == 0)
      bad("participant", j.at("participant"),
          "not a participant of the header");
    x.model = str(j, "model");
    x.round
      = static_cast<int32_t>(integer(j, "round", 0, out_.header.ps.rounds));
    auto& peers = j.at("peers");
    if (!peers.is_array())
      bad("peers", peers, "expected a list of participant ids");
    for (size_t i = 0; i < peers.size(); ++i) {
      auto key = "peers[" + std::to_string(i) + "]";
      if (!peers[i].is_string() || ids_.count(peers[i].get<std::string>()) == 0)
        bad(key, peers[i], "not a participant of the header");
      x.peers.push_back(peers[i].get<std::string>());
    }
    x.output = str(j, "output");
    x.label = str(j, "label");
    x.ms = integer(j, "ms", 0, int64_max);
    if (!j.at("tokens").is_null())
      x.tokens = static_cast<uint64_t>(integer(j, "tokens", 0, int64_max));
    auto& kind = j.at("error_kind");
    auto& err = j.at("error");
    if (kind.is_null()) {
      if (!err.is_null())
        bad("error", err, "must be null when error_kind is null");
    } else {
      auto k = str(j, "error_kind");
      if (k == "failed")
        x.error_kind = trace_error_kind::failed;
      else if (k == "timeout")
        x.error_kind = trace_error_kind::timeout;
      else
        bad("error_kind", kind,
            "unknown error kind (accepted: null, failed, "
            "timeout)");
      x.error = str(j, "error");
      if (!x.output.empty())
        bad("output", j.at("output"), "must be empty for a failed call");
    }
    auto& run = runs_[x.run];
    if (run.done)
      bad("run", j.at("run"), "a call after the run's outcome line");
    if (run.calls == 0) {
      run.prompt_id = x.prompt_id;
      run.prompt = x.prompt;
    } else if (run.prompt_id != x.prompt_id) {
      bad("prompt_id", j.at("prompt_id"),
          "differs from the run's prompt_id '" + run.prompt_id + "'");
    } else if (run.prompt != x.prompt) {
      bad("prompt", j.at("prompt"), "differs from the run's prompt");
    }
    ++run.calls;
    if (!seen_.emplace(x.run, x.participant, x.round).second)
      bad("round", j.at("round"),
          "a second call of '" + x.participant + "' in this round of run '"
            + x.run + "'");
    out_.calls.push_back(std::move(x));
  }

  void outcome(const json& j, int line) {
    exact_keys(j,
               {"type", "run", "prompt_id", "seed", "winner", "answer",
                "confidence", "finalized", "rounds_executed", "key"},
               "");
    trace_outcome x;
    x.line = line;
    x.run = str(j, "run", "", true);
    auto i = runs_.find(x.run);
    if (i == runs_.end() || i->second.calls == 0)
      bad("run", j.at("run"), "an outcome before any call of the run");
    if (i->second.done)
      bad("run", j.at("run"), "a second outcome of the run");
    i->second.done = true;
    x.prompt_id = str(j, "prompt_id", "", true);
    if (x.prompt_id != i->second.prompt_id)
      bad("prompt_id", j.at("prompt_id"),
          "differs from the run's prompt_id '" + i->second.prompt_id + "'");
    x.seed = seed_of(j, "seed");
    x.winner = str(j, "winner");
    if (!x.winner.empty() && ids_.count(x.winner) == 0)
      bad("winner", j.at("winner"), "not a participant of the header");
    x.answer = str(j, "answer");
    x.confidence = number(j, "confidence", 0, 1);
    x.finalized = boolean(j, "finalized");
    x.rounds_executed = static_cast<int32_t>(
      integer(j, "rounds_executed", 0, out_.header.ps.rounds));
    if (!j.at("key").is_null())
      x.key = str(j, "key");
    out_.outcomes.push_back(std::move(x));
  }

  struct run_info {
    std::string prompt_id;
    std::string prompt;
    size_t calls = 0;
    bool done = false;
  };

  trace& out_;
  std::set<std::string> ids_;
  std::map<std::string, run_info> runs_;
  std::set<std::tuple<std::string, std::string, int32_t>> seen_;
};

} // namespace

expected<trace> parse_trace(const std::string& text,
                            const std::string& origin) {
  trace out;
  trace_parser p{out};
  int line = 0;
  bool have_header = false;
  size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos)
      end = text.size();
    ++line;
    auto len = end - pos;
    if (len > 0 && text[end - 1] == '\r')
      --len;
    if (len > max_trace_line_bytes)
      return make_error(errc::malformed_input,
                        terminal_safe(origin) + ":" + std::to_string(line)
                          + ": line longer than "
                          + std::to_string(max_trace_line_bytes) + " bytes");
    auto ln = text.substr(pos, len);
    pos = end + 1;
    if (ln.find_first_not_of(" \t") == std::string::npos)
      continue; // blank lines are allowed (an editor's final newline)
    auto where = terminal_safe(origin) + ":" + std::to_string(line) + ": ";
    json j;
    try {
      j = parse_line(ln);
    } catch (const json_problem& x) {
      return make_error(errc::malformed_input,
                        where + "invalid JSON: " + terminal_safe(x.what));
    } catch (const std::exception& e) {
      return make_error(errc::malformed_input,
                        where + "invalid JSON: " + terminal_safe(e.what()));
    }
    if (!j.is_object())
      return make_error(errc::malformed_input, where
                                                 + "not a JSON object (value "
                                                 + shown_value(j) + ")");
    try {
      if (!have_header) {
        p.header(j);
        have_header = true;
      } else {
        p.line(j, line);
      }
    } catch (const trace_problem& x) {
      auto key = x.key.size() > 80 ? x.key.substr(0, 77) + "..." : x.key;
      return make_error(errc::malformed_input,
                        where + "key '" + terminal_safe(key)
                          + "': " + terminal_safe(x.what));
    } catch (const json::exception& e) { // a check missed above: no crash
      return make_error(errc::malformed_input, where + terminal_safe(e.what()));
    }
  }
  if (!have_header)
    return make_error(errc::malformed_input,
                      origin + ":1: empty trace: no header line");
  return out;
}

expected<trace> read_trace(const std::string& path, size_t max_bytes) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::malformed_input,
                      "cannot open the trace file '" + path + "'");
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes)
      return make_error(errc::malformed_input, path + ": larger than "
                                                 + std::to_string(max_bytes)
                                                 + " bytes");
  }
  return parse_trace(text, path);
}

} // namespace caf::consensus::connectors

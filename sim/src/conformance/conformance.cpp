#include "caf/consensus/sim/conformance/conformance.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "caf/exit_reason.hpp"
#include "caf/scoped_actor.hpp"
#include "caf/send.hpp"

#include "caf/consensus/actors/coordinator.hpp"
#include "caf/consensus/actors/participant.hpp"
#include "caf/consensus/engine.hpp"
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

int64_t get_int(const json& x, const std::string& path) {
  if (!x.is_number_integer())
    throw bad_field{"field '" + path + "' must be an integer, got "
                    + (x.is_number() ? std::string{"a fraction"}
                                     : std::string{type_name(x)})};
  if (x.is_number_unsigned() && x.get<uint64_t>() > INT64_MAX)
    throw bad_field{"field '" + path + "' is out of range"};
  return x.get<int64_t>();
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
  c.ps.seed = get_int(field(in, "seed", "input"), "input.seed");
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

// -- replay -------------------------------------------------------------------

/// Returns what a scripted participant answers to `req`, recording its prompt.
struct script_log {
  std::mutex mtx;
  std::vector<std::vector<std::string>> prompts; // [round][participant]

  void record(const request& req, size_t n) {
    std::lock_guard<std::mutex> guard{mtx};
    auto r = static_cast<size_t>(req.round);
    if (prompts.size() <= r)
      prompts.resize(r + 1, std::vector<std::string>(n));
    prompts[r][req.index] = req.prompt;
  }
};

result scripted(const conformance_case& c, size_t i, const request& req) {
  auto& xs = c.script[i];
  auto r = static_cast<size_t>(req.round);
  if (r >= xs.size())
    return make_failure(c.participants[i], req.round,
                        "script has no entry for round "
                          + std::to_string(req.round));
  return xs[r];
}

params case_params(const conformance_case& c, const std::string& policy) {
  auto ps = c.ps;
  if (!policy.empty())
    ps.policy = policy;
  return ps;
}

} // namespace

expected<std::vector<conformance_case>>
parse_conformance(const std::string& text, const std::string& origin) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) { // parse_error, out_of_range (1e400)
    return make_error(errc::malformed_input,
                      origin + ": not valid JSON: " + e.what());
  }
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

expected<case_run> replay_actors(actor_system& sys, const conformance_case& c,
                                 const std::string& policy) {
  auto log = std::make_shared<script_log>();
  auto n = c.participants.size();
  std::vector<actors::participant_actor> handles;
  for (size_t i = 0; i < n; ++i) {
    auto fn = [&c, i, n, log](const std::string&, const request& req) {
      log->record(req, n);
      return scripted(c, i, req);
    };
    handles.push_back(
      actors::spawn_participant(sys, c.participants[i], fn, false));
  }
  auto coord = actors::spawn_coordinator(sys, c.participants, handles,
                                         case_params(c, policy));
  expected<case_run> out{make_error(errc::execute_failed, "no reply")};
  {
    scoped_actor self{sys};
    self->request(coord, infinite, actors::run_atom::value, c.prompt)
      .receive(
        [&](state& st) {
          case_run run;
          run.st = std::move(st);
          run.prompts = std::move(log->prompts);
          out = std::move(run);
        },
        [&](error& err) { out = std::move(err); });
  }
  anon_send_exit(coord, exit_reason::user_shutdown);
  for (auto& h : handles)
    anon_send_exit(h, exit_reason::user_shutdown);
  return out;
}

expected<case_run> replay_inline(const conformance_case& c,
                                 const std::string& policy) {
  auto eng = engine::make(c.prompt, c.participants, case_params(c, policy));
  if (!eng)
    return std::move(eng.error());
  script_log log;
  auto n = c.participants.size();
  auto st = run_inline(*eng, [&](const request& req) {
    log.record(req, n);
    return scripted(c, req.index, req);
  });
  return case_run{std::move(st), std::move(log.prompts)};
}

// -- comparison ---------------------------------------------------------------

namespace {

std::string hex(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%a", x);
  return buf;
}

bool same_bits(double x, double y) {
  uint64_t a;
  uint64_t b;
  std::memcpy(&a, &x, sizeof(a));
  std::memcpy(&b, &y, sizeof(b));
  return a == b;
}

struct mismatch {
  std::string what;
};

template <class T>
void expect_eq(const std::string& field, const T& want, const T& got) {
  if (!(want == got)) {
    std::ostringstream os;
    os << field << ": expected " << json(want).dump() << ", got "
       << json(got).dump();
    throw mismatch{os.str()};
  }
}

void expect_bits(const std::string& field, double want, double got) {
  if (!same_bits(want, got))
    throw mismatch{field + ": expected " + hex(want) + ", got " + hex(got)};
}

double parse_hex(const json& x, const std::string& field) {
  if (!x.is_string())
    throw mismatch{field + ": expected value is not a hex string"};
  auto s = x.get<std::string>();
  char* end = nullptr;
  auto v = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0')
    throw mismatch{field + ": expected value '" + s + "' is not a hex float"};
  return v;
}

/// Compares a per-participant map of doubles, bit for bit, using `<key>_hex`
/// when present.
void expect_map(const json& out, const std::string& key, const state& st,
                const std::vector<double>& got) {
  auto hk = key + "_hex";
  auto& want = out.contains(hk) ? out.at(hk) : out.at(key);
  bool hexed = out.contains(hk);
  if (!want.is_object())
    throw mismatch{key + ": expected value is not an object"};
  if (want.size() != st.participants.size())
    throw mismatch{key + ": expected " + std::to_string(want.size())
                   + " entries, got " + std::to_string(st.participants.size())};
  for (size_t i = 0; i < st.participants.size(); ++i) {
    auto& id = st.participants[i];
    auto f = key + "." + id;
    if (!want.contains(id))
      throw mismatch{f + ": missing in the expected output"};
    auto w = hexed ? parse_hex(want.at(id), f) : want.at(id).get<double>();
    expect_bits(f, w, got[i]);
  }
}

std::vector<std::string> names_of(const state& st,
                                  const std::vector<uint32_t>& xs) {
  std::vector<std::string> out;
  for (auto x : xs)
    out.push_back(st.participants[x]);
  return out;
}

void compare_all(const conformance_case& c, const case_run& run) {
  auto& out = c.expected;
  auto& st = run.st;
  auto n = st.participants.size();
  auto has = [&](const char* k) { return out.contains(k); };
  if (has("error") && !out.at("error").is_null())
    throw mismatch{"error: the case expects an error, which replay cannot "
                   "produce"};
  // Calls in call order: every participant once per executed round.
  std::vector<std::vector<json>> calls;
  for (size_t r = 0; r < st.trace.size(); ++r)
    for (size_t i = 0; i < n; ++i)
      for (auto& resp : st.responses[i])
        if (resp.round == static_cast<int32_t>(r))
          calls.push_back({st.participants[i], resp.round});
  if (has("execute_calls"))
    expect_eq("execute_calls", out.at("execute_calls").get<uint64_t>(),
              st.calls);
  if (has("calls"))
    expect_eq("calls", out.at("calls"), json(calls));
  if (has("round_prompts")) {
    auto want = out.at("round_prompts").get<std::vector<std::string>>();
    expect_eq("round_prompts.size", want.size(), run.prompts.size());
    for (size_t r = 0; r < want.size(); ++r)
      for (size_t i = 0; i < n; ++i)
        expect_eq("round_prompts[" + std::to_string(r) + "] (sent to "
                    + st.participants[i] + ")",
                  want[r], run.prompts[r][i]);
  }
  if (has("rounds_executed"))
    expect_eq("rounds_executed", out.at("rounds_executed").get<int32_t>(),
              st.rounds_executed);
  if (has("sampled_per_round")) {
    auto want = out.at("sampled_per_round")
                  .get<std::vector<std::vector<std::string>>>();
    std::vector<std::vector<std::string>> got;
    for (size_t r = 1; r < st.trace.size(); ++r)
      got.push_back(st.trace[r].samples.empty()
                      ? std::vector<std::string>{}
                      : names_of(st, st.trace[r].samples.front()));
    expect_eq("sampled_per_round", want, got);
  }
  if (has("sampling_weights_per_round")) {
    auto& want = out.at("sampling_weights_per_round");
    expect_eq("sampling_weights_per_round.size", want.size(),
              st.trace.size() - 1);
    for (size_t r = 0; r < want.size(); ++r) {
      auto& ws = st.trace[r + 1].weights;
      auto f = "sampling_weights_per_round[" + std::to_string(r) + "]";
      expect_eq(f + ".size", want[r].size(), ws.size());
      for (size_t i = 0; i < ws.size(); ++i)
        expect_bits(f + "[" + std::to_string(i) + "]", want[r][i].get<double>(),
                    ws[i]);
    }
  }
  if (has("agreements")) {
    auto& want = out.at("agreements");
    size_t idx = 0;
    for (size_t r = 1; r < st.trace.size(); ++r) {
      for (auto& a : st.trace[r].agreements) {
        auto f = "agreements[" + std::to_string(idx) + "]";
        if (idx >= want.size())
          throw mismatch{f + ": not expected (got one more scored result)"};
        auto& w = want[idx];
        expect_eq(f + ".round", w.at("round").get<int32_t>(),
                  static_cast<int32_t>(r));
        expect_eq(f + ".sampled",
                  w.at("sampled").get<std::vector<std::string>>(),
                  names_of(st, a.sampled));
        auto wv = w.contains("agreement_hex")
                    ? parse_hex(w.at("agreement_hex"), f + ".agreement_hex")
                    : w.at("agreement").get<double>();
        expect_bits(f + ".agreement", wv, a.agreement);
        ++idx;
      }
    }
    expect_eq("agreements.size", want.size(), idx);
  }
  if (has("winner")) {
    auto& w = out.at("winner");
    expect_eq("winner", w.is_null() ? std::string{} : w.get<std::string>(),
              st.winner);
  }
  if (has("finalized"))
    expect_eq("finalized", out.at("finalized").get<bool>(), st.finalized);
  if (has("synthesis")) {
    auto& w = out.at("synthesis");
    expect_eq("synthesis", w.is_null() ? std::string{} : w.get<std::string>(),
              st.synthesis);
  }
  if (has("confidence"))
    expect_map(out, "confidence", st, st.confidence);
  if (has("luminance"))
    expect_map(out, "luminance", st, st.luminance);
  if (has("scores"))
    expect_map(out, "scores", st, st.scores);
  if (has("responses")) {
    auto& want = out.at("responses");
    for (size_t i = 0; i < n; ++i) {
      auto& id = st.participants[i];
      if (!want.contains(id))
        throw mismatch{"responses." + id + ": missing in the expected output"};
      expect_eq("responses." + id, want.at(id).get<std::vector<std::string>>(),
                st.texts(i));
    }
    expect_eq("responses.size", want.size(), n);
  }
  if (has("discussion_history"))
    expect_eq("discussion_history", out.at("discussion_history"),
              json::array());
  if (has("state_k"))
    expect_eq("state_k", out.at("state_k").get<int32_t>(), st.k);
  if (has("state_rounds"))
    expect_eq("state_rounds", out.at("state_rounds").get<int32_t>(), st.rounds);
  if (has("state_alpha"))
    expect_bits("state_alpha", out.at("state_alpha").get<double>(), st.alpha);
  if (has("state_beta_1"))
    expect_bits("state_beta_1", out.at("state_beta_1").get<double>(),
                st.beta_1);
  if (has("state_beta_2"))
    expect_bits("state_beta_2", out.at("state_beta_2").get<double>(),
                st.beta_2);
}

} // namespace

std::string compare(const conformance_case& c, const case_run& run) {
  if (c.expected.is_null())
    return "the case has no expected output";
  try {
    compare_all(c, run);
  } catch (const mismatch& m) {
    return m.what;
  } catch (const json::exception& e) {
    return std::string{"malformed expected output: "} + e.what();
  }
  return {};
}

json to_json(const conformance_case& c, const case_run& run) {
  auto& st = run.st;
  auto per = [&](const std::vector<double>& xs) {
    json obj = json::object();
    for (size_t i = 0; i < st.participants.size(); ++i)
      obj[st.participants[i]] = i < xs.size() ? xs[i] : 0.0;
    return obj;
  };
  json responses = json::object();
  for (size_t i = 0; i < st.participants.size(); ++i)
    responses[st.participants[i]] = st.texts(i);
  json out = json::object();
  out["name"] = c.name;
  out["policy"] = st.policy;
  out["winner"] = st.winner.empty() ? json(nullptr) : json(st.winner);
  out["winner_label"] = st.winner_label;
  out["finalized"] = st.finalized;
  out["synthesis"] = st.synthesis;
  out["rounds_executed"] = st.rounds_executed;
  out["stop_reason"] = to_string(st.stop);
  out["confidence"] = per(st.confidence);
  out["luminance"] = per(st.luminance);
  out["scores"] = per(st.scores);
  out["responses"] = responses;
  out["calls"] = st.calls;
  out["failures"] = st.failures;
  out["timeouts"] = st.timeouts;
  return out;
}

} // namespace caf::consensus::sim

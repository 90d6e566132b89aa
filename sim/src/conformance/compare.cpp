// caf-consensus sim: checking a replayed conformance case against its
// expected output, every field exactly (floats bit for bit).

#include "caf/consensus/sim/conformance/conformance.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace caf::consensus::sim {

using json = nlohmann::json;

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

std::vector<std::string> names_of(const state& st, const sample_list& xs) {
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

} // namespace caf::consensus::sim

// caf-consensus: writing traces (docs/traces.md).

#include "caf/consensus/connectors/trace.hpp"

#include <fstream>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/connectors/report.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

namespace {

json trace_params_json(const params& ps) {
  return json{{"rounds", ps.rounds},
              {"k", ps.k},
              {"alpha", ps.alpha},
              {"beta_1", ps.beta_1},
              {"beta_2", ps.beta_2},
              {"policy", ps.policy},
              {"seed", ps.seed.to_string()},
              {"timeout_ms", ps.timeout_ms},
              {"alpha_preference", ps.alpha_preference},
              {"alpha_confidence", ps.alpha_confidence},
              {"beta", ps.beta},
              {"luminance_weighted", ps.luminance_weighted},
              {"delta", ps.delta},
              {"max_calls", ps.max_calls},
              {"extractor", to_string(ps.extractor)},
              {"extractor_pattern", ps.extractor_pattern},
              {"stop_on_unanimity", ps.stop_on_unanimity}};
}

std::string dump_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

std::string to_string(trace_error_kind x) {
  switch (x) {
    case trace_error_kind::failed:
      return "failed";
    case trace_error_kind::timeout:
      return "timeout";
    default:
      return "";
  }
}

std::string header_line(const trace_header& x) {
  json ps = json::array();
  for (auto& p : x.participants)
    ps.push_back(json{{"id", p.id}, {"model", p.model}});
  return dump_line(json{{"format", trace_format_name},
                        {"version", trace_format_version},
                        {"policy", x.ps.policy},
                        {"params", trace_params_json(x.ps)},
                        {"participants", std::move(ps)}});
}

std::string call_line(const trace_call& x) {
  json j{{"type", "call"},
         {"run", x.run},
         {"prompt_id", x.prompt_id},
         {"prompt", x.prompt},
         {"participant", x.participant},
         {"model", x.model},
         {"round", x.round},
         {"peers", x.peers},
         {"output", x.output},
         {"label", x.label},
         {"ms", x.ms}};
  j["tokens"] = x.tokens ? json(*x.tokens) : json(nullptr);
  j["error_kind"] = x.ok() ? json(nullptr) : json(to_string(x.error_kind));
  j["error"] = x.ok() ? json(nullptr) : json(x.error);
  return dump_line(j);
}

std::string outcome_line(const trace_outcome& x) {
  json j{{"type", "outcome"},
         {"run", x.run},
         {"prompt_id", x.prompt_id},
         {"seed", x.seed.to_string()},
         {"winner", x.winner},
         {"answer", x.answer},
         {"confidence", x.confidence},
         {"finalized", x.finalized},
         {"rounds_executed", x.rounds_executed}};
  j["key"] = x.key.empty() ? json(nullptr) : json(x.key);
  return dump_line(j);
}

trace_call make_call(const std::string& run, const std::string& prompt_id,
                     const request& req, const result& res,
                     const std::string& model) {
  trace_call x;
  x.run = run;
  x.prompt_id = prompt_id;
  x.prompt = req.query;
  x.participant = req.participant;
  x.model = model;
  x.round = req.round;
  x.peers.reserve(req.peers.size());
  for (auto& p : req.peers)
    x.peers.push_back(p.id);
  x.ms = res.ms;
  if (res.ok) {
    x.output = res.output;
    x.label = res.label;
    if (res.tokens > 0)
      x.tokens = res.tokens;
  } else {
    x.error_kind = res.timed_out ? trace_error_kind::timeout
                                 : trace_error_kind::failed;
    x.error = res.error;
  }
  return x;
}

trace_outcome make_outcome(const std::string& run, const std::string& prompt_id,
                           const state& st, const std::string& key) {
  trace_outcome x;
  x.run = run;
  x.prompt_id = prompt_id;
  x.winner = st.winner;
  x.answer = agreed_answer(st);
  auto i = st.index_of(st.winner);
  x.confidence = i < st.confidence.size() ? st.confidence[i] : 0.0;
  x.finalized = st.finalized;
  x.rounds_executed = st.rounds_executed;
  x.key = key;
  return x;
}

trace_writer::trace_writer(std::ostream& out, const trace_header& header)
  : out_(&out) {
  put(header_line(header));
}

expected<std::shared_ptr<trace_writer>>
trace_writer::open(const std::string& path, const trace_header& header) {
  auto f = std::make_unique<std::ofstream>(path,
                                           std::ios::binary | std::ios::trunc);
  if (!*f)
    return make_error(errc::malformed_input,
                      "cannot write the trace file '" + path + "'");
  auto w = std::make_shared<trace_writer>(*f, header);
  w->owned_ = std::move(f);
  if (!w->good())
    return make_error(errc::malformed_input,
                      "cannot write the trace file '" + path + "'");
  return w;
}

void trace_writer::write(const trace_call& x) {
  put(call_line(x));
}

void trace_writer::write(const trace_outcome& x) {
  put(outcome_line(x));
}

bool trace_writer::good() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return out_->good();
}

void trace_writer::put(const std::string& line) {
  std::lock_guard<std::mutex> guard{mtx_};
  *out_ << line << '\n' << std::flush;
}

} // namespace caf::consensus::connectors

#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/seed_json.hpp"

#include <optional>
#include <sstream>

namespace caf::consensus::sim {

using json = nlohmann::json;

namespace {

std::string num(double x) {
  return json(x).dump(); // shortest representation that round-trips
}

std::string csv_field(const std::string& x) {
  if (x.find_first_of(",\"\n\r") == std::string::npos)
    return x;
  std::string out = "\"";
  for (auto c : x) {
    if (c == '"')
      out += '"';
    out += c;
  }
  out += '"';
  return out;
}

/// Returns `part / whole`, or nullopt for an empty round.
std::optional<double> share(uint32_t part, uint32_t whole) {
  if (whole == 0)
    return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::string num_or_empty(std::optional<double> x) {
  return x ? num(*x) : std::string{};
}

json json_or_null(std::optional<double> x) {
  return x ? json(*x) : json(nullptr);
}

} // namespace

std::string runs_csv_header() {
  return "cell,replicate,seed,policy,rounds,k,alpha,beta_1,beta_2,"
         "rounds_executed,stop_reason,finalized,winner,winner_label,"
         "winner_correct,winner_confidence,winner_score,agreement,"
         "unanimity_round,unanimity_label,calls,failures,timeouts,"
         "latency_ms,rounds_to_decide,polls_to_decide,rounds_to_decide_live,"
         "polls_to_decide_live,stopped_early,equal_calls_label,"
         "equal_calls_correct,tokens";
}

std::string to_csv(const run_metrics& m) {
  std::ostringstream os;
  os << m.cell << ',' << m.replicate << ',' << m.seed.to_string() << ','
     << csv_field(m.policy) << ',' << m.rounds << ',' << m.k << ','
     << num(m.alpha) << ',' << num(m.beta_1) << ',' << num(m.beta_2) << ','
     << m.rounds_executed << ',' << m.stop_reason << ','
     << (m.finalized ? "true" : "false") << ',' << csv_field(m.winner) << ','
     << csv_field(m.winner_label) << ','
     << (m.winner_correct ? "true" : "false") << ',' << num(m.winner_confidence)
     << ',' << num(m.winner_score) << ',' << num(m.agreement) << ','
     << m.unanimity_round << ',' << csv_field(m.unanimity_label) << ','
     << m.calls << ',' << m.failures << ',' << m.timeouts << ',' << m.latency_ms
     << ',' << m.rounds_to_decide << ',' << m.polls_to_decide << ','
     << m.rounds_to_decide_live << ',' << m.polls_to_decide_live << ','
     << (m.stopped_early ? "true" : "false") << ','
     << csv_field(m.equal_calls_label) << ','
     << (m.equal_calls_correct ? "true" : "false") << ',' << m.tokens;
  return os.str();
}

std::string agents_csv_header() {
  return "cell,replicate,agent,final_label,confidence,calls,failures,"
         "decided_round,decided_label,decided_polls";
}

std::string agents_csv(const run_metrics& m) {
  std::ostringstream os;
  for (auto& a : m.agents)
    os << m.cell << ',' << m.replicate << ',' << csv_field(a.agent) << ','
       << csv_field(a.final_label) << ',' << num(a.confidence) << ',' << a.calls
       << ',' << a.failures << ',' << a.decided_round << ','
       << csv_field(a.decided_label) << ',' << a.decided_polls << '\n';
  return os.str();
}

json to_json(const run_metrics& m) {
  json x = json::object();
  x["cell"] = m.cell;
  x["replicate"] = m.replicate;
  x["seed"] = seed_json(m.seed);
  x["policy"] = m.policy;
  x["rounds"] = m.rounds;
  x["k"] = m.k;
  x["alpha"] = m.alpha;
  x["beta_1"] = m.beta_1;
  x["beta_2"] = m.beta_2;
  x["rounds_executed"] = m.rounds_executed;
  x["stop_reason"] = m.stop_reason;
  x["finalized"] = m.finalized;
  x["winner"] = m.winner;
  x["winner_label"] = m.winner_label;
  x["winner_correct"] = m.winner_correct;
  x["winner_confidence"] = m.winner_confidence;
  x["winner_score"] = m.winner_score;
  x["agreement"] = m.agreement;
  x["unanimity_round"] = m.unanimity_round;
  x["unanimity_label"] = m.unanimity_label;
  x["calls"] = m.calls;
  x["failures"] = m.failures;
  x["timeouts"] = m.timeouts;
  x["latency_ms"] = m.latency_ms;
  x["rounds_to_decide"] = m.rounds_to_decide;
  x["polls_to_decide"] = m.polls_to_decide;
  x["rounds_to_decide_live"] = m.rounds_to_decide_live;
  x["polls_to_decide_live"] = m.polls_to_decide_live;
  x["stopped_early"] = m.stopped_early;
  x["equal_calls_label"] = m.equal_calls_label;
  x["equal_calls_correct"] = m.equal_calls_correct;
  x["tokens"] = m.tokens;
  return x;
}

std::string rounds_csv_header() {
  return "cell,replicate,round,live,calls,failures,with_winner,with_truth,"
         "with_plurality,winner_share,truth_share,plurality_share,"
         "mean_confidence,max_confidence,decided,stopped";
}

std::string rounds_csv(const run_metrics& m) {
  std::ostringstream os;
  for (auto& r : m.trajectory)
    os << m.cell << ',' << m.replicate << ',' << r.round << ',' << r.live << ','
       << r.calls << ',' << r.failures << ',' << r.with_reference << ','
       << r.with_truth << ',' << r.with_plurality << ','
       << num_or_empty(share(r.with_reference, r.live)) << ','
       << num_or_empty(share(r.with_truth, r.live)) << ','
       << num_or_empty(share(r.with_plurality, r.live)) << ','
       << num(r.mean_confidence) << ',' << num(r.max_confidence) << ','
       << r.decided << ',' << (r.stopped ? "true" : "false") << '\n';
  return os.str();
}

std::string rounds_jsonl(const run_metrics& m) {
  std::string out;
  for (auto& r : m.trajectory) {
    json x = json::object();
    x["cell"] = m.cell;
    x["replicate"] = m.replicate;
    x["round"] = r.round;
    x["live"] = r.live;
    x["calls"] = r.calls;
    x["failures"] = r.failures;
    x["with_winner"] = r.with_reference;
    x["with_truth"] = r.with_truth;
    x["with_plurality"] = r.with_plurality;
    x["winner_share"] = json_or_null(share(r.with_reference, r.live));
    x["truth_share"] = json_or_null(share(r.with_truth, r.live));
    x["plurality_share"] = json_or_null(share(r.with_plurality, r.live));
    x["mean_confidence"] = r.mean_confidence;
    x["max_confidence"] = r.max_confidence;
    x["decided"] = r.decided;
    x["stopped"] = r.stopped;
    out += x.dump() + '\n';
  }
  return out;
}

} // namespace caf::consensus::sim

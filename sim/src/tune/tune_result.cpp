// caf-consensus sim: names of the states of a `tune` result.

#include "caf/consensus/sim/tune/tune_result.hpp"

namespace caf::consensus::sim {

std::string to_string(tune_status x) {
  switch (x) {
    case tune_status::alive:
      return "alive";
    case tune_status::worse:
      return "worse";
    case tune_status::infeasible:
      return "infeasible";
  }
  return "?";
}

std::string to_string(tune_verdict x) {
  switch (x) {
    case tune_verdict::separated:
      return "separated";
    case tune_verdict::tied:
      return "tied";
    case tune_verdict::budget:
      return "budget";
    case tune_verdict::cap:
      return "cap";
    case tune_verdict::infeasible:
      return "infeasible";
  }
  return "?";
}

const tune_interval& estimate_of(const tune_estimates& e, tune_metric metric) {
  switch (metric) {
    case tune_metric::accuracy:
      return e.accuracy;
    case tune_metric::finalize:
      return e.finalize;
    case tune_metric::wrong_final:
      return e.wrong_final;
    case tune_metric::calls:
      return e.calls;
    case tune_metric::latency:
      return e.latency;
    case tune_metric::p95_latency:
      return e.p95_latency;
  }
  return e.accuracy;
}

} // namespace caf::consensus::sim

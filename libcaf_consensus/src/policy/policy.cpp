#include "caf/consensus/policy/policy.hpp"

#include <cmath>
#include <sstream>

#include "caf/consensus/error.hpp"

namespace caf::consensus::policy {

policy_base::~policy_base() {
  // nop
}

bool policy_base::needs_labels() const {
  return false;
}

bool policy_base::stops_after_proposals() const {
  return false;
}

void policy_base::plan_into(state& st, int32_t round,
                            std::vector<request>& out) {
  // Free the old round first: at most one round of requests is alive.
  std::vector<request>{}.swap(out);
  out = plan(st, round);
}

std::vector<std::string> policy_base::reads() const {
  return {"k",
          "alpha",
          "beta_1",
          "beta_2",
          "beta",
          "alpha_preference",
          "alpha_confidence",
          "luminance_weighted",
          "delta",
          "max_calls"};
}

namespace {

std::string num(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

} // namespace

error validate_common(const params& ps) {
  auto bad = [](std::string what) {
    return make_error(errc::invalid_params, std::move(what));
  };
  if (ps.rounds < 0)
    return bad("rounds must be >= 0, got " + std::to_string(ps.rounds));
  if (ps.timeout_ms <= 0)
    return bad("timeout must be > 0 ms, got " + std::to_string(ps.timeout_ms));
  if (!(ps.alpha >= 0 && ps.alpha <= 1))
    return bad("alpha must be in [0, 1], got " + num(ps.alpha));
  if (!(ps.beta_1 >= 0))
    return bad("beta_1 must be >= 0 (values above 1 disable the early "
               "stop), got "
               + num(ps.beta_1));
  if (!(ps.beta_2 >= 0 && ps.beta_2 <= 1))
    return bad("beta_2 must be in [0, 1], got " + num(ps.beta_2));
  return {};
}

} // namespace caf::consensus::policy

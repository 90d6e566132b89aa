#include "caf/consensus/policy/policy.hpp"

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/hanzo.hpp"
#include "caf/consensus/policy/metastable.hpp"
#include "caf/consensus/policy/snowball.hpp"
#include "caf/consensus/policy/vote.hpp"

namespace caf::consensus::policy {

policy_base::~policy_base() {
  // nop
}

bool policy_base::needs_labels() const {
  return false;
}

namespace {

struct registry {
  std::mutex mtx;
  std::vector<std::pair<std::string, policy_factory>> entries;

  registry() {
    entries.emplace_back("metastable",
                         [] { return std::make_unique<metastable>(); });
    entries.emplace_back("hanzo", [] { return std::make_unique<hanzo>(); });
    entries.emplace_back("snowball",
                         [] { return std::make_unique<snowball>(); });
    entries.emplace_back("vote", [] { return std::make_unique<vote>(); });
  }
};

registry& instance() {
  static registry r;
  return r;
}

std::string joined_names() {
  std::string out;
  for (auto& x : names()) {
    if (!out.empty())
      out += ", ";
    out += x;
  }
  return out;
}

} // namespace

expected<std::unique_ptr<policy_base>> make(const std::string& name) {
  policy_factory f;
  {
    auto& r = instance();
    std::lock_guard<std::mutex> guard{r.mtx};
    for (auto& [key, factory] : r.entries)
      if (key == name)
        f = factory;
  }
  if (!f)
    return make_error(errc::unknown_policy, "unknown policy '" + name
                                              + "' (known: " + joined_names()
                                              + ")");
  return f();
}

void register_policy(const std::string& name, policy_factory factory) {
  auto& r = instance();
  std::lock_guard<std::mutex> guard{r.mtx};
  for (auto& [key, f] : r.entries)
    if (key == name) {
      f = std::move(factory);
      return;
    }
  r.entries.emplace_back(name, std::move(factory));
}

std::vector<std::string> names() {
  auto& r = instance();
  std::lock_guard<std::mutex> guard{r.mtx};
  std::vector<std::string> out;
  for (auto& e : r.entries)
    out.push_back(e.first);
  return out;
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

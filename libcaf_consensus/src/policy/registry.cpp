// caf-consensus: the policy registry.

#include "caf/consensus/policy/registry.hpp"

#include <mutex>
#include <utility>

#include "caf/consensus/error.hpp"
#include "caf/consensus/policy/hanzo.hpp"
#include "caf/consensus/policy/metastable.hpp"
#include "caf/consensus/policy/sequential.hpp"
#include "caf/consensus/policy/snowball.hpp"
#include "caf/consensus/policy/vote.hpp"

namespace caf::consensus::policy {

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
    entries.emplace_back("sequential",
                         [] { return std::make_unique<sequential>(); });
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

} // namespace caf::consensus::policy

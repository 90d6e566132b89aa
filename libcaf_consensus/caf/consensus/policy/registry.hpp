// caf-consensus: the policy registry (built-in policies by name, user
// policies registered at run time).

#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/policy/policy.hpp"

namespace caf::consensus::policy {

/// Returns a new instance of the policy called `name`.
expected<std::unique_ptr<policy_base>> make(const std::string& name);

/// Registers a user policy (replaces one of the same name).
void register_policy(const std::string& name, policy_factory factory);

/// Returns the names of all known policies, built-in ones first.
std::vector<std::string> names();

} // namespace caf::consensus::policy

#include "caf/consensus/state.hpp"

#include <algorithm>

namespace caf::consensus {

std::string to_string(stop_reason x) {
  switch (x) {
    case stop_reason::none:
      return "none";
    case stop_reason::no_rounds:
      return "no_rounds";
    case stop_reason::rounds_exhausted:
      return "rounds_exhausted";
    case stop_reason::beta_1:
      return "beta_1";
    case stop_reason::all_decided:
      return "all_decided";
    case stop_reason::unanimity:
      return "unanimity";
    case stop_reason::certificate:
      return "certificate";
    case stop_reason::budget:
      return "budget";
  }
  return "???";
}

size_t state::index_of(const std::string& id) const {
  auto i = std::find(participants.begin(), participants.end(), id);
  return static_cast<size_t>(i - participants.begin());
}

std::vector<std::string> state::texts(size_t i) const {
  std::vector<std::string> out;
  if (i >= responses.size())
    return out;
  out.reserve(responses[i].size());
  for (auto& r : responses[i])
    out.push_back(r.text);
  return out;
}

const response* state::latest(size_t i) const {
  if (i >= responses.size() || responses[i].empty())
    return nullptr;
  return &responses[i].back();
}

const response* state::latest_ok(size_t i) const {
  if (i >= responses.size())
    return nullptr;
  auto& xs = responses[i];
  for (auto j = xs.rbegin(); j != xs.rend(); ++j)
    if (j->ok)
      return &*j;
  return nullptr;
}

} // namespace caf::consensus

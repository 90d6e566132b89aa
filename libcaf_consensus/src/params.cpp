#include "caf/consensus/params.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace caf::consensus {

std::string to_string(extractor_kind x) {
  switch (x) {
    case extractor_kind::normalized_text:
      return "text";
    case extractor_kind::last_number:
      return "last-number";
    case extractor_kind::regex:
      return "regex";
  }
  return "???";
}

bool from_string(const std::string& str, extractor_kind& x) {
  if (str == "text" || str == "normalized-text")
    x = extractor_kind::normalized_text;
  else if (str == "last-number")
    x = extractor_kind::last_number;
  else if (str == "regex")
    x = extractor_kind::regex;
  else
    return false;
  return true;
}

bool operator==(const params& x, const params& y) {
  auto fields = [](const params& p) {
    return std::tie(p.rounds, p.k, p.alpha, p.beta_1, p.beta_2, p.policy,
                    p.seed, p.timeout_ms, p.alpha_preference,
                    p.alpha_confidence, p.beta, p.luminance_weighted,
                    p.extractor, p.extractor_pattern, p.stop_on_unanimity,
                    p.delta, p.max_calls);
  };
  return fields(x) == fields(y);
}

int32_t default_quorum(double alpha, int32_t k) {
  auto q = static_cast<int32_t>(std::ceil(alpha * k));
  return std::clamp(q, int32_t{1}, std::max(k, int32_t{1}));
}

} // namespace caf::consensus

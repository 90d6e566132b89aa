#include "caf/consensus/params.hpp"

#include <algorithm>
#include <cmath>

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

int32_t default_quorum(double alpha, int32_t k) {
  auto q = static_cast<int32_t>(std::ceil(alpha * k));
  return std::clamp(q, int32_t{1}, std::max(k, int32_t{1}));
}

} // namespace caf::consensus

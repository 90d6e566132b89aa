#include "caf/consensus/result.hpp"

#include <tuple>

namespace caf::consensus {

result make_failure(std::string id, int32_t round, std::string error,
                    int64_t ms) {
  result x;
  x.id = std::move(id);
  x.round = round;
  x.ok = false;
  x.error = std::move(error);
  x.ms = ms;
  return x;
}

result make_ok(std::string id, shared_text output, int64_t ms, int32_t round) {
  result x;
  x.id = std::move(id);
  x.output = std::move(output);
  x.ok = true;
  x.ms = ms;
  x.round = round;
  return x;
}

bool operator==(const result& x, const result& y) {
  auto tie = [](const result& r) {
    return std::tie(r.id, r.output, r.ok, r.error, r.ms, r.round, r.label,
                    r.timed_out, r.mismatched_id, r.tokens, r.words);
  };
  return tie(x) == tie(y);
}

} // namespace caf::consensus

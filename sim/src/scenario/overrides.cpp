// caf-consensus sim: command-line overrides of a scenario.

#include "caf/consensus/sim/scenario/overrides.hpp"

#include <cstdint>
#include <limits>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/scenario/internal/schema.hpp"
#include "caf/consensus/sim/scenario/internal/sweep_axes.hpp"
#include "caf/consensus/sim/scenario/internal/value.hpp"

namespace caf::consensus::sim {

using namespace scenario_internal;

error override_replicates(scenario& s, const std::string& text,
                          const std::string& flag) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::invalid_params, flag + ": " + what);
  };
  auto n = parse_int<int64_t>(text);
  if (!n || *n < 1 || static_cast<uint64_t>(*n) > max_replicates)
    return bad("expected an integer in [1, " + std::to_string(max_replicates)
               + "], got '" + text + "'");
  if (!s.seeds.empty())
    return bad(s.file + " lists " + std::to_string(s.seeds.size())
               + " seeds and runs one replicate per seed; to run more, list "
                 "more seeds (e.g. 'seeds: {from: 1, to: "
               + std::to_string(*n)
               + "}'), or replace 'seeds' by 'seed' and use " + flag);
  auto why = runs_over_cap(cell_count(s), static_cast<uint64_t>(*n));
  if (!why.empty())
    return bad(why);
  s.replicates = static_cast<uint64_t>(*n);
  return error{};
}

} // namespace caf::consensus::sim

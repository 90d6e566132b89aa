// caf-consensus sim: the prepared statements a results store writes with
// (private header, not installed).

#pragma once

#include "caf/consensus/sim/store/internal/sqlite.hpp"
#include "caf/consensus/sim/store/store.hpp"

namespace caf::consensus::sim {

// -- prepared statements of a writer ------------------------------------------

struct results_store::statements {
  store_internal::stmt begin;
  store_internal::stmt commit;
  store_internal::stmt rollback;
  store_internal::stmt run;
  store_internal::stmt agent;
};

} // namespace caf::consensus::sim

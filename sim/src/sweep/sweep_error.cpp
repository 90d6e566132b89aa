#include "caf/consensus/sim/sweep/sweep_error.hpp"

#include "caf/make_message.hpp"

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

std::string to_string(sweep_errc x) {
  switch (x) {
    case sweep_errc::none:
      return "none";
    case sweep_errc::refused:
      return "refused";
    case sweep_errc::bad_message:
      return "bad_message";
    case sweep_errc::incompatible:
      return "incompatible";
    case sweep_errc::worker_failed:
      return "worker_failed";
    case sweep_errc::no_workers:
      return "no_workers";
    case sweep_errc::store_failed:
      return "store_failed";
    case sweep_errc::store_mismatch:
      return "store_mismatch";
    case sweep_errc::no_store:
      return "no_store";
    case sweep_errc::bad_credentials:
      return "bad_credentials";
    case sweep_errc::network_failed:
      return "network_failed";
  }
  return "???";
}

error make_error(sweep_errc x, std::string what) {
  return error{static_cast<uint8_t>(x), sweep_errc_category,
               make_message(std::move(what))};
}

std::string render_sweep_error(const error& x) {
  if (!x || x.category() != sweep_errc_category)
    return render(x);
  auto result = to_string(static_cast<sweep_errc>(x.code()));
  auto& ctx = x.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    result += ": " + ctx.get_as<std::string>(0);
  else if (!ctx.empty())
    result += ": " + to_string(ctx);
  return result;
}

} // namespace caf::consensus::sim

#include "caf/consensus/error.hpp"

#include "caf/exit_reason.hpp"
#include "caf/sec.hpp"

namespace caf::consensus {

std::string to_string(errc x) {
  switch (x) {
    case errc::none:
      return "none";
    case errc::invalid_params:
      return "invalid_params";
    case errc::no_participants:
      return "no_participants";
    case errc::duplicate_participant:
      return "duplicate_participant";
    case errc::empty_participant_id:
      return "empty_participant_id";
    case errc::unknown_policy:
      return "unknown_policy";
    case errc::malformed_input:
      return "malformed_input";
    case errc::busy:
      return "busy";
    case errc::execute_failed:
      return "execute_failed";
  }
  return "???";
}

error make_error(errc x, std::string what) {
  return error{static_cast<uint8_t>(x), errc_category,
               make_message(std::move(what))};
}

error make_error(errc x) {
  return error{static_cast<uint8_t>(x), errc_category};
}

std::string context_text(const error& x) {
  if (!x)
    return "no error";
  auto& ctx = x.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return render(x);
}

std::string render(const error& x) {
  if (!x)
    return "no error";
  std::string result;
  if (x.category() == errc_category)
    result = to_string(static_cast<errc>(x.code()));
  else if (x.category() == atom("system"))
    result = to_string(static_cast<sec>(x.code()));
  else if (x.category() == atom("exit"))
    result = to_string(static_cast<exit_reason>(x.code()));
  else
    result = "error " + std::to_string(x.code()) + " ("
             + to_string(x.category()) + ")";
  auto& ctx = x.context();
  if (!ctx.empty()) {
    if (ctx.size() == 1 && ctx.match_element<std::string>(0))
      result += ": " + ctx.get_as<std::string>(0);
    else
      result += ": " + to_string(ctx);
  }
  return result;
}

} // namespace caf::consensus

#include "caf/consensus/connectors/command_line.hpp"

#include <wordexp.h>

#include <cstring>

#include "caf/consensus/connectors/json_rpc.hpp"
#include "caf/consensus/error.hpp"

namespace caf::consensus::connectors {

expected<std::vector<std::string>> split_command(const std::string& line) {
  auto blank = line.find_first_not_of(" \t") == std::string::npos;
  if (blank)
    return make_error(errc::invalid_params, "empty command line");
  wordexp_t w;
  std::memset(&w, 0, sizeof(w));
  auto rc = wordexp(line.c_str(), &w, WRDE_NOCMD | WRDE_UNDEF);
  std::string why;
  switch (rc) {
    case 0:
      break;
    case WRDE_BADCHAR:
      why = "it contains an unquoted shell operator (one of | & ; < > ( ) "
            "{ } or a newline); quote it or wrap the command in a script";
      break;
    case WRDE_BADVAL:
      why = "it uses an undefined environment variable";
      break;
    case WRDE_CMDSUB:
      why = "command substitution ($(...) or backticks) is not allowed";
      break;
    case WRDE_SYNTAX:
      why = "it has a syntax error (unbalanced quotes?)";
      break;
    default:
      why = "it cannot be expanded (error " + std::to_string(rc) + ")";
  }
  if (rc != 0) {
    if (rc == WRDE_NOSPACE)
      wordfree(&w);
    return make_error(errc::invalid_params, "cannot split command line "
                                              + json_rpc::snippet(line, 200)
                                              + ": " + why);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < w.we_wordc; ++i)
    out.emplace_back(w.we_wordv[i]);
  wordfree(&w);
  if (out.empty())
    return make_error(errc::invalid_params, "command line "
                                              + json_rpc::snippet(line, 200)
                                              + " expands to no words");
  return out;
}

} // namespace caf::consensus::connectors

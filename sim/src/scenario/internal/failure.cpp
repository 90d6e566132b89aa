// caf-consensus sim: a problem with one key of a scenario file, and the
// pieces its message is made of.

#include "caf/consensus/sim/scenario/internal/failure.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <locale>
#include <sstream>

namespace caf::consensus::sim::scenario_internal {

namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out += ", ";
    out += x;
  }
  return out;
}

} // namespace

[[noreturn]] void fail(int line, std::string key, std::string problem) {
  throw failure{line, std::move(key), std::move(problem)};
}

std::string where(const std::string& origin, int line) {
  return line > 0 ? origin + ":" + std::to_string(line) : origin;
}

std::string to_message(const std::string& origin, const failure& x) {
  return where(origin, x.line) + ": key '" + x.key + "': " + x.problem;
}

error to_error(const std::string& origin, const failure& x) {
  return make_error(errc::malformed_input, to_message(origin, x));
}

void failure_list::add(failure x) {
  auto order = [](const failure& y) {
    return y.line > 0 ? y.line : std::numeric_limits<int>::max();
  };
  // After the failures of the same line: those keep the order found.
  auto pos = std::upper_bound(kept_.begin(), kept_.end(), order(x),
                              [&](int line, const failure& y) {
                                return line < order(y);
                              });
  if (pos == kept_.end() && kept_.size() >= limit_) {
    ++dropped_;
    return;
  }
  kept_.insert(pos, std::move(x));
  if (kept_.size() > limit_) {
    kept_.pop_back();
    ++dropped_;
  }
}

std::string accepted(const std::vector<std::string>& xs) {
  constexpr size_t max_listed = 20;
  if (xs.size() <= max_listed)
    return " (accepted: " + join(xs) + ")";
  std::vector<std::string> head{xs.begin(), xs.begin() + max_listed};
  return " (accepted: " + join(head) + ", ... " + std::to_string(xs.size())
         + " in all)";
}

std::string quote(const std::string& x) {
  std::string out = "'";
  for (size_t i = 0; i < x.size(); ++i) {
    auto c = static_cast<unsigned char>(x[i]);
    if (i >= 60 && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    out += (c < 0x20 || c == 0x7F) ? '?' : x[i];
  }
  out += '\'';
  return out;
}

std::string fixed(double x) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.0f", x);
  return buf;
}

std::string scientific(double x) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.3g", x);
  return std::string{buf} + " (about)";
}

std::string num(double x) {
  std::ostringstream os;
  os.imbue(std::locale::classic());
  os << x;
  return os.str();
}

} // namespace caf::consensus::sim::scenario_internal

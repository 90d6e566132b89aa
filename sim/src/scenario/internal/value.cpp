// caf-consensus sim: one value of a scenario and its conversions.

#include "caf/consensus/sim/scenario/internal/value.hpp"

#include <cctype>
#include <cmath>

#include <yaml-cpp/yaml.h>

#include "caf/consensus/sim/scenario/internal/failure.hpp"
#include "caf/consensus/sim/scenario/scenario.hpp"

namespace caf::consensus::sim::scenario_internal {

namespace {

bool is_null_text(const std::string& x) {
  return x.empty() || x == "~" || x == "null" || x == "Null" || x == "NULL";
}

bool is_num_text(const std::string& x) {
  size_t i = 0;
  auto digits = [&] {
    size_t n = 0;
    while (i < x.size() && std::isdigit(static_cast<unsigned char>(x[i]))) {
      ++i;
      ++n;
    }
    return n;
  };
  if (i < x.size() && (x[i] == '+' || x[i] == '-'))
    ++i;
  auto n = digits();
  if (i < x.size() && x[i] == '.') {
    ++i;
    n += digits();
  }
  if (n == 0)
    return false;
  if (i < x.size() && (x[i] == 'e' || x[i] == 'E')) {
    ++i;
    if (i < x.size() && (x[i] == '+' || x[i] == '-'))
      ++i;
    if (digits() == 0)
      return false;
  }
  return i == x.size();
}

std::string num_range(double lo, double hi) {
  if (lo == -inf && hi == inf)
    return "a finite number";
  if (hi == inf)
    return "a number >= " + num(lo);
  return "a number in [" + num(lo) + ", " + num(hi) + "]";
}

} // namespace

value from_node(const YAML::Node& n, std::string key, int line) {
  value v;
  v.key = std::move(key);
  v.line = line;
  if (!n.IsDefined() || n.IsNull()) {
    v.type = value::kind::null;
  } else if (n.IsScalar()) {
    v.type = value::kind::scalar;
    v.text = n.Scalar();
    v.plain = n.Tag() == "?";
  } else if (n.IsMap()) {
    v.type = value::kind::map;
    v.size = n.size();
  } else {
    v.type = value::kind::list;
    v.size = n.size();
  }
  return v;
}

value from_text(const std::string& text, std::string key, int line) {
  value v;
  v.key = std::move(key);
  v.line = line;
  v.type = is_null_text(text) ? value::kind::null : value::kind::scalar;
  v.text = text;
  return v;
}

std::string describe(const value& v) {
  switch (v.type) {
    case value::kind::null:
      return "null";
    case value::kind::map:
      return v.size == 0 ? "an empty map" : "a map";
    case value::kind::list:
      return v.size == 0 ? "an empty list" : "a list";
    default:
      return v.plain ? quote(v.text) : "the string " + quote(v.text);
  }
}

[[noreturn]] void expected_(const value& v, const std::string& what) {
  fail(v.line, v.key, "expected " + what + ", got " + describe(v));
}

bool is_int_text(const std::string& x) {
  size_t i = 0;
  if (i < x.size() && (x[i] == '+' || x[i] == '-'))
    ++i;
  if (i == x.size())
    return false;
  for (; i < x.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(x[i])))
      return false;
  return true;
}

std::optional<double> parse_num(std::string x) {
  if (!is_num_text(x))
    return std::nullopt;
  if (x[0] == '+')
    x.erase(0, 1);
  double result = 0;
  auto [ptr, ec] = std::from_chars(x.data(), x.data() + x.size(), result);
  if (ec == std::errc::result_out_of_range) {
    // Underflow (1e-400) reads as 0, overflow (1e400) is an error.
    auto e = x.find_first_of("eE");
    if (e != std::string::npos && e + 1 < x.size() && x[e + 1] == '-')
      return 0.0;
    return std::nullopt;
  }
  if (ec != std::errc{} || ptr != x.data() + x.size() || !std::isfinite(result))
    return std::nullopt;
  return result;
}

int64_t to_int(const value& v, int64_t lo, int64_t hi) {
  auto what = hi == int64_max ? "an integer >= " + std::to_string(lo)
                              : "an integer in [" + std::to_string(lo) + ", "
                                  + std::to_string(hi) + "]";
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, what);
  auto x = parse_int<int64_t>(v.text);
  if (!x || *x < lo || *x > hi)
    expected_(v, what);
  return *x;
}

uint64_t to_uint(const value& v) {
  auto what = "an integer in [0, "
              + std::to_string(std::numeric_limits<uint64_t>::max()) + "]";
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, what);
  auto x = parse_int<uint64_t>(v.text);
  if (!x)
    expected_(v, what);
  return *x;
}

rng::seed to_seed(const value& v) {
  auto what = "an integer of at most " + std::to_string(rng::seed::max_digits)
              + " decimal digits with an optional sign";
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, what);
  auto x = rng::seed::parse(v.text);
  if (!x)
    expected_(v, what);
  return std::move(*x);
}

double to_num(const value& v, double lo, double hi) {
  if (v.type != value::kind::scalar || !v.plain)
    expected_(v, num_range(lo, hi));
  auto x = parse_num(v.text);
  if (!x || *x < lo || *x > hi)
    expected_(v, num_range(lo, hi));
  return *x;
}

bool to_bool(const value& v) {
  if (v.type == value::kind::scalar && v.plain) {
    auto& x = v.text;
    if (x == "true" || x == "True" || x == "TRUE")
      return true;
    if (x == "false" || x == "False" || x == "FALSE")
      return false;
  }
  expected_(v, "true or false");
}

std::string to_str(const value& v) {
  if (v.type != value::kind::scalar)
    expected_(v, "a string");
  return v.text;
}

std::string to_text(const value& v) {
  if (v.type != value::kind::scalar)
    expected_(v, "a non-empty string");
  auto& x = v.text;
  if (x.find_first_not_of(" \t\r\n") == std::string::npos)
    expected_(v, "a non-empty string");
  return x;
}

void check_identifier(const std::string& x, const char* what, int line,
                      const std::string& key) {
  if (!is_scenario_name(x))
    fail(line, key,
         std::string{"expected a "} + what
           + " of letters, digits, '_' and '-', got " + quote(x));
}

std::string to_label(const value& v) {
  auto x = to_str(v);
  check_identifier(x, "label", v.line, v.key);
  return x;
}

} // namespace caf::consensus::sim::scenario_internal

namespace caf::consensus::sim {

bool is_scenario_name(const std::string& x) {
  if (x.empty())
    return false;
  for (auto c : x)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
      return false;
  return true;
}

} // namespace caf::consensus::sim

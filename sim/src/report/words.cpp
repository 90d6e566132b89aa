// caf-consensus sim: the resolved scenario of a manifest in words.

#include "caf/consensus/sim/report/internal/words.hpp"

#include <cmath>
#include <cstdio>

namespace caf::consensus::sim::report_internal {

using json = nlohmann::json;

namespace {

std::string text_of(const json& x) {
  return x.is_string() ? x.get<std::string>() : x.dump();
}

double number_of(const json& x, double fallback) {
  return x.is_number() ? x.get<double>() : fallback;
}

std::string plain_num(double x) {
  char buf[32];
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15)
    std::snprintf(buf, sizeof(buf), "%.0f", x);
  else
    std::snprintf(buf, sizeof(buf), "%.6g", x);
  return buf;
}

std::string percent(double p) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g%%", p * 100);
  return buf;
}

const json& field(const json& obj, const char* key) {
  static const json null;
  if (!obj.is_object())
    return null;
  auto i = obj.find(key);
  return i == obj.end() ? null : *i;
}

} // namespace

std::string number_words(const json& x) {
  return x.is_number() ? plain_num(x.get<double>()) : text_of(x);
}

std::string latency_words(const json& latency) {
  if (latency.is_number())
    return "fixed " + plain_num(latency.get<double>()) + " ms";
  auto& dist = field(latency, "dist");
  if (!dist.is_string())
    return text_of(latency);
  auto d = dist.get<std::string>();
  auto a = plain_num(number_of(field(latency, "a"), NAN));
  auto b = plain_num(number_of(field(latency, "b"), NAN));
  if (d == "constant")
    return "fixed " + a + " ms";
  if (d == "uniform")
    return "uniform " + a + "-" + b + " ms";
  if (d == "normal")
    return "normal, mean " + a + " ms, sd " + b + " ms";
  if (d == "lognormal")
    return "lognormal, median " + a + " ms, sigma " + b;
  if (d == "exponential")
    return "exponential, mean " + a + " ms";
  if (d == "empirical") {
    auto& vs = field(latency, "values");
    if (!vs.is_array() || vs.empty())
      return "fixed " + a + " ms";
    std::string out = "empirical, one of ";
    for (size_t i = 0; i < vs.size(); ++i)
      out += (i > 0 ? ", " : "") + number_words(vs[i]);
    return out + " ms";
  }
  return text_of(latency);
}

std::string share_words(const json& p, const std::string& what) {
  if (!p.is_number())
    return text_of(p);
  auto x = p.get<double>();
  return x == 0 ? "none" : percent(x) + " of " + what;
}

std::string crash_words(const json& crash_after) {
  if (crash_after.is_null()
      || (crash_after.is_number() && crash_after.get<double>() < 0))
    return "never";
  return "after round " + number_words(crash_after);
}

std::string answers_words(const json& answers) {
  if (!answers.is_object())
    return text_of(answers);
  if (answers.empty())
    return "the ground truth";
  double sum = 0;
  for (auto& [label, w] : answers.items()) {
    auto x = number_of(w, 0);
    if (std::isfinite(x) && x > 0)
      sum += x;
  }
  std::string out;
  for (auto& [label, w] : answers.items()) {
    if (!out.empty())
      out += ", ";
    out += label;
    if (sum > 0) {
      auto x = number_of(w, 0);
      out += " " + percent(std::isfinite(x) && x > 0 ? x / sum : 0);
    }
  }
  return sum > 0 ? out : out + " equally likely";
}

std::string behaviour_words(const json& group) {
  auto& b = field(group, "behaviour");
  if (!b.is_string())
    return text_of(b);
  auto name = b.get<std::string>();
  auto& wrong = field(group, "wrong_label");
  auto wrong_label = wrong.is_string() && !wrong.get<std::string>().empty()
                       ? wrong.get<std::string>()
                       : std::string{"the first other label"};
  if (name == "conform" && field(group, "conform_p").is_number())
    return "conform (p = " + number_words(field(group, "conform_p")) + ")";
  if (name == "fixed-wrong")
    return "fixed-wrong (always answers " + wrong_label + ")";
  if (name == "flip-flop")
    return "flip-flop (ground truth, then " + wrong_label + ")";
  return name;
}

std::string param_words(const std::string& key, const json& value) {
  if (value.is_boolean())
    return value.get<bool>() ? "yes" : "no";
  if ((key == "alpha_preference" || key == "alpha_confidence")
      && value.is_number() && value.get<double>() == 0)
    return "default: ceil(alpha * k)";
  if (key == "extractor_pattern" && value.is_string()
      && value.get<std::string>().empty())
    return "none";
  if (key == "beta_1" && value.is_number() && value.get<double>() > 1)
    return number_words(value) + " (no early stop)";
  auto ms = key.size() > 3 && key.compare(key.size() - 3, 3, "_ms") == 0;
  if (ms && value.is_number())
    return number_words(value) + " ms";
  return number_words(value);
}

} // namespace caf::consensus::sim::report_internal

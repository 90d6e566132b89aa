// caf-consensus sim: reliability tables and isotonic calibration maps.

#include "caf/consensus/sim/report/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "caf/consensus/error.hpp"

namespace caf::consensus::sim {

using json = nlohmann::json;

namespace {

double clamp01(double x) {
  if (!(x > 0))
    return 0;
  return x > 1 ? 1 : x;
}

} // namespace

void calibration_acc::add(double confidence, bool correct) {
  auto c = clamp01(confidence);
  auto b = std::min(static_cast<size_t>(c * bins), bins - 1);
  ++n_[b];
  if (correct)
    ++hits_[b];
  sum_[b] += c;
  auto y = correct ? 1.0 : 0.0;
  brier_ += (c - y) * (c - y);
  ++total_;
}

calibration calibration_acc::get() const {
  calibration out;
  out.n = total_;
  for (size_t b = 0; b < bins; ++b) {
    reliability_bin x;
    x.lo = static_cast<double>(b) / bins;
    x.hi = static_cast<double>(b + 1) / bins;
    x.accuracy = wilson(hits_[b], n_[b]);
    if (n_[b] > 0) {
      x.mean_confidence = sum_[b] / static_cast<double>(n_[b]);
      out.ece += static_cast<double>(n_[b]) / static_cast<double>(total_)
                 * std::abs(x.accuracy.value - x.mean_confidence);
    }
    out.bins.push_back(x);
  }
  if (total_ > 0)
    out.brier = brier_ / static_cast<double>(total_);
  return out;
}

json to_json(const calibration& x) {
  json bins = json::array();
  for (auto& b : x.bins)
    bins.push_back(json{{"lo", b.lo},
                        {"hi", b.hi},
                        {"mean_confidence", b.mean_confidence},
                        {"accuracy", json{{"value", b.accuracy.value},
                                          {"lo", b.accuracy.lo},
                                          {"hi", b.accuracy.hi},
                                          {"hits", b.accuracy.hits},
                                          {"n", b.accuracy.n}}}});
  return json{
    {"n", x.n}, {"ece", x.ece}, {"brier", x.brier}, {"bins", std::move(bins)}};
}

double calibration_map::apply(double c) const {
  if (confidence.empty())
    return 0;
  c = clamp01(c);
  if (c <= confidence.front())
    return probability.front();
  if (c >= confidence.back())
    return probability.back();
  auto i = static_cast<size_t>(
    std::upper_bound(confidence.begin(), confidence.end(), c)
    - confidence.begin());
  auto x0 = confidence[i - 1];
  auto x1 = confidence[i];
  auto y0 = probability[i - 1];
  auto y1 = probability[i];
  return x1 > x0 ? y0 + (y1 - y0) * (c - x0) / (x1 - x0) : y1;
}

expected<calibration_map>
fit_calibration(std::vector<std::pair<double, bool>> points) {
  if (points.empty())
    return make_error(errc::invalid_params,
                      "cannot fit a calibration map without runs");
  for (auto& p : points)
    p.first = clamp01(p.first);
  std::sort(points.begin(), points.end(),
            [](auto& x, auto& y) { return x.first < y.first; });
  // Pool adjacent violators over blocks of equal confidence.
  struct block {
    double x_sum;
    double y_sum;
    double weight;
  };
  std::vector<block> blocks;
  for (size_t i = 0; i < points.size();) {
    block b{0, 0, 0};
    auto x = points[i].first;
    for (; i < points.size() && points[i].first == x; ++i) {
      b.x_sum += x;
      b.y_sum += points[i].second ? 1 : 0;
      b.weight += 1;
    }
    blocks.push_back(b);
    while (blocks.size() > 1) {
      auto& hi = blocks[blocks.size() - 1];
      auto& lo = blocks[blocks.size() - 2];
      if (lo.y_sum / lo.weight <= hi.y_sum / hi.weight)
        break;
      lo.x_sum += hi.x_sum;
      lo.y_sum += hi.y_sum;
      lo.weight += hi.weight;
      blocks.pop_back();
    }
  }
  calibration_map out;
  out.runs = points.size();
  for (auto& b : blocks) {
    out.confidence.push_back(b.x_sum / b.weight);
    out.probability.push_back(b.y_sum / b.weight);
  }
  return out;
}

json to_json(const calibration_map& x) {
  return json{{"format", "caf-consensus calibration map"},
              {"version", 1},
              {"policy", x.policy},
              {"runs", x.runs},
              {"confidence", x.confidence},
              {"probability", x.probability}};
}

expected<calibration_map> calibration_map_from_json(const json& x,
                                                    const std::string& where) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::malformed_input, where + ": " + what);
  };
  if (!x.is_object())
    return bad("expected a JSON object (a calibration map)");
  auto f = x.find("format");
  if (f == x.end() || !f->is_string()
      || f->get<std::string>() != "caf-consensus calibration map")
    return bad("not a calibration map (key 'format' must be \"caf-consensus "
               "calibration map\")");
  auto v = x.find("version");
  if (v == x.end() || !v->is_number_integer() || v->get<int64_t>() != 1)
    return bad("unsupported calibration map version (this program reads "
               "version 1)");
  calibration_map out;
  if (auto p = x.find("policy"); p != x.end() && p->is_string())
    out.policy = p->get<std::string>();
  if (auto r = x.find("runs"); r != x.end() && r->is_number_unsigned())
    out.runs = r->get<uint64_t>();
  auto list = [&](const char* key, std::vector<double>& xs) -> error {
    auto i = x.find(key);
    if (i == x.end() || !i->is_array() || i->empty())
      return bad(std::string{"key '"} + key
                 + "' must be a non-empty list of numbers");
    for (size_t j = 0; j < i->size(); ++j) {
      auto& e = (*i)[j];
      if (!e.is_number() || !(e.get<double>() >= 0 && e.get<double>() <= 1))
        return bad(std::string{key} + "[" + std::to_string(j)
                   + "] must be a number in [0, 1], got " + e.dump());
      xs.push_back(e.get<double>());
    }
    return {};
  };
  if (auto err = list("confidence", out.confidence))
    return err;
  if (auto err = list("probability", out.probability))
    return err;
  if (out.confidence.size() != out.probability.size())
    return bad("'confidence' and 'probability' must have the same length");
  for (size_t j = 1; j < out.confidence.size(); ++j) {
    if (!(out.confidence[j] > out.confidence[j - 1]))
      return bad("'confidence' must be strictly increasing (at index "
                 + std::to_string(j) + ")");
    if (out.probability[j] < out.probability[j - 1])
      return bad("'probability' must not decrease (at index "
                 + std::to_string(j) + ")");
  }
  return out;
}

expected<calibration_map> load_calibration_map(const std::string& path) {
  constexpr size_t cap = 16 * 1024 * 1024;
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(errc::malformed_input, path + ": cannot open");
  std::string text(cap + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > cap)
    return make_error(errc::malformed_input,
                      path + ": larger than 16 MiB (not a calibration map)");
  auto x = json::parse(text, nullptr, false);
  if (x.is_discarded())
    return make_error(errc::malformed_input, path + ": not valid JSON");
  return calibration_map_from_json(x, path);
}

} // namespace caf::consensus::sim

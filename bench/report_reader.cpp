// caf-consensus benchmarks: reads and checks Google Benchmark JSON output for
// consensus-bench-report; errors name the file, the entry and the problem.

#include "report_reader.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace caf::consensus::bench {

namespace {

using json = nlohmann::json;

double median(std::vector<double> xs) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

double to_ns(double x, const std::string& unit) {
  if (unit == "ns")
    return x;
  if (unit == "us")
    return x * 1e3;
  if (unit == "ms")
    return x * 1e6;
  if (unit == "s")
    return x * 1e9;
  throw std::runtime_error("unknown time_unit '" + unit + "'");
}

const std::vector<std::string> known_keys = {"name",
                                             "family_index",
                                             "per_family_instance_index",
                                             "run_name",
                                             "run_type",
                                             "repetitions",
                                             "repetition_index",
                                             "threads",
                                             "iterations",
                                             "real_time",
                                             "cpu_time",
                                             "time_unit",
                                             "items_per_second",
                                             "aggregate_name",
                                             "aggregate_unit",
                                             "error_occurred",
                                             "error_message",
                                             "bytes_per_second",
                                             "label"};

double number(const json& b, const char* key, const std::string& where) {
  if (!b.contains(key) || !b[key].is_number())
    throw std::runtime_error(where + ": missing or non-numeric \"" + key
                             + "\"");
  return b[key].get<double>();
}

} // namespace

void reader::read(const std::string& file) {
  std::ifstream in{file};
  if (!in)
    throw std::runtime_error(file + ": cannot open file");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(file + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("benchmarks")
      || !doc["benchmarks"].is_array())
    throw std::runtime_error(file
                             + ": not Google Benchmark JSON output (no "
                               "\"benchmarks\" array; run the benchmark "
                               "with --benchmark_out_format=json)");
  if (!have_context_ && doc.contains("context") && doc["context"].is_object()) {
    read_context(doc["context"]);
    have_context_ = true;
  }
  size_t index = 0;
  for (auto& b : doc["benchmarks"]) {
    auto where = file + ": benchmarks[" + std::to_string(index++) + "]";
    try {
      read_entry(b, where);
    } catch (const json::exception& e) {
      throw std::runtime_error(where + ": " + e.what());
    }
  }
}

std::optional<measurement> reader::get(const std::string& name) const {
  auto i = runs_.find(name);
  if (i == runs_.end() || !i->second.error.empty())
    return std::nullopt;
  auto& s = i->second;
  if (s.median_aggregate)
    return s.median_aggregate;
  if (s.real_ns.empty())
    return std::nullopt;
  measurement m;
  m.real_ns = median(s.real_ns);
  m.cpu_ns = median(s.cpu_ns);
  m.items_per_second = median(s.items_per_second);
  for (auto& [k, v] : s.counters)
    m.counters[k] = median(v);
  m.repetitions = s.real_ns.size();
  return m;
}

std::string reader::error(const std::string& name) const {
  auto i = runs_.find(name);
  return i == runs_.end() ? std::string{} : i->second.error;
}

void reader::read_context(const json& c) {
  auto str = [&](const char* key) {
    return c.contains(key) && c[key].is_string() ? c[key].get<std::string>()
                                                 : std::string{};
  };
  if (ctx_.host.empty())
    ctx_.host = str("host_name");
  if (ctx_.date.empty())
    ctx_.date = str("date");
  if (ctx_.build_type.empty())
    ctx_.build_type = str("library_build_type");
  if (c.contains("num_cpus") && c["num_cpus"].is_number())
    ctx_.num_cpus = c["num_cpus"].get<int>();
  if (c.contains("mhz_per_cpu") && c["mhz_per_cpu"].is_number())
    ctx_.mhz = c["mhz_per_cpu"].get<double>();
  if (c.contains("load_avg") && c["load_avg"].is_array())
    for (auto& x : c["load_avg"])
      if (x.is_number())
        ctx_.load.push_back(x.get<double>());
}

void reader::read_entry(const json& b, const std::string& where) {
  if (!b.is_object() || !b.contains("name") || !b["name"].is_string())
    throw std::runtime_error(where + ": not a benchmark entry (no name)");
  auto run_name = b.contains("run_name") && b["run_name"].is_string()
                    ? b["run_name"].get<std::string>()
                    : b["name"].get<std::string>();
  auto& s = runs_[run_name];
  if (b.value("error_occurred", false)) {
    s.error = b.value("error_message", std::string{"failed"});
    return;
  }
  auto unit = b.value("time_unit", std::string{"ns"});
  auto run_type = b.value("run_type", std::string{"iteration"});
  measurement m;
  m.real_ns = to_ns(number(b, "real_time", where), unit);
  m.cpu_ns = to_ns(number(b, "cpu_time", where), unit);
  if (b.contains("items_per_second") && b["items_per_second"].is_number())
    m.items_per_second = b["items_per_second"].get<double>();
  for (auto& [k, v] : b.items())
    if (v.is_number()
        && std::find(known_keys.begin(), known_keys.end(), k)
             == known_keys.end())
      m.counters[k] = v.get<double>();
  if (run_type == "aggregate") {
    if (b.value("aggregate_name", std::string{}) == "median") {
      m.repetitions = static_cast<size_t>(b.value("repetitions", 0));
      s.median_aggregate = m;
    }
    return;
  }
  s.real_ns.push_back(m.real_ns);
  s.cpu_ns.push_back(m.cpu_ns);
  s.items_per_second.push_back(m.items_per_second);
  for (auto& [k, v] : m.counters)
    s.counters[k].push_back(v);
}

} // namespace caf::consensus::bench

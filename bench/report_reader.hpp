// caf-consensus benchmarks: reads and checks Google Benchmark JSON output for
// consensus-bench-report and takes the median of each benchmark.

#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace caf::consensus::bench {

/// The median of one benchmark over its repetitions.
struct measurement {
  double real_ns = 0;
  double cpu_ns = 0;
  /// Items per second (0 if the benchmark sets none).
  double items_per_second = 0;
  std::map<std::string, double> counters;
  size_t repetitions = 0;
};

/// The repetitions of one benchmark as read.
struct samples {
  std::vector<double> real_ns;
  std::vector<double> cpu_ns;
  std::vector<double> items_per_second;
  std::map<std::string, std::vector<double>> counters;
  std::optional<measurement> median_aggregate;
  std::string error;
};

/// The machine and run, from the first file's "context".
struct context {
  std::string host;
  std::string date;
  int num_cpus = 0;
  double mhz = 0;
  std::vector<double> load;
  std::string build_type;
};

/// Collects the benchmarks of one or more files.
class reader {
public:
  /// Reads one file; throws std::runtime_error naming the file and problem.
  void read(const std::string& file);

  /// Returns the median of a benchmark, nullopt if missing or failed.
  std::optional<measurement> get(const std::string& name) const;

  /// Returns the error of a failed benchmark, empty otherwise.
  std::string error(const std::string& name) const;

  const context& ctx() const {
    return ctx_;
  }

  size_t size() const {
    return runs_.size();
  }

private:
  void read_context(const nlohmann::json& c);

  void read_entry(const nlohmann::json& b, const std::string& where);

  std::map<std::string, samples> runs_;
  context ctx_;
  bool have_context_ = false;
};

} // namespace caf::consensus::bench

// caf-consensus sim: reading the JSON input of a results directory with
// errors that name the file, the line and the field at fault.

#include "caf/consensus/sim/report/internal/checked_json.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

namespace caf::consensus::sim::report_internal {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr size_t max_line = 16 * 1024 * 1024;

} // namespace

void fail(const std::string& where, const std::string& what) {
  throw input_error{where + ": " + what};
}

const json& field(const json& obj, const char* key, const std::string& where) {
  auto i = obj.find(key);
  if (i == obj.end())
    fail(where, std::string{"missing field '"} + key + "'");
  return *i;
}

double number(const json& x, const std::string& where, const std::string& key) {
  if (!x.is_number())
    fail(where, "field '" + key + "' must be a number, got " + x.dump());
  auto v = x.get<double>();
  if (!std::isfinite(v))
    fail(where, "field '" + key + "' is not finite");
  return v;
}

uint64_t count(const json& x, const std::string& where,
               const std::string& key) {
  if (!x.is_number_unsigned()
      && !(x.is_number_integer() && x.get<int64_t>() >= 0))
    fail(where,
         "field '" + key + "' must be a non-negative integer, got " + x.dump());
  return x.get<uint64_t>();
}

std::string text(const json& x, const std::string& where,
                 const std::string& key) {
  if (!x.is_string())
    fail(where, "field '" + key + "' must be a string, got " + x.dump());
  return x.get<std::string>();
}

bool flag(const json& x, const std::string& where, const std::string& key) {
  if (!x.is_boolean())
    fail(where, "field '" + key + "' must be true or false, got " + x.dump());
  return x.get<bool>();
}

std::string read_file(const fs::path& p, size_t cap) {
  std::ifstream in{p, std::ios::binary};
  if (!in)
    fail(p.string(), "cannot open");
  std::ostringstream os;
  os << in.rdbuf();
  auto text = os.str();
  if (text.size() > cap)
    fail(p.string(),
         "larger than " + std::to_string(cap / (1024 * 1024)) + " MiB");
  return text;
}

void for_each_json_line(
  const fs::path& path,
  const std::function<void(const json&, const std::string&)>& fn) {
  std::ifstream in{path};
  if (!in)
    fail(path.string(), "cannot open");
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    auto where = path.string() + ":" + std::to_string(lineno);
    if (line.size() > max_line)
      fail(where, "line longer than 16 MiB");
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    json obj;
    try {
      obj = json::parse(line);
    } catch (const json::exception& e) {
      fail(where, std::string{"not valid JSON: "} + e.what());
    }
    if (!obj.is_object())
      fail(where, "expected a JSON object per line");
    fn(obj, where);
  }
}

} // namespace caf::consensus::sim::report_internal

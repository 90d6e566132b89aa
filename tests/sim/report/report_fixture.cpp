// Test helper: temporary folders, whole-file reads and writes, and results
// directories written as `consensus-sim run --out` does.

#include "sim/report/report_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/engine/run.hpp"
#include "caf/consensus/sim/engine/run_metrics.hpp"
#include "caf/consensus/sim/report/summary.hpp"
#include "caf/consensus/sim/store/run_files.hpp"
#include "caf/consensus/sim/sweep/manifest.hpp"
#include "caf/consensus/sim/sweep/run_sweep.hpp"

using namespace caf::consensus;
namespace fs = std::filesystem;

namespace report_test {

namespace {

const std::string scenarios = CAF_CONSENSUS_SCENARIOS;

} // namespace

temp_dir::temp_dir() {
  auto tmpl = (fs::temp_directory_path() / "caf-report-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  path = buf.data();
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream out{p, std::ios::binary | std::ios::trunc};
  out << text;
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (auto i = hay.find(needle); i != std::string::npos;
       i = hay.find(needle, i + needle.size()))
    ++n;
  return n;
}

sim::scenario load(const std::string& name, uint64_t replicates) {
  auto sc = sim::load_scenario(scenarios + "/" + name);
  if (!sc)
    throw std::runtime_error(render(sc.error()));
  sc->replicates = replicates;
  return *sc;
}

void write_results(const sim::scenario& sc, const fs::path& dir) {
  fs::create_directories(dir);
  auto cells = sim::cell_count(sc);
  std::vector<sim::cell_summary> sums(cells);
  std::ofstream runs{dir / "runs.jsonl"};
  sim::sweep_options opts;
  opts.engine = sim::engine_kind::inline_calls;
  opts.threads = 2;
  opts.on_run = [&](const sim::run_metrics& m) {
    sums[m.cell].add(m);
    runs << sim::to_json(m).dump() << '\n';
  };
  if (auto err = sim::run_sweep(sc, opts))
    throw std::runtime_error(render(err));
  runs.close();
  spit(dir / "manifest.json",
       sim::manifest(sc, sim::engine_kind::inline_calls, "test").dump(2));
  std::ofstream sj{dir / "summary.jsonl"};
  for (uint64_t c = 0; c < cells; ++c)
    sj << sim::summary_json(sc, c, sums[c]).dump() << '\n';
}

const fs::path& quickstart_dir() {
  static temp_dir tmp;
  static bool done = false;
  if (!done) {
    write_results(load("quickstart.yaml", 100), tmp.path / "qs");
    done = true;
  }
  static fs::path p = tmp.path / "qs";
  return p;
}

} // namespace report_test

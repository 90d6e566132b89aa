// caf-consensus sim: a store's runs written out as run files.

#include "caf/consensus/sim/store/run_export.hpp"

#include <filesystem>
#include <optional>

#include "caf/consensus/sim/store/output_file.hpp"
#include "caf/consensus/sim/store/run_files.hpp"

namespace caf::consensus::sim {

expected<uint64_t>
export_runs(const results_store& store, const std::string& dir,
            const std::function<void(const run_metrics&)>& each) {
  namespace fs = std::filesystem;
  std::optional<output_file> runs_file;
  std::optional<output_file> runs_jsonl_file;
  std::optional<output_file> agents_file;
  auto agents = store.identity().agent_rows;
  std::vector<std::string> inputs{store.path()};
  auto open = [&](std::optional<output_file>& f, const char* name) -> error {
    auto x = output_file::open((fs::path{dir} / name).string(), inputs);
    if (!x)
      return std::move(x.error());
    f.emplace(std::move(*x));
    return {};
  };
  if (!dir.empty()) {
    if (auto err = open(runs_file, "runs.csv"))
      return err;
    if (auto err = open(runs_jsonl_file, "runs.jsonl"))
      return err;
    if (agents)
      if (auto err = open(agents_file, "agents.csv"))
        return err;
    runs_file->stream() << runs_csv_header() << '\n';
    if (agents)
      agents_file->stream() << agents_csv_header() << '\n';
  }
  uint64_t n = 0;
  auto err = store.for_each([&](const run_metrics& m) {
    ++n;
    if (each)
      each(m);
    if (runs_file) {
      runs_file->stream() << to_csv(m) << '\n';
      runs_jsonl_file->stream() << to_json(m).dump() << '\n';
      if (agents_file)
        agents_file->stream() << agents_csv(m);
    }
  });
  if (err)
    return err;
  for (auto* f : {&runs_file, &runs_jsonl_file, &agents_file})
    if (*f)
      if (auto err = (*f)->commit())
        return err;
  return n;
}

} // namespace caf::consensus::sim

// caf-consensus sim: per-cell summaries written as summary files.

#include "caf/consensus/sim/report/summary_files.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "caf/consensus/sim/scenario/describe.hpp"
#include "caf/consensus/sim/store/output_file.hpp"

namespace caf::consensus::sim {

namespace {

std::string triple(double value, double lo, double hi) {
  return nlohmann::json(value).dump() + "," + nlohmann::json(lo).dump() + ","
         + nlohmann::json(hi).dump();
}

} // namespace

std::string summary_csv_header() {
  return "cell,label,runs,finalize_rate,finalize_lo,finalize_hi,"
         "accuracy,accuracy_lo,accuracy_hi,acc_final,acc_final_lo,"
         "acc_final_hi,rounds_mean,rounds_lo,rounds_hi,latency_mean,"
         "latency_lo,latency_hi,calls_mean,calls_lo,calls_hi,"
         "stopped_early,stopped_early_lo,stopped_early_hi,"
         "rounds_to_decide_mean,rounds_to_decide_lo,rounds_to_decide_hi,"
         "polls_to_decide_mean,polls_to_decide_lo,polls_to_decide_hi,"
         "equal_calls_accuracy,equal_calls_accuracy_lo,"
         "equal_calls_accuracy_hi,gain_mean,gain_lo,gain_hi,ece,brier,"
         "tokens_mean,tokens_lo,tokens_hi";
}

std::string summary_csv(const scenario& s, uint64_t cell,
                        const cell_summary& x) {
  auto r = [](const rate& v) { return triple(v.value, v.lo, v.hi); };
  auto m = [](const mean_ci& v) { return triple(v.value, v.lo, v.hi); };
  auto label = cell_label(s, cell);
  if (label.find_first_of(",\"") != std::string::npos)
    label = "\"" + label + "\"";
  return std::to_string(cell) + ',' + label + ',' + std::to_string(x.runs())
         + ',' + r(x.finalize_rate()) + ',' + r(x.accuracy()) + ','
         + r(x.safety()) + ',' + m(x.rounds()) + ',' + m(x.latency()) + ','
         + m(x.calls()) + ',' + r(x.stopped_early()) + ','
         + m(x.rounds_to_decide()) + ',' + m(x.polls_to_decide()) + ','
         + r(x.equal_calls_accuracy()) + ',' + m(x.gain_over_equal_calls())
         + ',' + nlohmann::json(x.reliability().ece).dump() + ','
         + nlohmann::json(x.reliability().brier).dump() + ',' + m(x.tokens());
}

error write_summaries(const std::string& dir, const scenario& s,
                      const std::vector<cell_summary>& cells) {
  namespace fs = std::filesystem;
  auto sj = output_file::open((fs::path{dir} / "summary.jsonl").string());
  if (!sj)
    return std::move(sj.error());
  auto sc = output_file::open((fs::path{dir} / "summary.csv").string());
  if (!sc)
    return std::move(sc.error());
  sc->stream() << summary_csv_header() << '\n';
  for (uint64_t c = 0; c < cells.size(); ++c) {
    sj->stream() << summary_json(s, c, cells[c]).dump() << '\n';
    sc->stream() << summary_csv(s, c, cells[c]) << '\n';
  }
  if (auto err = sj->commit())
    return err;
  return sc->commit();
}

} // namespace caf::consensus::sim

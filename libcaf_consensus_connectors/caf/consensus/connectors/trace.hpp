// caf-consensus: traces of real agent calls (JSON lines, docs/traces.md):
// the records, a writer and a strict reader.

#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::connectors {

/// The version this library writes and the only one it reads.
constexpr int trace_format_version = 1;

/// The value of the header's `format` key.
constexpr const char* trace_format_name = "caf-consensus-trace";

/// A participant of a trace: its id and what answered for it.
struct trace_participant {
  std::string id;
  /// The model or server behind it (`mcp+stdio: node server.mjs`).
  std::string model;
};

/// The first line of a trace.
struct trace_header {
  /// The parameters of the recorded runs (`params.seed`: the first run's).
  params ps;
  /// Participants in the order the runs called them.
  std::vector<trace_participant> participants;
};

/// How a recorded call failed.
enum class trace_error_kind : uint8_t {
  none,
  /// The agent answered with an error.
  failed,
  /// The agent did not answer in time.
  timeout,
};

/// One recorded call.
struct trace_call {
  std::string run;
  std::string prompt_id;
  /// The user prompt (the question, not the rendered refinement prompt).
  std::string prompt;
  std::string participant;
  std::string model;
  int32_t round = 0;
  /// Ids of the peers whose outputs the call was shown, in sample order.
  std::vector<std::string> peers;
  std::string output;
  /// Choice key the agent reported with its answer (empty: none).
  std::string label;
  int64_t ms = 0;
  /// Tokens, when the agent reported them.
  std::optional<uint64_t> tokens;
  trace_error_kind error_kind = trace_error_kind::none;
  /// Error text of a failed call.
  std::string error;
  /// Line in the file it was read from (0 when not read from a file).
  int line = 0;

  bool ok() const noexcept {
    return error_kind == trace_error_kind::none;
  }
};

/// How a recorded run ended.
struct trace_outcome {
  std::string run;
  std::string prompt_id;
  /// The run seed (`params::seed` of the run).
  rng::seed seed;
  std::string winner;
  /// The winner's answer text.
  std::string answer;
  double confidence = 0;
  bool finalized = false;
  int32_t rounds_executed = 0;
  /// The correct answer when the recording knew it (empty: no key).
  std::string key;
  int line = 0;
};

/// A whole trace as read from a file.
struct trace {
  trace_header header;
  std::vector<trace_call> calls;
  std::vector<trace_outcome> outcomes;
};

/// Returns `x` as written in traces (`failed`, `timeout`; `none`: empty).
std::string to_string(trace_error_kind x);

/// Returns the header line of a trace (one JSON object, no newline).
std::string header_line(const trace_header& x);

/// Returns the line of one call.
std::string call_line(const trace_call& x);

/// Returns the line of one outcome.
std::string outcome_line(const trace_outcome& x);

/// Returns the call `req` -> `res` of `participant` (what `record` writes):
/// a timed-out result is a `timeout`, any other failed result `failed`;
/// tokens are written when the result reports some (non-zero).
trace_call make_call(const std::string& run, const std::string& prompt_id,
                     const request& req, const result& res,
                     const std::string& model);

/// Returns the outcome of the run `run` that ended in `st`.
trace_outcome make_outcome(const std::string& run, const std::string& prompt_id,
                           const state& st, const std::string& key = "");

/// Writes a trace, one line at a time; safe to call from any thread (the
/// participants of a run answer concurrently). Lines are flushed as they are
/// written, so a trace of an interrupted run keeps every finished call.
class trace_writer {
public:
  /// Writes `header` to `out` (which must outlive the writer).
  trace_writer(std::ostream& out, const trace_header& header);

  /// Opens (truncates) `path` and writes `header`.
  static expected<std::shared_ptr<trace_writer>>
  open(const std::string& path, const trace_header& header);

  void write(const trace_call& x);

  void write(const trace_outcome& x);

  /// Returns whether every line so far was written.
  bool good() const;

private:
  void put(const std::string& line);

  std::unique_ptr<std::ostream> owned_;
  std::ostream* out_;
  mutable std::mutex mtx_;
};

/// Largest trace file `read_trace` accepts unless told otherwise.
constexpr size_t max_trace_file_bytes = size_t{256} << 20;

/// Longest line of a trace (bytes, without the newline) the reader parses.
constexpr size_t max_trace_line_bytes = size_t{4} << 20;

/// Deepest nesting of arrays and objects in one trace line.
constexpr size_t max_trace_line_depth = 64;

/// Reads a trace strictly: the header first, with `format`
/// `caf-consensus-trace` and `version` 1; every line one JSON object with
/// exactly the documented keys and types; calls of known participants; no
/// call recorded twice (same run, participant, round); outcomes after their
/// run's calls, at most one per run; lines of at most `max_trace_line_bytes`
/// bytes, nested at most `max_trace_line_depth` levels, without duplicate
/// keys. Errors read
/// `FILE:LINE: key 'KEY': PROBLEM (value V)`.
expected<trace> read_trace(const std::string& path,
                           size_t max_bytes = max_trace_file_bytes);

/// Parses trace text; `origin` names it in errors.
expected<trace> parse_trace(const std::string& text, const std::string& origin);

} // namespace caf::consensus::connectors

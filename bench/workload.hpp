// caf-consensus benchmarks: the benchmark shapes and their scripted
// participants (see docs/performance.md).

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "caf/consensus/params.hpp"
#include "caf/consensus/request.hpp"
#include "caf/consensus/result.hpp"
#include "caf/consensus/shared_text.hpp"
#include "caf/consensus/state.hpp"

namespace caf::consensus::bench {

/// Words of the outputs: 48 distinct words.
extern const char* const vocabulary[48];

/// A benchmark shape with its pre-generated answers: every participant answers
/// at once with a fixed output that differs for every participant and round
/// (`words` words drawn uniformly from `vocabulary`) and a fixed latency drawn
/// uniformly from 50..3000 ms. Only protocol cost is measured: an answer shares
/// its prepared string (a `shared_text`, no copy), as the Python reference's
/// scripted `execute` returns a prepared `str` without copying it.
///
/// Every answer also has a prepared choice key, one of `choices` drawn
/// uniformly (from a generator of its own: the outputs do not depend on it).
/// `answer` attaches it only when asked to (`labelled`), as an agent of a
/// choice policy answers with its choice; otherwise the engine extracts a
/// key from the text when a policy needs one.
class workload {
public:
  /// Prepares `n` participants and `rounds` refinement rounds.
  workload(size_t n, int32_t rounds, size_t words, uint64_t seed = 7);

  size_t n() const noexcept {
    return ids_.size();
  }

  int32_t rounds() const noexcept {
    return rounds_;
  }

  size_t words() const noexcept {
    return words_;
  }

  /// Participant ids `p0`, `p1`, ...
  const std::vector<std::string>& ids() const noexcept {
    return ids_;
  }

  /// Every output of a run: `(rounds + 1) * n` strings, round-major.
  const std::vector<shared_text>& outputs() const noexcept {
    return outputs_;
  }

  /// Execute calls of a run in which every round runs: n * (rounds + 1).
  size_t calls() const noexcept {
    return outputs_.size();
  }

  /// Returns the parameters of the shape: k = 3, the given policy and
  /// `beta_1` (default 2: every round runs; 0.5, the reference's default, may
  /// stop early), everything else default.
  params parameters(const std::string& policy, double beta_1 = 2.0) const;

  /// The scripted participant: answers `req` at once, with the prepared
  /// choice key when `labelled`.
  result answer(const request& req, bool labelled = false) const;

  /// One run of the inline engine (`engine::make` + `run_inline`) with the
  /// scripted participants (answers with choice keys when `labelled`).
  expected<state> run_inline(const params& ps, bool labelled = false) const;

  /// Bytes held by the prepared outputs (for memory figures).
  size_t fixture_bytes() const;

private:
  std::vector<std::string> ids_;
  int32_t rounds_;
  size_t words_;
  std::vector<shared_text> outputs_;
  std::vector<int64_t> ms_;
  std::vector<uint8_t> choice_; // index into `choices`
};

/// A benchmark shape: `n` participants, `rounds` refinement rounds.
struct shape {
  const char* name;
  size_t n;
  int32_t rounds;
};

/// The shapes of the run benchmarks: S = 5 x 3, M = 50 x 5.
inline constexpr shape shapes[] = {{"S", 5, 3}, {"M", 50, 5}};

/// The choice keys of labelled answers (`workload::answer`).
extern const char* const choices[4];

/// The prompt of every benchmark run.
extern const char* const prompt;

/// Returns the peak resident set size of this process in bytes.
size_t peak_rss_bytes();

} // namespace caf::consensus::bench

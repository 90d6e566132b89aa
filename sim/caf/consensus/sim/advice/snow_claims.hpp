// caf-consensus sim: the advice published with the Snow family (avalanchego,
// luxfi/consensus, the Avalanche papers) put to the test in the Snow
// laboratory, one verdict per claim with its effect size or exact bound.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/consensus/sim/advice/effect.hpp"

namespace caf::consensus::sim {

/// Options of `run_snow_claims`.
struct snow_claim_options {
  /// Runs per arm (the luxfi safety claim uses the same number).
  uint64_t runs = 2000;
  /// Run i of every arm has seed derive(seed, {i}) (paired arms).
  uint64_t seed = 2026;
  unsigned threads = 1;
};

/// One claim and what the runs say about it.
struct snow_verdict {
  /// Short id (`dual-alpha-2`, `luxfi-safety`, ...).
  std::string id;
  /// The claim as published, and where.
  std::string claim;
  std::string source;
  /// How it was tested (network, parameters, runs).
  std::string test;
  verdict v = verdict::inconclusive;
  /// The effect sizes or bounds behind the verdict.
  std::string evidence;
};

/// Runs the Snow-family claims (docs/studies.md, "Verdicts"). The same
/// options give the same verdicts with any number of threads.
std::vector<snow_verdict> run_snow_claims(const snow_claim_options& opts);

/// The verdicts as plain text (one block per claim).
std::string snow_claims_text(const std::vector<snow_verdict>& xs);

} // namespace caf::consensus::sim

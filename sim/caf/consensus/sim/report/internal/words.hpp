// caf-consensus sim: the resolved scenario of a manifest in words for the
// report's tables (private header of the report layer): latency
// distributions, shares, sentinels.

#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace caf::consensus::sim::report_internal {

/// Returns `x` as short text: whole numbers without a fraction, others with
/// up to 6 significant digits; the JSON text of a value that is not a number.
std::string number_words(const nlohmann::json& x);

/// Returns a latency distribution of the manifest (`{dist, a, b, values}`,
/// milliseconds) in words: `fixed 200 ms`, `uniform 100-300 ms`, `normal,
/// mean 500 ms, sd 50 ms`, `lognormal, median 900 ms, sigma 0.4`,
/// `exponential, mean 250 ms`, `empirical, one of 100, 200, 1000 ms`.
std::string latency_words(const nlohmann::json& latency);

/// Returns probability `p` as a share of `what`: `none` for 0, else e.g.
/// `20% of calls`.
std::string share_words(const nlohmann::json& p, const std::string& what);

/// Returns `crash_after` in words: `never` (-1 or null), else `after round N`.
std::string crash_words(const nlohmann::json& crash_after);

/// Returns an answer distribution (label -> weight) as shares: `backoff 70%,
/// fixed 30%`; `the ground truth` when empty, `a, b equally likely` when every
/// weight is 0.
std::string answers_words(const nlohmann::json& answers);

/// Returns the refinement behaviour of an agent group (the manifest's group
/// object) in words, with its parameter: `conform (p = 0.8)`, `fixed-wrong
/// (always answers b)`, `flip-flop (ground truth, then b)`.
std::string behaviour_words(const nlohmann::json& group);

/// Returns the value of protocol parameter `key` in words: sentinels as what
/// they mean (`alpha_preference` 0: `default: ceil(alpha * k)`, an empty
/// `extractor_pattern`: `none`, `beta_1` above 1: `N (no early stop)`),
/// booleans as yes / no, milliseconds (`*_ms`) with their unit, everything
/// else as its value.
std::string param_words(const std::string& key, const nlohmann::json& value);

} // namespace caf::consensus::sim::report_internal

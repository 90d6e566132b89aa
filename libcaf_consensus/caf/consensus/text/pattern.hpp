// caf-consensus: user-supplied extraction patterns, matched in linear time
// (RE2).

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace caf::consensus::text {

/// The most memory one compiled pattern may take (RE2's `max_mem`); a larger
/// pattern is invalid.
constexpr int64_t max_pattern_memory = 8 * 1024 * 1024;

/// Returns why `pattern` is not a valid extraction pattern, or an empty
/// string when it is. Patterns use RE2's syntax (Perl-like classes such as
/// `\d` and `\w`, groups, alternation, repetition; no backreferences and no
/// lookaround), which guarantees matching in time linear in the text: no
/// pattern from a file can make a run hang or crash, however deeply nested
/// or ambiguous it is.
std::string pattern_error(const std::string& pattern);

/// Returns the first capture group of the leftmost match of `pattern` in
/// `text`, the whole match when the pattern has no group, or an empty string
/// when nothing matches or the pattern is invalid. Compiled patterns are
/// cached per thread.
std::string pattern_search(std::string_view text, const std::string& pattern);

} // namespace caf::consensus::text

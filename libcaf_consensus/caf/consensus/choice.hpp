// caf-consensus: turning responses into choice keys (snowball, vote).

#pragma once

#include <string>
#include <string_view>

#include "caf/consensus/params.hpp"

namespace caf::consensus {

/// Returns the choice key of `text` under extractor `kind`:
/// - `normalized_text`: Python's `" ".join(text.lower().split())`;
/// - `last_number`: the last number (`-?\d+(\.\d+)?`) in the text, with
///   trailing zeros of a fraction removed (`"3.50"` -> `"3.5"`, `"4.0"` ->
///   `"4"`); empty when there is none;
/// - `regex`: the first match of `pattern` (ECMAScript syntax), or its first
///   capture group when it has one; empty when it does not match.
std::string extract_choice(std::string_view text, extractor_kind kind,
                           const std::string& pattern);

} // namespace caf::consensus

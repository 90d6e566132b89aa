// caf-consensus: the word tokenizer of PROTOCOL.md, identical to Python's
// `set(text.lower().split())`.

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caf/consensus/text/python_space.hpp"

namespace caf::consensus::text {

/// A set of tokens, sorted and without duplicates (byte-wise order).
using token_set = std::vector<std::string>;

/// Returns Python's `text.lower()` of UTF-8 `text`: full Unicode lower-casing
/// via ICU's root locale (final sigma and U+0130 included). Invalid UTF-8
/// sequences become U+FFFD first. An ASCII-only text takes a fast path.
std::string python_lower(std::string_view text);

/// Returns Python's `text.split()` of UTF-8 `text` (runs of the 29 whitespace
/// code points separate words; no empty words).
std::vector<std::string> python_split(std::string_view text);

/// Returns `set(text.lower().split())` as a sorted vector.
token_set tokenize(std::string_view text);

} // namespace caf::consensus::text

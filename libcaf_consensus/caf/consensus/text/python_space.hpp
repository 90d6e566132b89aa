// caf-consensus: the 29 whitespace code points of Python's `str.split()`.

#pragma once

namespace caf::consensus::text {

/// Returns `true` if `cp` is one of the 29 code points Python's `str.split()`
/// treats as whitespace (U+200B and U+FEFF are not).
bool is_python_space(char32_t cp);

} // namespace caf::consensus::text

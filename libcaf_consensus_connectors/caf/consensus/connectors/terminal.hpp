// caf-consensus connectors: text from agents made safe to print on a terminal.

#pragma once

#include <string>
#include <string_view>

namespace caf::consensus::connectors {

/// Returns `text` with every control character written visibly, so that an
/// agent's answer cannot move the cursor, clear the screen, set the window
/// title or hide a hyperlink: C0 controls and DEL become `\x1b`-style escapes,
/// C1 controls (U+0080 to U+009F) become `\u009b`-style escapes, a backslash
/// stays a backslash, and bytes that are not valid UTF-8 become `\xNN`. With
/// `keep_layout`, newline and tab pass through unchanged (for multi-line
/// answers); otherwise they are escaped too. Printable text, including any
/// other Unicode, is unchanged. JSON output does not need this: it keeps
/// the text exact and escapes control characters itself.
std::string terminal_safe(std::string_view text, bool keep_layout = false);

} // namespace caf::consensus::connectors

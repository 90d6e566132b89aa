// caf-consensus: user-supplied extraction patterns (RE2).

#include "caf/consensus/text/pattern.hpp"

#include <memory>

#include <re2/re2.h>

namespace caf::consensus::text {

namespace {

RE2::Options options() {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(max_pattern_memory);
  opts.set_encoding(RE2::Options::EncodingUTF8);
  return opts;
}

/// Returns the compiled `pattern`, reusing the last one of this thread.
const RE2& compiled(const std::string& pattern) {
  thread_local std::unique_ptr<RE2> last;
  if (!last || last->pattern() != pattern)
    last = std::make_unique<RE2>(pattern, options());
  return *last;
}

} // namespace

std::string pattern_error(const std::string& pattern) {
  RE2 re{pattern, options()};
  if (re.ok())
    return {};
  // RE2 quotes the offending part, which may be most of a huge pattern.
  auto why = re.error();
  return why.size() <= 120 ? why : why.substr(0, 117) + "...";
}

std::string pattern_search(std::string_view text, const std::string& pattern) {
  auto& re = compiled(pattern);
  if (!re.ok())
    return {};
  re2::StringPiece input{text.data(), text.size()};
  re2::StringPiece groups[2];
  auto n = re.NumberOfCapturingGroups() >= 1 ? 2 : 1;
  if (!re.Match(input, 0, input.size(), RE2::UNANCHORED, groups, n))
    return {};
  auto& g = groups[n - 1];
  return std::string{g.data(), g.size()};
}

} // namespace caf::consensus::text

#include "caf/consensus/choice.hpp"

#include "caf/consensus/text/pattern.hpp"
#include "caf/consensus/text/tokenizer.hpp"

namespace caf::consensus {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string last_number(std::string_view text) {
  // Scan backwards for the last run of digits, then extend it to an optional
  // fraction and sign.
  auto n = text.size();
  size_t end = n;
  while (end > 0 && !is_digit(text[end - 1]))
    --end;
  if (end == 0)
    return {};
  size_t begin = end;
  while (begin > 0 && is_digit(text[begin - 1]))
    --begin;
  // "12.5": the digits found are "5"; absorb "12." before them.
  if (begin >= 2 && text[begin - 1] == '.' && is_digit(text[begin - 2])) {
    begin -= 1;
    while (begin > 0 && is_digit(text[begin - 1]))
      --begin;
  }
  if (begin > 0 && text[begin - 1] == '-')
    --begin;
  std::string num{text.substr(begin, end - begin)};
  auto dot = num.find('.');
  if (dot != std::string::npos) {
    while (!num.empty() && num.back() == '0')
      num.pop_back();
    if (!num.empty() && num.back() == '.')
      num.pop_back();
  }
  if (num == "-0")
    num = "0";
  return num;
}

} // namespace

std::string extract_choice(std::string_view text, extractor_kind kind,
                           const std::string& pattern) {
  switch (kind) {
    case extractor_kind::normalized_text: {
      std::string out;
      for (auto& word : text::python_split(text::python_lower(text))) {
        if (!out.empty())
          out += ' ';
        out += word;
      }
      return out;
    }
    case extractor_kind::last_number:
      return last_number(text);
    case extractor_kind::regex: {
      // Patterns are validated before a run starts; matching is linear.
      return text::pattern_search(text, pattern);
    }
  }
  return {};
}

} // namespace caf::consensus

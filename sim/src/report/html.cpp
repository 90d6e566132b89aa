// caf-consensus sim: building blocks of the HTML pages: escaped text and
// SVG charts inlined with ids of their own.

#include "caf/consensus/sim/report/html.hpp"

namespace caf::consensus::sim {

std::string html_escape(const std::string& x) {
  std::string out;
  out.reserve(x.size());
  for (auto c : x) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string inline_svg(const std::string& svg, const std::string& prefix) {
  auto start = svg.find("<svg");
  std::string body = start == std::string::npos ? svg : svg.substr(start);
  std::string out;
  out.reserve(body.size() + 1024);
  // Prefix `id='X'`, `id="X"`, `href='#X'`, `href="#X"` and `url(#X)`.
  static const char* const patterns[] = {"id='", "id=\"", "href='#", "href=\"#",
                                         "url(#"};
  size_t i = 0;
  while (i < body.size()) {
    bool matched = false;
    for (auto* pat : patterns) {
      auto len = std::char_traits<char>::length(pat);
      if (body.compare(i, len, pat) == 0
          && (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\n'
              || body[i - 1] == '\t' || body[i - 1] == ':' || pat[0] == 'u')) {
        out.append(pat, len);
        out += prefix;
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched)
      out += body[i++];
  }
  return out;
}

} // namespace caf::consensus::sim

#include "caf/consensus/request.hpp"

namespace caf::consensus {

std::string cut_code_points(const std::string& x, size_t n) {
  // Counts UTF-8 lead bytes; continuation bytes (10xxxxxx) belong to the
  // preceding code point. Invalid bytes count as one code point each, as
  // they become U+FFFD in Python's decoding.
  size_t count = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    auto c = static_cast<unsigned char>(x[i]);
    if ((c & 0xC0) != 0x80) {
      if (count == n)
        return x.substr(0, i);
      ++count;
    }
  }
  return x;
}

std::string render_prompt(const std::string& query,
                          const std::vector<peer_view>& peers) {
  std::string out;
  out.reserve(query.size() + 40 + peers.size() * 64);
  out += "Query: ";
  out += query;
  out += "\n\nPeers:";
  for (auto& p : peers) {
    out += "\n[";
    out += p.id;
    out += "] ";
    out += cut_code_points(p.text, 1000);
  }
  out += "\n\nRefine your response:";
  return out;
}

} // namespace caf::consensus

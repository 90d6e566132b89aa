#include "caf/consensus/request.hpp"

#include <cstdint>
#include <cstring>

namespace caf::consensus {

namespace {

/// Returns the byte length of the first `n` code points of UTF-8 `x`.
/// Counts UTF-8 lead bytes; continuation bytes (10xxxxxx) belong to the
/// preceding code point. Invalid bytes count as one code point each, as they
/// become U+FFFD in Python's decoding.
size_t prefix_bytes(const std::string& x, size_t n) {
  // A code point takes at least one byte: short texts are never cut.
  if (x.size() <= n)
    return x.size();
  auto* s = reinterpret_cast<const unsigned char*>(x.data());
  size_t count = 0; // lead bytes in [0, i)
  size_t i = 0;
  // Eight bytes at a time while a whole chunk cannot reach the n-th lead.
  constexpr uint64_t high = 0x8080808080808080ULL;
  while (i + 8 <= x.size() && count + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, s + i, sizeof(w));
    auto continuation = w & high & ~(w << 1);
    count += 8 - static_cast<size_t>(__builtin_popcountll(continuation));
    i += 8;
  }
  for (; i < x.size(); ++i) {
    if ((s[i] & 0xC0) != 0x80) {
      if (count == n)
        return i;
      ++count;
    }
  }
  return x.size();
}

} // namespace

std::string cut_code_points(const std::string& x, size_t n) {
  return x.substr(0, prefix_bytes(x, n));
}

std::string render_prompt(const std::string& query,
                          const std::vector<peer_view>& peers) {
  static constexpr char head[] = "Query: ";
  static constexpr char peers_line[] = "\n\nPeers:";
  static constexpr char tail[] = "\n\nRefine your response:";
  // Size first, then copy every piece into place: one allocation, no
  // per-append capacity checks (prefix_bytes is O(1) for texts of at most
  // 1000 bytes, so computing it twice is cheap).
  auto size = sizeof(head) - 1 + query.size() + sizeof(peers_line) - 1
              + sizeof(tail) - 1;
  for (auto& p : peers)
    size += 4 + p.id.size() + prefix_bytes(p.text, 1000); // "\n[" id "] "
  std::string out;
  out.resize(size);
  auto* pos = out.data();
  auto put = [&pos](const char* x, size_t n) {
    std::memcpy(pos, x, n);
    pos += n;
  };
  put(head, sizeof(head) - 1);
  put(query.data(), query.size());
  put(peers_line, sizeof(peers_line) - 1);
  for (auto& p : peers) {
    put("\n[", 2);
    put(p.id.data(), p.id.size());
    put("] ", 2);
    put(p.text.data(), prefix_bytes(p.text, 1000));
  }
  put(tail, sizeof(tail) - 1);
  return out;
}

} // namespace caf::consensus

#include "caf/consensus/request.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace caf::consensus {

namespace {

/// Returns the number of bytes of `w` flagged in `flags` (only bit 7 of a
/// byte may be set). A multiply instead of `popcount`, which compiles to a
/// library call without `-mpopcnt`.
size_t count_flagged(uint64_t flags) {
  return static_cast<size_t>(((flags >> 7) * 0x0101010101010101ULL) >> 56);
}

/// Returns the byte length of the first `n` code points of UTF-8 `x`.
/// Counts UTF-8 lead bytes; continuation bytes (10xxxxxx) belong to the
/// preceding code point. Invalid bytes count as one code point each, as they
/// become U+FFFD in Python's decoding.
size_t prefix_bytes(std::string_view x, size_t n) {
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
    count += 8 - count_flagged(continuation);
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

namespace {

/// Writes the refinement prompt (see `render_prompt`): sizes it first, then
/// copies every piece into place, so that the text takes one allocation (or
/// none when `out` can reuse its storage) and no per-append checks.
template <class Out>
void write_prompt(const std::string& query, const std::vector<peer_view>& peers,
                  Out&& out) {
  static constexpr char head[] = "Query: ";
  static constexpr char peers_line[] = "\n\nPeers:";
  static constexpr char tail[] = "\n\nRefine your response:";
  // Cut lengths, computed once (a small buffer covers the usual k).
  size_t small[8];
  std::vector<size_t> large;
  size_t* cut = small;
  if (peers.size() > 8) {
    large.resize(peers.size());
    cut = large.data();
  }
  auto size = sizeof(head) - 1 + query.size() + sizeof(peers_line) - 1
              + sizeof(tail) - 1;
  for (size_t i = 0; i < peers.size(); ++i) {
    cut[i] = prefix_bytes(peers[i].text, 1000);
    size += 4 + peers[i].id.size() + cut[i]; // "\n[" id "] "
  }
  out(size, [&](char* pos) {
    auto put = [&pos](const char* x, size_t n) {
      std::memcpy(pos, x, n);
      pos += n;
    };
    put(head, sizeof(head) - 1);
    put(query.data(), query.size());
    put(peers_line, sizeof(peers_line) - 1);
    for (size_t i = 0; i < peers.size(); ++i) {
      put("\n[", 2);
      put(peers[i].id.data(), peers[i].id.size());
      put("] ", 2);
      put(peers[i].text.data(), cut[i]);
    }
    put(tail, sizeof(tail) - 1);
  });
}

} // namespace

std::string render_prompt(const std::string& query,
                          const std::vector<peer_view>& peers) {
  std::string result;
  write_prompt(query, peers, [&result](size_t size, auto&& fill) {
    result.resize(size);
    fill(result.data());
  });
  return result;
}

void render_prompt(const std::string& query,
                   const std::vector<peer_view>& peers, shared_text& out) {
  write_prompt(query, peers,
               [&out](size_t size, auto&& fill) { out.rewrite(size, fill); });
}

} // namespace caf::consensus

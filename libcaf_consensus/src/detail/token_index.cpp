// caf-consensus: interned token sets (see token_index.hpp).
//
// All-ASCII texts (the common case) take a word-at-a-time path: whitespace
// is found 64 bytes at a time as a bit mask (SSE2 where available), word
// bounds are the mask's edges, and a word of up to eight bytes is
// lower-cased and looked up as one 64-bit value. Other texts go through the
// tokenizer's scanner (`text::detail::scan`), which lowers non-ASCII words
// with ICU exactly as `text::tokenize` does. Both paths key a token by the
// same lower-cased bytes (`head` = first eight bytes, zero-padded, plus the
// rest), so a token has one id whichever path saw it.

#include "caf/consensus/detail/token_index.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "caf/consensus/internal/python_text.hpp"
#include "caf/consensus/internal/thread_spare.hpp"
#include "caf/consensus/internal/word_bytes.hpp"

namespace caf::consensus::detail {

namespace {

namespace td = text::detail;

using namespace internal;

} // namespace

struct token_index::spare {
  std::vector<slot> table;
  std::vector<entry> entries;
  std::vector<uint32_t> seen;
  std::vector<uint32_t> marked;
  std::vector<uint8_t> text;
  std::vector<uint64_t> spaces;
  std::vector<uint32_t> found;
  std::string arena;
};

token_index::spare* token_index::spare_buffers() {
  return internal::thread_spare<spare>::get();
}

namespace {

/// Largest table a thread keeps for the next index (1 MiB of slots).
constexpr size_t max_spare_slots = size_t{1} << 16;

/// Largest text copy and token arena a thread keeps (1 MiB each).
constexpr size_t max_spare_bytes = size_t{1} << 20;

} // namespace

token_index::token_index() : shift_(64 - 7) {
  if (auto* s = spare_buffers(); s != nullptr) {
    table_.swap(s->table);
    entries_.swap(s->entries);
    seen_.swap(s->seen);
    marked_.swap(s->marked);
    text_.swap(s->text);
    spaces_.swap(s->spaces);
    found_.swap(s->found);
    arena_.swap(s->arena);
  }
  table_.assign(128, slot{});
  // Room for a typical run's vocabulary without regrowing.
  entries_.clear();
  entries_.reserve(64);
  seen_.assign(64, 0);
  marked_.assign(64, 0);
  arena_.clear();
}

token_index::~token_index() {
  if (table_.capacity() > max_spare_slots)
    return;
  auto* s = spare_buffers();
  if (s == nullptr || s->table.capacity() >= table_.capacity())
    return;
  if (text_.capacity() > max_spare_bytes) {
    std::vector<uint8_t>{}.swap(text_);
    std::vector<uint64_t>{}.swap(spaces_);
    std::vector<uint32_t>{}.swap(found_);
  }
  if (arena_.capacity() > max_spare_bytes)
    std::string{}.swap(arena_);
  s->table.swap(table_);
  s->entries.swap(entries_);
  s->seen.swap(seen_);
  s->marked.swap(marked_);
  s->text.swap(text_);
  s->spaces.swap(spaces_);
  s->found.swap(found_);
  s->arena.swap(arena_);
}

std::string_view token_index::token(uint32_t x) const {
  auto& e = entries_.at(x);
  if (e.size <= 8) // The head holds the whole token.
    return {reinterpret_cast<const char*>(&e.head), e.size};
  return {arena_.data() + e.offset, e.size};
}

void token_index::grow() {
  table_.assign(table_.size() * 2, slot{});
  --shift_;
  auto mask = table_.size() - 1;
  for (size_t x = 0; x < entries_.size(); ++x) {
    auto& e = entries_[x];
    auto i = e.hash >> shift_;
    while (table_[i].id1 != 0)
      i = (i + 1) & mask;
    table_[i] = slot{e.head, static_cast<uint32_t>(e.size),
                     static_cast<uint32_t>(x + 1)};
  }
}

uint32_t token_index::insert(size_t i, uint64_t hash, uint64_t head,
                             const char* p, size_t size) {
  if (entries_.size() >= std::numeric_limits<uint32_t>::max() - 1
      || size > std::numeric_limits<uint32_t>::max())
    throw std::length_error("caf::consensus: too many distinct tokens");
  auto id = static_cast<uint32_t>(entries_.size());
  if (size <= 8) {
    entries_.push_back(entry{hash, head, 0, size});
  } else {
    entries_.push_back(entry{hash, head, arena_.size(), size});
    arena_.append(p, size);
  }
  if (seen_.size() <= id) {
    // Marks for ids to come, zero (no epoch) until used.
    auto more = std::max<size_t>(64, seen_.size());
    seen_.resize(seen_.size() + more, 0);
    marked_.resize(marked_.size() + more, 0);
  }
  table_[i] = slot{head, static_cast<uint32_t>(size), id + 1};
  if (entries_.size() * 2 > table_.size())
    grow();
  return id;
}

uint32_t token_index::insert_short(size_t i, uint64_t hash, uint64_t head,
                                   size_t size) {
  // Its entry keeps the bytes in `head`: nothing for the arena.
  return insert(i, hash, head, nullptr, size);
}

inline size_t token_index::probe_short(const slot* slots, size_t mask,
                                       size_t first, uint64_t head,
                                       size_t size) {
  // The match first (an empty slot never matches a word: its size is 0).
  for (auto i = first;; i = (i + 1) & mask) {
    auto& t = slots[i];
    if ((t.head == head && t.size == size) || t.id1 == 0)
      return i;
  }
}

inline uint32_t token_index::intern_short(uint64_t head, size_t size) {
  auto h = short_hash(head);
  auto i = probe_short(table_.data(), table_.size() - 1, h >> shift_, head,
                       size);
  if (auto id1 = table_[i].id1; id1 != 0)
    return id1 - 1;
  return insert_short(i, h, head, size);
}

uint32_t token_index::intern(const char* p, size_t size) {
  if (size <= 8)
    return intern_short(keep_first(load8(p), size), size);
  auto h = word_hash(p, size);
  auto head = load8(p);
  auto mask = table_.size() - 1;
  for (auto i = h >> shift_;; i = (i + 1) & mask) {
    auto& t = table_[i];
    if (t.id1 == 0)
      return insert(i, h, head, p, size);
    if (t.head != head || t.size != size)
      continue;
    auto& e = entries_[t.id1 - 1];
    if (e.hash == h
        && std::memcmp(arena_.data() + e.offset + 8, p + 8, size - 8) == 0)
      return t.id1 - 1;
  }
}

uint32_t token_index::ascii_word_id(const char* first, size_t size,
                                    const char* last) {
  if (size <= 8) {
    auto w = first + 8 <= last ? keep_first(load8(first), size)
                               : load_partial(first, size);
    return intern_short(lower8(w), size);
  }
  if (word_.size() < size + 8)
    word_.resize(size + 8);
  auto* dst = word_.data();
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    auto w = lower8(load8(first + i));
    std::memcpy(dst + i, &w, sizeof(w));
  }
  for (; i < size; ++i)
    dst[i] = td::ascii_lower(first[i]);
  return intern(dst, size);
}

void token_index::tokenize(std::string_view text, id_set& out) {
  out.clear();
  if (out.capacity() < 64)
    out.reserve(64);
  tokenize_append(text, out);
}

void token_index::tokenize_append(std::string_view text,
                                  std::vector<uint32_t>& out) {
  if (++seen_epoch_ == 0) {
    std::fill(seen_.begin(), seen_.end(), 0);
    seen_epoch_ = 1;
  }
  auto* s = text.data();
  auto n = text.size();
  // The common case in two passes. First the text is lower-cased into
  // `text_` (padded with spaces to a multiple of 64 bytes, plus 8 readable
  // bytes) and its whitespace noted as one bit per byte in `spaces_`, 16
  // bytes at a time; a byte outside ASCII sends the text to the scanner.
  auto blocks = (n + 63) / 64;
  if (text_.size() < blocks * 64 + 8) {
    text_.resize(blocks * 64 + 8);
    spaces_.resize(blocks);
  }
  auto* u = reinterpret_cast<const uint8_t*>(s);
  auto* low = text_.data();
  uint64_t any = 0;
  for (size_t at = 0; at < blocks * 64; at += 16) {
    auto* src = u + at;
    uint8_t tail[16];
    if (at + 16 > n) { // Past the text: padded with spaces.
      std::memset(tail, ' ', sizeof(tail));
      if (at < n)
        std::memcpy(tail, src, n - at);
      src = tail;
    }
    auto bits = lower16(src, low + at, any);
    auto& m = spaces_[at / 64];
    m = (at % 64 == 0 ? 0 : m) | (static_cast<uint64_t>(bits) << (at % 64));
  }
  if (any >= 0x80) {
    tokenize_scan(text, out);
    return;
  }
  // Then the words: a word starts at a set bit of `ws ^ (ws << 1)` and ends
  // at the next one. Each word but the last is followed by whitespace, so a
  // text has at most (n + 1) / 2 of them: the ids go to `found_`, which has
  // that room, through a pointer, and then to `out` (a few distinct ids). The
  // table, its mask and the seen marks live in locals, reloaded after an
  // insert (which may grow them).
  if (found_.size() < (n + 1) / 2)
    found_.resize((n + 1) / 2);
  auto* dst = found_.data();
  auto* slots = table_.data();
  auto mask = table_.size() - 1;
  auto shift = shift_;
  auto* seen = seen_.data();
  auto epoch = seen_epoch_;
  auto reload = [&]() CAF_CONSENSUS_ALWAYS_INLINE {
    slots = table_.data();
    mask = table_.size() - 1;
    shift = shift_;
    seen = seen_.data();
  };
  // Inlined at both call sites, so that these locals stay in registers.
  auto emit = [&](size_t begin, size_t size) CAF_CONSENSUS_ALWAYS_INLINE {
    uint32_t id;
    auto head = load8(reinterpret_cast<const char*>(low + begin));
    if (size <= 8) {
      // The common case: one chunk holds the whole word.
      head = keep_first(head, size);
      auto h = short_hash(head);
      auto k = probe_short(slots, mask, h >> shift, head, size);
      if (slots[k].id1 != 0) {
        id = slots[k].id1 - 1;
      } else {
        id = insert_short(k, h, head, size);
        reload();
      }
    } else {
      id = intern(reinterpret_cast<const char*>(low + begin), size);
      reload();
    }
    // Without a branch: whether a word repeats is unpredictable.
    *dst = id;
    dst += seen[id] != epoch ? 1 : 0;
    seen[id] = epoch;
  };
  uint64_t carry = 1; // Whether the byte before the block is whitespace.
  size_t begin = 0;
  bool in_word = false;
  for (size_t x = 0; x < blocks; ++x) {
    auto ws = spaces_[x];
    auto edges = ws ^ ((ws << 1) | carry);
    carry = ws >> 63;
    auto base = x * 64;
    if (in_word && edges != 0) {
      emit(begin, base + lowest_bit(edges) - begin);
      edges &= edges - 1;
      in_word = false;
    }
    while (edges != 0) {
      begin = base + lowest_bit(edges);
      edges &= edges - 1;
      if (edges == 0) {
        in_word = true;
        break;
      }
      auto end = base + lowest_bit(edges);
      edges &= edges - 1;
      emit(begin, end - begin);
    }
  }
  if (in_word) // The text ends at a block's end, in a word.
    emit(begin, n - begin);
  out.insert(out.end(), found_.data(), dst);
}

void token_index::tokenize_scan(std::string_view text,
                                std::vector<uint32_t>& out) {
  auto* s = text.data();
  auto n = text.size();
  td::scan(
    text,
    [&](size_t first, size_t last, td::word_kind kind) {
      if (kind == td::word_kind::ascii) {
        add(ascii_word_id(s + first, last - first, s + n), out);
        return;
      }
      lowered_.clear();
      td::append_lower_word({s + first, last - first}, kind, lowered_);
      auto size = lowered_.size();
      lowered_.append(8, '\0');
      add(intern(lowered_.data(), size), out);
    },
    [](size_t, size_t) {});
}

void token_index::append_words(const word_set& words,
                               std::vector<uint32_t>& out) {
  if (++seen_epoch_ == 0) {
    std::fill(seen_.begin(), seen_.end(), 0);
    seen_epoch_ = 1;
  }
  auto* v = words.vocab();
  if (v == nullptr)
    return;
  if (v != vocab_.get()) {
    vocab_ = words.shared_vocab();
    vocab_ids_.assign(v->size(), 0);
  }
  for (auto id : words.ids()) {
    if (id >= vocab_ids_.size())
      continue; // Not a token of the vocabulary.
    auto& slot = vocab_ids_[id];
    if (slot == 0) {
      auto& token = (*v)[id];
      if (word_.size() < token.size() + 8)
        word_.resize(token.size() + 8);
      std::fill(std::copy(token.begin(), token.end(), word_.begin()),
                word_.begin() + static_cast<ptrdiff_t>(token.size() + 8), '\0');
      slot = intern(word_.data(), token.size()) + 1;
    }
    add(slot - 1, out);
  }
}

void token_index::mark(const uint32_t* first, size_t size) {
  if (++mark_epoch_ == 0) {
    std::fill(marked_.begin(), marked_.end(), 0);
    mark_epoch_ = 1;
  }
  for (size_t i = 0; i < size; ++i)
    marked_[first[i]] = mark_epoch_;
  marked_size_ = size;
}

double token_index::jaccard_with_marked(const uint32_t* first,
                                        size_t size) const {
  if (marked_size_ == 0 || size == 0)
    return 0.0;
  size_t common = 0;
  for (size_t i = 0; i < size; ++i)
    common += marked_[first[i]] == mark_epoch_ ? 1 : 0;
  auto total = marked_size_ + size - common;
  return static_cast<double>(common) / static_cast<double>(total);
}

double token_index::jaccard(const id_set& a, const id_set& b) {
  mark(a);
  return jaccard_with_marked(b);
}

} // namespace caf::consensus::detail

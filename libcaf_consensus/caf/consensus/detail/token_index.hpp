// caf-consensus: interned token sets for fast Jaccard similarity within a
// run (policies metastable and hanzo with the default similarity).

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caf/consensus/word_set.hpp"

namespace caf::consensus::detail {

/// Interns the tokens of `text::tokenize` (Python's
/// `set(text.lower().split())`) as dense ids, so that a policy tokenizes each
/// response once and compares token sets as small integer sets. Ids are
/// meaningful only within one index; one index serves one run (policies keep
/// it as a member). Not thread-safe.
///
/// For any texts `a`, `b`: the ids of `tokenize(a)` are the tokens of
/// `text::tokenize(a)`, each once, and `jaccard` equals `text::jaccard` on
/// the token sets bit for bit (both divide the same two integers).
class token_index {
public:
  /// A token set: distinct ids in first-appearance order.
  using id_set = std::vector<uint32_t>;

  /// Takes the buffers a destroyed index left on this thread, if any (a run
  /// makes an index and destroys it, a thread runs many runs).
  token_index();

  token_index(const token_index&) = default;
  token_index(token_index&&) noexcept = default;
  token_index& operator=(const token_index&) = default;
  token_index& operator=(token_index&&) noexcept = default;

  /// Leaves the buffers to the next index made on this thread (a thread
  /// keeps one set: tables up to 65,536 slots, text copies and token arenas
  /// up to 1 MiB, a text copy's id buffer up to 2 MiB).
  ~token_index();

  /// Replaces `out` with the ids of the distinct tokens of `text`.
  void tokenize(std::string_view text, id_set& out);

  /// Appends the ids of the distinct tokens of `text` to `out` (what
  /// `tokenize` would store), keeping what `out` held: many texts' sets
  /// share one flat buffer.
  void tokenize_append(std::string_view text, std::vector<uint32_t>& out);

  /// Appends the ids of the tokens of `words` (what `tokenize_append` stores
  /// for a text with those tokens) to `out`. Looks each vocabulary entry up
  /// once per index: later answers from the same vocabulary map its ids
  /// through a table.
  void append_words(const word_set& words, std::vector<uint32_t>& out);

  /// Appends the ids of an answer's tokens to `out`: of `words` when set,
  /// else of `text`.
  void append(std::string_view text, const word_set& words,
              std::vector<uint32_t>& out) {
    if (words)
      append_words(words, out);
    else
      tokenize_append(text, out);
  }

  /// Replaces `out` with the ids of an answer's tokens (`append`).
  void tokenize(std::string_view text, const word_set& words, id_set& out) {
    if (!words) {
      tokenize(text, out);
      return;
    }
    out.clear();
    append_words(words, out);
  }

  /// Makes `a` the reference set of `jaccard_with_marked`.
  void mark(const id_set& a) {
    mark(a.data(), a.size());
  }

  /// Makes the `size` ids at `first` the reference set.
  void mark(const uint32_t* first, size_t size);

  /// Returns |A ∩ B| / |A ∪ B| for the marked set A, 0 when A or B is empty.
  double jaccard_with_marked(const id_set& b) const {
    return jaccard_with_marked(b.data(), b.size());
  }

  /// Returns the Jaccard similarity of the marked set and the `size` ids at
  /// `first`.
  double jaccard_with_marked(const uint32_t* first, size_t size) const;

  /// Returns the Jaccard similarity of `a` and `b` (marks `a`).
  double jaccard(const id_set& a, const id_set& b);

  /// Returns the number of distinct tokens seen.
  size_t size() const noexcept {
    return entries_.size();
  }

  /// Returns the token with id `x` (valid until the next new token).
  std::string_view token(uint32_t x) const;

private:
  struct entry {
    uint64_t hash;
    /// The first (up to) eight bytes, zero-padded.
    uint64_t head;
    size_t offset;
    size_t size;
  };

  /// Returns the id of the lower-cased word at `p` (`size` bytes; the 8 bytes
  /// after it must be readable), adding it if new.
  uint32_t intern(const char* p, size_t size);

  /// Returns the id of a lower-cased word of at most 8 bytes given as its
  /// zero-padded `head`, adding it if new.
  uint32_t intern_short(uint64_t head, size_t size);

  struct slot;

  /// Returns the slot holding the word `head` of `size` bytes (at most 8) in
  /// the table `slots` (`mask` = its size - 1), searching from `first`, or
  /// the empty slot where it belongs.
  static size_t probe_short(const slot* slots, size_t mask, size_t first,
                            uint64_t head, size_t size);

  /// Adds a new entry at table slot `i` (`p`: its bytes, read only for a
  /// token longer than 8 bytes).
  uint32_t insert(size_t i, uint64_t hash, uint64_t head, const char* p,
                  size_t size);

  /// Adds a new word of at most 8 bytes (`head`) at table slot `i`.
  uint32_t insert_short(size_t i, uint64_t hash, uint64_t head, size_t size);

  /// Adds `x` to `out` unless this text had it already.
  void add(uint32_t x, id_set& out) {
    if (seen_[x] != seen_epoch_) {
      seen_[x] = seen_epoch_;
      out.push_back(x);
    }
  }

  /// Returns the id of an ASCII word (any length; `first` may be read up to
  /// `last`), adding it if new.
  uint32_t ascii_word_id(const char* first, size_t size, const char* last);

  void grow();

  /// The buffers a destroyed index left on this thread.
  struct spare;
  static spare* spare_buffers();

  /// `tokenize_append` for a text with bytes outside ASCII: words found by
  /// the tokenizer's scanner, non-ASCII words lowered with ICU.
  void tokenize_scan(std::string_view text, std::vector<uint32_t>& out);

  /// Bytes of the tokens longer than 8 bytes (a shorter one is its head).
  std::string arena_;
  std::vector<entry> entries_;
  /// A table slot: a token's first eight bytes, its size and id + 1 (0 =
  /// empty), so that a short word is found with one load.
  struct slot {
    uint64_t head = 0;
    uint32_t size = 0;
    uint32_t id1 = 0;
  };

  /// Open addressing, power-of-two size. A token's first slot is its hash's
  /// top bits: `hash >> shift_`.
  std::vector<slot> table_;
  unsigned shift_;
  /// Per id: epoch of the text being tokenized / of the marked set.
  std::vector<uint32_t> seen_;
  std::vector<uint32_t> marked_;
  uint32_t seen_epoch_ = 0;
  uint32_t mark_epoch_ = 0;
  size_t marked_size_ = 0;
  /// The vocabulary of the last `append_words` (kept alive so that its
  /// address is not reused) and its ids in this index (id + 1, 0 = not yet
  /// looked up).
  std::shared_ptr<const vocabulary> vocab_;
  std::vector<uint32_t> vocab_ids_;
  /// A lower-cased word with 8 bytes of padding.
  std::vector<char> word_;
  std::string lowered_;
  /// The lower-cased ASCII text being tokenized, padded, and its whitespace
  /// as one bit per byte (64 bytes per entry).
  std::vector<uint8_t> text_;
  std::vector<uint64_t> spaces_;
  /// A text's ids before they are appended to the caller's set: room for
  /// every word, grown but never cleared (the caller's vector would
  /// zero-fill that room for each text).
  std::vector<uint32_t> found_;
};

} // namespace caf::consensus::detail

// caf-consensus sim: packing per-round numbers for the results store.

#include "caf/consensus/sim/store/internal/trajectory_codec.hpp"

#include <cstdint>
#include <cstring>
#include <limits>

namespace caf::consensus::sim::store_internal {

namespace {

constexpr uint8_t format_v1 = 1;

/// How a confidence is stored: 0.0 and 1.0 (exact bit patterns) take no
/// bytes, anything else 8.
enum conf_kind : uint8_t { conf_zero = 0, conf_one = 1, conf_raw = 2 };

uint64_t bits_of(double x) {
  uint64_t y;
  std::memcpy(&y, &x, sizeof(y));
  return y;
}

uint8_t kind_of(double x) {
  auto b = bits_of(x);
  if (b == bits_of(0.0))
    return conf_zero;
  if (b == bits_of(1.0))
    return conf_one;
  return conf_raw;
}

void put_varint(std::string& out, uint64_t x) {
  while (x >= 0x80) {
    out += static_cast<char>((x & 0x7f) | 0x80);
    x >>= 7;
  }
  out += static_cast<char>(x);
}

void put_double(std::string& out, double x) {
  auto b = bits_of(x);
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((b >> (8 * i)) & 0xff);
}

/// Reads from a blob; every read fails once the input is exhausted.
class reader {
public:
  explicit reader(const std::string& x) : data_(x) {
  }

  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size())
        return false;
      auto c = static_cast<uint8_t>(data_[pos_++]);
      out |= static_cast<uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0)
        return shift < 63 || c <= 1;
    }
    return false;
  }

  bool u32(uint32_t& out) {
    uint64_t x;
    if (!varint(x) || x > std::numeric_limits<uint32_t>::max())
      return false;
    out = static_cast<uint32_t>(x);
    return true;
  }

  bool byte(uint8_t& out) {
    if (pos_ >= data_.size())
      return false;
    out = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }

  bool dbl(uint8_t kind, double& out) {
    if (kind == conf_zero) {
      out = 0.0;
      return true;
    }
    if (kind == conf_one) {
      out = 1.0;
      return true;
    }
    if (kind != conf_raw || data_.size() - pos_ < 8)
      return false;
    uint64_t b = 0;
    for (int i = 0; i < 8; ++i)
      b |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_++]))
           << (8 * i);
    std::memcpy(&out, &b, sizeof(out));
    return true;
  }

  bool at_end() const {
    return pos_ == data_.size();
  }

private:
  const std::string& data_;
  size_t pos_ = 0;
};

} // namespace

std::string encode_trajectory(const std::vector<round_summary>& xs) {
  std::string out;
  out.reserve(2 + xs.size() * 12);
  out += static_cast<char>(format_v1);
  put_varint(out, xs.size());
  for (auto& x : xs) {
    put_varint(out, x.live);
    put_varint(out, x.calls);
    put_varint(out, x.failures);
    put_varint(out, x.with_reference);
    put_varint(out, x.with_truth);
    put_varint(out, x.with_plurality);
    // -1 (no per-participant decisions) becomes 0.
    put_varint(out, static_cast<uint64_t>(int64_t{x.decided} + 1));
    auto mean = kind_of(x.mean_confidence);
    auto max = kind_of(x.max_confidence);
    out += static_cast<char>((x.stopped ? 1 : 0) | (mean << 1) | (max << 3));
    if (mean == conf_raw)
      put_double(out, x.mean_confidence);
    if (max == conf_raw)
      put_double(out, x.max_confidence);
  }
  return out;
}

std::optional<std::vector<round_summary>>
decode_trajectory(const std::string& blob) {
  reader in{blob};
  uint8_t format = 0;
  uint64_t n = 0;
  // Every round takes at least 8 bytes: a count beyond that is damage.
  if (!in.byte(format) || format != format_v1 || !in.varint(n)
      || n > blob.size() / 8)
    return std::nullopt;
  std::vector<round_summary> out(static_cast<size_t>(n));
  for (size_t i = 0; i < out.size(); ++i) {
    auto& x = out[i];
    x.round = static_cast<int32_t>(i);
    uint32_t decided = 0;
    uint8_t flags = 0;
    if (!in.u32(x.live) || !in.u32(x.calls) || !in.u32(x.failures)
        || !in.u32(x.with_reference) || !in.u32(x.with_truth)
        || !in.u32(x.with_plurality) || !in.u32(decided)
        || decided > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())
        || !in.byte(flags) || (flags >> 5) != 0
        || !in.dbl((flags >> 1) & 3, x.mean_confidence)
        || !in.dbl((flags >> 3) & 3, x.max_confidence))
      return std::nullopt;
    x.decided = static_cast<int32_t>(decided) - 1;
    x.stopped = (flags & 1) != 0;
  }
  if (!in.at_end())
    return std::nullopt;
  return out;
}

} // namespace caf::consensus::sim::store_internal

// caf-consensus: integer seeds of any size.

#include "caf/consensus/rng/seed.hpp"

#include <algorithm>

#include "caf/consensus/error.hpp"

namespace caf::consensus::rng {

void seed::assign(uint64_t mag) {
  words_.clear();
  if (mag != 0)
    words_.push_back(static_cast<uint32_t>(mag));
  if ((mag >> 32) != 0)
    words_.push_back(static_cast<uint32_t>(mag >> 32));
  if (words_.empty())
    negative_ = false;
}

void seed::trim() {
  while (!words_.empty() && words_.back() == 0)
    words_.pop_back();
  if (words_.empty())
    negative_ = false;
}

expected<seed> seed::parse(std::string_view text) {
  auto bad = [&](const std::string& why) {
    auto shown = text.size() <= 40 ? std::string{text}
                                   : std::string{text.substr(0, 37)} + "...";
    return make_error(errc::malformed_input, "seed '" + shown + "': " + why);
  };
  seed out;
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-'))
    out.negative_ = text[i++] == '-';
  if (i == text.size())
    return bad("expected a decimal integer");
  if (text.size() - i > max_digits)
    return bad("more than " + std::to_string(max_digits) + " digits");
  for (; i < text.size(); ++i) {
    auto c = text[i];
    if (c < '0' || c > '9')
      return bad("expected a decimal integer");
    // words = words * 10 + digit
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (auto& w : out.words_) {
      auto x = uint64_t{w} * 10 + carry;
      w = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    if (carry != 0)
      out.words_.push_back(static_cast<uint32_t>(carry));
  }
  out.trim();
  return out;
}

seed seed::from_words(std::vector<uint32_t> magnitude, bool negative) {
  seed out;
  out.words_ = std::move(magnitude);
  out.negative_ = negative;
  out.trim();
  return out;
}

std::vector<uint32_t> seed::python_key() const {
  if (words_.empty())
    return {0};
  return words_;
}

uint64_t seed::low_magnitude() const noexcept {
  uint64_t mag = words_.empty() ? 0 : words_[0];
  if (words_.size() > 1)
    mag |= uint64_t{words_[1]} << 32;
  return mag;
}

uint64_t seed::low64() const noexcept {
  auto mag = low_magnitude();
  return negative_ ? uint64_t{0} - mag : mag;
}

bool seed::fits_int64() const noexcept {
  if (words_.size() > 2)
    return false;
  auto mag = low_magnitude();
  return negative_ ? mag <= (uint64_t{1} << 63) : mag < (uint64_t{1} << 63);
}

int64_t seed::to_int64() const noexcept {
  return static_cast<int64_t>(low64());
}

std::string seed::to_string() const {
  if (words_.empty())
    return "0";
  auto rest = words_;
  std::string digits;
  while (!rest.empty()) {
    // rest = rest / 10^9, r = rest % 10^9
    uint64_t r = 0;
    for (size_t i = rest.size(); i-- > 0;) {
      auto x = (r << 32) | rest[i];
      rest[i] = static_cast<uint32_t>(x / 1000000000);
      r = x % 1000000000;
    }
    while (!rest.empty() && rest.back() == 0)
      rest.pop_back();
    auto chunk = std::to_string(r);
    if (!rest.empty())
      chunk.insert(0, 9 - chunk.size(), '0');
    digits.insert(0, chunk);
  }
  return negative_ ? "-" + digits : digits;
}

bool operator<(const seed& x, const seed& y) noexcept {
  if (x.negative_ != y.negative_)
    return x.negative_;
  auto less_mag = [](const std::vector<uint32_t>& a,
                     const std::vector<uint32_t>& b) {
    if (a.size() != b.size())
      return a.size() < b.size();
    return std::lexicographical_compare(a.rbegin(), a.rend(), b.rbegin(),
                                        b.rend());
  };
  return x.negative_ ? less_mag(y.words_, x.words_)
                     : less_mag(x.words_, y.words_);
}

} // namespace caf::consensus::rng

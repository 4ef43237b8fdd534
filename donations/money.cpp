// Money parsing and formatting: digits in, digits out, with every step checked for overflow.
#include "donations/money.hpp"

#include <array>

namespace boai::donations {

namespace {

Error invalid(std::string_view text) {
  return make_error("amount_invalid", "\"" + std::string(text) + "\" is not an amount of money");
}

Error overflow() {
  return make_error("amount_overflow", "the amount is too large");
}

bool strip_prefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) {
    return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

bool strip_suffix(std::string_view& s, std::string_view suffix) {
  if (!s.ends_with(suffix)) {
    return false;
  }
  s.remove_suffix(suffix.size());
  return true;
}

void trim(std::string_view& s) {
  static constexpr std::array<std::string_view, 3> kSpaces = {" ", "\t", "\xE3\x80\x80"};
  for (bool again = true; again;) {
    again = false;
    for (auto sp : kSpaces) {
      again |= strip_prefix(s, sp) || strip_suffix(s, sp);
    }
  }
}

// Integer part with optional thousands separators in groups of three: "1234", "1,234,567".
bool parse_integer_part(std::string_view s, std::int64_t& out) {
  if (s.empty()) {
    return false;
  }
  bool grouped = s.find(',') != std::string_view::npos;
  std::size_t digits_since_comma = 0;
  bool seen_comma = false;
  std::size_t first_group = 0;
  out = 0;
  for (char c : s) {
    if (c == ',') {
      if (!seen_comma) {
        first_group = digits_since_comma;
      }
      if ((seen_comma && digits_since_comma != 3) || digits_since_comma == 0) {
        return false;
      }
      seen_comma = true;
      digits_since_comma = 0;
      continue;
    }
    if (c < '0' || c > '9') {
      return false;
    }
    if (__builtin_mul_overflow(out, 10, &out) || __builtin_add_overflow(out, c - '0', &out)) {
      out = -1;
      return false;
    }
    ++digits_since_comma;
  }
  if (grouped && (digits_since_comma != 3 || first_group > 3)) {
    return false;
  }
  return true;
}

}  // namespace

std::expected<Money, Error> Money::parse(std::string_view text) {
  std::string_view s = text;
  trim(s);
  // Currency marks before or after: ¥ (U+00A5), ￥ (U+FFE5), RMB, CNY; 元 after.
  if (strip_prefix(s, "\xC2\xA5") || strip_prefix(s, "\xEF\xBF\xA5") || strip_prefix(s, "RMB") ||
      strip_prefix(s, "CNY")) {
    trim(s);
  }
  if (strip_suffix(s, "\xE5\x85\x83") || strip_suffix(s, "RMB") || strip_suffix(s, "CNY")) {
    trim(s);
  }
  if (s.empty()) {
    return std::unexpected(invalid(text));
  }

  std::string_view whole = s, fraction;
  if (auto dot = s.find('.'); dot != std::string_view::npos) {
    whole = s.substr(0, dot);
    fraction = s.substr(dot + 1);
    if (fraction.empty()) {
      return std::unexpected(invalid(text));
    }
  }
  std::int64_t yuan = 0;
  if (!parse_integer_part(whole, yuan)) {
    return std::unexpected(yuan < 0 ? overflow() : invalid(text));
  }
  std::int64_t fen = 0;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    char c = fraction[i];
    if (c < '0' || c > '9') {
      return std::unexpected(invalid(text));
    }
    if (i < 2) {
      fen = fen * 10 + (c - '0');
    } else if (c != '0') {
      return std::unexpected(
          make_error("amount_too_precise", "amounts go down to the fen (0.01), not further"));
    }
  }
  if (fraction.size() == 1) {
    fen *= 10;
  }
  std::int64_t total = 0;
  if (__builtin_mul_overflow(yuan, 100, &total) || __builtin_add_overflow(total, fen, &total)) {
    return std::unexpected(overflow());
  }
  return Money(total);
}

std::string Money::format_plain() const {
  // Unsigned magnitude, so that INT64_MIN formats too.
  std::uint64_t magnitude =
      fen_ < 0 ? 0 - static_cast<std::uint64_t>(fen_) : static_cast<std::uint64_t>(fen_);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) {
    cents.insert(0, "0");
  }
  return (fen_ < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

std::string Money::format() const {
  std::uint64_t magnitude =
      fen_ < 0 ? 0 - static_cast<std::uint64_t>(fen_) : static_cast<std::uint64_t>(fen_);
  std::string digits = std::to_string(magnitude / 100);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      grouped += ',';
    }
    grouped += digits[i];
  }
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) {
    cents.insert(0, "0");
  }
  return std::string(fen_ < 0 ? "-" : "") + "\xC2\xA5" + grouped + "." + cents;
}

std::expected<Money, Error> Money::plus(Money other) const {
  std::int64_t r = 0;
  if (__builtin_add_overflow(fen_, other.fen_, &r)) {
    return std::unexpected(overflow());
  }
  return Money(r);
}

std::expected<Money, Error> Money::minus(Money other) const {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(fen_, other.fen_, &r)) {
    return std::unexpected(overflow());
  }
  return Money(r);
}

std::expected<Money, Error> Money::times(std::int64_t factor) const {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(fen_, factor, &r)) {
    return std::unexpected(overflow());
  }
  return Money(r);
}

}  // namespace boai::donations

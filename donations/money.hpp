// Money: a signed 64-bit count of fen (分). Exact parsing of what people type, zh-CN formatting,
// and arithmetic that reports overflow instead of wrapping. No floating point anywhere.
#pragma once

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::donations {

class Money {
 public:
  constexpr Money() = default;
  static constexpr Money from_fen(std::int64_t fen) { return Money(fen); }
  static constexpr Money from_yuan(std::int64_t yuan) { return Money(yuan * 100); }

  // Accepts "100", "100.5", "0.01", "¥1,234.50", "￥88", "1234.50元", "RMB 20", with spaces
  // around. Refuses negatives, more than two decimals (unless zeros), bad digit grouping and
  // anything past the 64-bit range. Errors: amount_invalid, amount_too_precise, amount_overflow.
  static std::expected<Money, Error> parse(std::string_view text);

  constexpr std::int64_t fen() const { return fen_; }
  std::string format() const;        // "¥1,234.50", "-¥0.50"
  std::string format_plain() const;  // "1234.50", "-0.50": for CSV and provider requests

  std::expected<Money, Error> plus(Money other) const;
  std::expected<Money, Error> minus(Money other) const;
  std::expected<Money, Error> times(std::int64_t factor) const;

  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(std::int64_t fen) : fen_(fen) {}
  std::int64_t fen_ = 0;
};

}  // namespace boai::donations

// The shared field checks. Amounts are checked for their plain shape here, then read by Money.
#include "statements/bill_fields.hpp"

#include <array>

#include "donations/text_rules.hpp"

namespace boai::statements {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits, then optionally a point and 1..max_decimals digits.
bool plain_decimal(std::string_view text, std::size_t max_decimals) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) {
    ++i;
  }
  if (i == 0 || i > 15) {
    return false;
  }
  if (i == text.size()) {
    return true;
  }
  if (text[i] != '.') {
    return false;
  }
  std::size_t decimals = text.size() - i - 1;
  if (decimals == 0 || decimals > max_decimals) {
    return false;
  }
  for (++i; i < text.size(); ++i) {
    if (!is_digit(text[i])) {
      return false;
    }
  }
  return true;
}

Error bad_amount(std::int64_t line, const char* column, std::string_view text) {
  return line_error(line, "amount_invalid",
                    std::string(column) + " is not an amount in yuan: \"" +
                        std::string(text.substr(0, 40)) + "\"");
}

// Two digits at text[at], at most max.
bool two_digits(std::string_view text, std::size_t at, int max, int& out) {
  if (at + 2 > text.size() || !is_digit(text[at]) || !is_digit(text[at + 1])) {
    return false;
  }
  out = (text[at] - '0') * 10 + (text[at + 1] - '0');
  return out <= max;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

Error line_error(std::int64_t line, const char* code, const std::string& message) {
  return make_error(code, "line " + std::to_string(line) + ": " + message);
}

std::expected<donations::Money, Error> bill_amount(std::string_view text, std::int64_t line,
                                                   const char* column) {
  if (!plain_decimal(text, 2)) {
    return std::unexpected(bad_amount(line, column, text));
  }
  auto m = donations::Money::parse(text);
  if (!m) {
    return std::unexpected(bad_amount(line, column, text));
  }
  return *m;
}

std::expected<SignedAmount, Error> signed_bill_amount(std::string_view text, std::int64_t line,
                                                      const char* column) {
  bool negative = text.starts_with('-');
  auto size = bill_amount(negative ? text.substr(1) : text, line, column);
  if (!size) {
    return std::unexpected(size.error());
  }
  return SignedAmount{*size, negative};
}

std::expected<std::int64_t, Error> fee_e5(std::string_view text, std::int64_t line,
                                          const char* column) {
  bool negative = text.starts_with('-');
  auto digits = negative ? text.substr(1) : text;
  if (!plain_decimal(digits, 5)) {
    return std::unexpected(bad_amount(line, column, text));
  }
  std::int64_t value = 0;
  int decimals = -1;
  for (char c : digits) {
    if (c == '.') {
      decimals = 0;
      continue;
    }
    value = value * 10 + (c - '0');
    decimals += decimals >= 0 ? 1 : 0;
  }
  for (int d = decimals < 0 ? 0 : decimals; d < 5; ++d) {
    value *= 10;
  }
  return negative ? -value : value;
}

std::int64_t fee_e5_to_fen(std::int64_t e5) {
  return e5 >= 0 ? (e5 + 500) / 1000 : -((-e5 + 500) / 1000);
}

std::expected<std::int64_t, Error> local_time_us(std::string_view text, std::int64_t line,
                                                 const char* column) {
  auto bad = [&] {
    return std::unexpected(line_error(line, "time_invalid",
                                      std::string(column) + " is not a date and time: \"" +
                                          std::string(text.substr(0, 40)) + "\""));
  };
  // Separators are optional ("20261128 140309"); the digits' places are fixed.
  std::string digits;
  for (char c : text) {
    if (is_digit(c)) {
      digits += c;
    } else if (c != '-' && c != '/' && c != ':' && c != ' ' && c != 'T') {
      return bad();
    }
  }
  if (digits.size() != 8 && digits.size() != 12 && digits.size() != 14) {
    return bad();
  }
  digits.resize(14, '0');
  int yh = 0, yl = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!two_digits(digits, 0, 99, yh) || !two_digits(digits, 2, 99, yl) ||
      !two_digits(digits, 4, 12, mo) || !two_digits(digits, 6, 31, d) ||
      !two_digits(digits, 8, 23, h) || !two_digits(digits, 10, 59, mi) ||
      !two_digits(digits, 12, 59, s)) {
    return bad();
  }
  int year = yh * 100 + yl;
  if (year < 2000 || mo < 1 || d < 1 || d > days_in_month(year, mo)) {
    return bad();
  }
  std::int64_t seconds = days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + s - 8 * 3600;
  return seconds * 1'000'000;
}

std::expected<void, Error> check_utf8(std::string_view text, std::int64_t line) {
  if (!donations::is_storable_text(text)) {
    return std::unexpected(line_error(line, "encoding_invalid", "the text is not UTF-8"));
  }
  return {};
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace boai::statements

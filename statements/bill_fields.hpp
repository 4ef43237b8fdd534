// The checks the statement parsers share: amounts written plainly in yuan (never "1,000.00" or
// "¥5"), fees with five decimals, local times, UTF-8 text, and errors that name their line.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "donations/money.hpp"

namespace boai::statements {

// "line 12: <message>", with the stable code.
Error line_error(std::int64_t line, const char* code, const std::string& message);

// "100", "100.5", "0.01": digits, an optional point and at most two decimals, read by
// donations::Money. Errors (with the line and the column's name): amount_invalid.
std::expected<donations::Money, Error> bill_amount(std::string_view text, std::int64_t line,
                                                   const char* column);
// The same with an optional leading "-": the amount's size and whether it was negative.
struct SignedAmount {
  donations::Money size;
  bool negative = false;
};
std::expected<SignedAmount, Error> signed_bill_amount(std::string_view text, std::int64_t line,
                                                      const char* column);

// A fee in yuan with up to five decimals ("0.60000", "-0.00600") as a count of 0.00001 yuan
// (a thousandth of a fen). Errors: amount_invalid.
std::expected<std::int64_t, Error> fee_e5(std::string_view text, std::int64_t line,
                                          const char* column);
// A fee in thousandths of a fen rounded to fen, half away from zero, as the providers settle.
std::int64_t fee_e5_to_fen(std::int64_t e5);

// "2026-11-28 14:03:09", "2026/11/28 14:03", "2026-11-28", "20261128" or "20261128 140309" in
// China Standard Time (UTC+8, no daylight saving since 1991) as UTC microseconds. Errors:
// time_invalid.
std::expected<std::int64_t, Error> local_time_us(std::string_view text, std::int64_t line,
                                                 const char* column);

// Valid UTF-8 without NUL. Errors: encoding_invalid.
std::expected<void, Error> check_utf8(std::string_view text, std::int64_t line);

// Leading and trailing spaces and tabs removed (Alipay ends values with a tab).
std::string_view trimmed(std::string_view text);

}  // namespace boai::statements

// Periods and dates of the books in Asia/Shanghai (UTC+8 all year: China has kept no summer time
// since 1991): "2026-11" (a month), "2026-11-30" (a day), and a date a person types, each turned
// into microseconds since 1970 UTC, the unit of the ledger's recorded_us.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace boai::donations {

struct Period {
  std::string name;  // "2026-11" or "2026-11-30"
  std::string kind;  // "month" or "day"
  std::int64_t starts_us = 0;
  std::int64_t ends_us = 0;  // the first microsecond after it
};

// Errors: period_invalid.
std::expected<Period, Error> parse_period(std::string_view text);

// "2026-11-28", "2026-11-28 14:03" or "2026-11-28 14:03:09" (a "T" may stand for the space),
// Beijing time. Errors: date_invalid.
std::expected<std::int64_t, Error> parse_local_time(std::string_view text);

// The days from..to, both included ("2026-11-01", "2026-11-30"), as a period named "from..to".
// Errors: date_invalid, period_invalid (to before from).
std::expected<Period, Error> day_range(std::string_view from, std::string_view to);

// The day and the month a moment falls in: "2026-11-30", "2026-11".
Period day_of(std::int64_t us);
Period month_of(std::int64_t us);

std::int64_t now_us();

}  // namespace boai::donations

// The times providers write in notices, read exactly: RFC 3339 (WeChat's success_time, generic
// paid_at) and Alipay's "yyyy-MM-dd HH:mm:ss" in Beijing time.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace boai::notices {

// "2024-06-01T10:00:00+08:00", "2024-06-01T02:00:00Z", "2024-06-01T02:00:00.123Z" to
// microseconds since the epoch; nullopt for anything else (no leap seconds, years 1970-9999).
std::optional<std::int64_t> parse_rfc3339_us(std::string_view text);

// "2024-06-01 10:00:00" in Asia/Shanghai (UTC+8, no daylight saving since 1991).
std::optional<std::int64_t> parse_beijing_time_us(std::string_view text);

// A Unix time in seconds written as 1 to 12 decimal digits.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text);

}  // namespace boai::notices

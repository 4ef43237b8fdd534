// Time parsing by position: every field has a fixed width, so a digit out of place is refused.
#include "notices/notice_time.hpp"

#include <chrono>

namespace boai::notices {

namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return std::nullopt;
    }
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// "yyyy-MM-dd?HH:mm:ss" with the given separator between date and time, as local seconds.
std::optional<std::int64_t> date_time_seconds(std::string_view text, char separator) {
  auto year = digits(text, 0, 4);
  auto month = digits(text, 5, 2);
  auto day = digits(text, 8, 2);
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  auto second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || text[4] != '-' || text[7] != '-' ||
      text[10] != separator || text[13] != ':' || text[16] != ':' || *year < 1970 || *hour > 23 ||
      *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year(*year),
                                   std::chrono::month(static_cast<unsigned>(*month)),
                                   std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) {
    return std::nullopt;
  }
  std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return days * 86400 + *hour * 3600 + *minute * 60 + *second;
}

}  // namespace

std::optional<std::int64_t> parse_rfc3339_us(std::string_view text) {
  auto seconds = date_time_seconds(text, 'T');
  if (!seconds) {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::int64_t micros = 0;
  if (at < text.size() && text[at] == '.') {
    std::size_t start = ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 9) {
      micros = at - start < 6 ? micros * 10 + (text[at] - '0') : micros;
      ++at;
    }
    if (at == start) {
      return std::nullopt;
    }
    for (std::size_t n = at - start; n < 6; ++n) {
      micros *= 10;
    }
  }
  std::string_view zone = text.substr(std::min(at, text.size()));
  std::int64_t offset = 0;
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else {
    auto hours = digits(zone, 1, 2);
    auto minutes = digits(zone, 4, 2);
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !hours ||
        !minutes || *hours > 23 || *minutes > 59) {
      return std::nullopt;
    }
    offset = (zone[0] == '-' ? -1 : 1) * (*hours * 3600 + *minutes * 60);
  }
  return (*seconds - offset) * kMicrosPerSecond + micros;
}

std::optional<std::int64_t> parse_beijing_time_us(std::string_view text) {
  auto seconds = text.size() == 19 ? date_time_seconds(text, ' ') : std::nullopt;
  if (!seconds) {
    return std::nullopt;
  }
  return (*seconds - 8 * 3600) * kMicrosPerSecond;
}

std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
  if (text.empty() || text.size() > 12) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace boai::notices

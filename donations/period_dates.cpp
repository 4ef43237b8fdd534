// Calendar arithmetic without the C library's time zone (days from civil, after Howard Hinnant's
// public-domain algorithm), so that a period means the same on every machine.
#include "donations/period_dates.hpp"

#include <chrono>
#include <cstdio>

namespace boai::donations {

namespace {

constexpr std::int64_t kUsPerDay = 86'400'000'000;
constexpr std::int64_t kShanghaiOffsetUs = 8 * 3'600'000'000LL;

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

struct Civil {
  int y, m, d;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<int>(z - era * 146097);
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {static_cast<int>(yoe + era * 400) + (m <= 2 ? 1 : 0), m, d};
}

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Exactly n digits at text[at...]; -1 when they are not.
int digits(std::string_view text, std::size_t at, std::size_t n) {
  if (text.size() < at + n) {
    return -1;
  }
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return -1;
    }
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// Local midnight of a civil day, as UTC microseconds.
std::int64_t local_midnight_us(int y, int m, int d) {
  return days_from_civil(y, m, d) * kUsPerDay - kShanghaiOffsetUs;
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

Period month_period(int y, int m) {
  int ny = m == 12 ? y + 1 : y;
  int nm = m == 12 ? 1 : m + 1;
  return {std::to_string(y) + "-" + two(m), "month", local_midnight_us(y, m, 1),
          local_midnight_us(ny, nm, 1)};
}

Period day_period(int y, int m, int d) {
  auto start = local_midnight_us(y, m, d);
  return {std::to_string(y) + "-" + two(m) + "-" + two(d), "day", start, start + kUsPerDay};
}

Civil local_civil(std::int64_t us) {
  auto local = us + kShanghaiOffsetUs;
  auto days = local >= 0 ? local / kUsPerDay : (local - kUsPerDay + 1) / kUsPerDay;
  return civil_from_days(days);
}

// "YYYY-MM-DD" at the start of text, with a plausible year; false when it is not one.
bool read_date(std::string_view text, Civil& out) {
  int y = digits(text, 0, 4);
  int m = digits(text, 5, 2);
  int d = digits(text, 8, 2);
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || y < 2000 || y > 2999 || m < 1 ||
      m > 12 || d < 1 || d > days_in_month(y, m)) {
    return false;
  }
  out = {y, m, d};
  return true;
}

}  // namespace

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::expected<Period, Error> parse_period(std::string_view text) {
  auto invalid = [&] {
    return std::unexpected(make_error(
        "period_invalid",
        "a period is a month (2026-11) or a day (2026-11-30), got \"" + std::string(text) + "\""));
  };
  if (text.size() == 7) {
    int y = digits(text, 0, 4);
    int m = digits(text, 5, 2);
    if (text[4] != '-' || y < 2000 || y > 2999 || m < 1 || m > 12) {
      return invalid();
    }
    return month_period(y, m);
  }
  Civil c{};
  if (text.size() != 10 || !read_date(text, c)) {
    return invalid();
  }
  return day_period(c.y, c.m, c.d);
}

std::expected<std::int64_t, Error> parse_local_time(std::string_view text) {
  auto invalid = std::unexpected(make_error(
      "date_invalid", "a date is 2026-11-28 or 2026-11-28 14:03[:09] (Beijing time), got \"" +
                          std::string(text) + "\""));
  Civil c{};
  if (!read_date(text, c)) {
    return invalid;
  }
  int h = 0, min = 0, s = 0;
  if (text.size() > 10) {
    if ((text[10] != ' ' && text[10] != 'T') || (text.size() != 16 && text.size() != 19)) {
      return invalid;
    }
    h = digits(text, 11, 2);
    min = digits(text, 14, 2);
    s = text.size() == 19 ? digits(text, 17, 2) : 0;
    if (text[13] != ':' || (text.size() == 19 && text[16] != ':') || h < 0 || h > 23 || min < 0 ||
        min > 59 || s < 0 || s > 59) {
      return invalid;
    }
  }
  return local_midnight_us(c.y, c.m, c.d) + ((h * 60LL + min) * 60 + s) * 1'000'000;
}

std::expected<Period, Error> day_range(std::string_view from, std::string_view to) {
  Civil a{}, b{};
  if (from.size() != 10 || to.size() != 10 || !read_date(from, a) || !read_date(to, b)) {
    return std::unexpected(
        make_error("date_invalid", "from and to are days: 2026-11-01, 2026-11-30"));
  }
  Period p{std::string(from) + ".." + std::string(to), "range", local_midnight_us(a.y, a.m, a.d),
           local_midnight_us(b.y, b.m, b.d) + kUsPerDay};
  if (p.ends_us <= p.starts_us) {
    return std::unexpected(make_error("period_invalid", "to is before from"));
  }
  return p;
}

Period day_of(std::int64_t us) {
  auto c = local_civil(us);
  return day_period(c.y, c.m, c.d);
}

Period month_of(std::int64_t us) {
  auto c = local_civil(us);
  return month_period(c.y, c.m);
}

}  // namespace boai::donations

// Periods and typed dates in Beijing time, without a database: the boundaries of days and months
// (leap years, the year's end), what is refused, and the CSV's BOM and quoting.
#include "donations/period_dates.hpp"

#include <catch2/catch.hpp>

#include "donations/report_csv.hpp"

using namespace boai::donations;

namespace {

// 2026-11-01 00:00 Beijing time is 2026-10-31 16:00 UTC.
constexpr std::int64_t kNov2026Us = 1'793'462'400'000'000;
constexpr std::int64_t kDayUs = 86'400'000'000;

}  // namespace

TEST_CASE("a month and a day of Beijing time are their UTC microseconds") {
  auto month = parse_period("2026-11");
  REQUIRE(month);
  CHECK(month->kind == "month");
  CHECK(month->starts_us == kNov2026Us);
  CHECK(month->ends_us == kNov2026Us + 30 * kDayUs);
  auto day = parse_period("2026-11-30");
  REQUIRE(day);
  CHECK(day->kind == "day");
  CHECK(day->starts_us == kNov2026Us + 29 * kDayUs);
  CHECK(day->ends_us == month->ends_us);
  CHECK(parse_period("2026-12")->ends_us == parse_period("2027-01")->starts_us);
  CHECK(parse_period("2028-02-29"));
  CHECK(parse_period("2028-02")->ends_us - parse_period("2028-02")->starts_us == 29 * kDayUs);

  CHECK(day_of(kNov2026Us - 1).name == "2026-10-31");
  CHECK(day_of(kNov2026Us).name == "2026-11-01");
  CHECK(month_of(kNov2026Us + 30 * kDayUs - 1).name == "2026-11");
  CHECK(month_of(kNov2026Us + 30 * kDayUs).name == "2026-12");
}

TEST_CASE("periods and dates that are not are refused") {
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "2026-11-31", "2027-02-29", "26-11",
                          "2026/11", "2026-11-30 ", "", "1999-12"}) {
    INFO(bad);
    auto p = parse_period(bad);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == "period_invalid");
  }
  CHECK(parse_local_time("2026-11-01") == kNov2026Us);
  CHECK(parse_local_time("2026-11-01 08:00") == kNov2026Us + 8 * 3'600'000'000LL);
  CHECK(parse_local_time("2026-11-01T00:00:01") == kNov2026Us + 1'000'000);
  for (const char* bad : {"yesterday", "2026-11-01 24:00", "2026-11-01 10:60", "2026-11-01 1:00",
                          "2026-11-01 10:00:00Z", "2026-02-30"}) {
    INFO(bad);
    auto t = parse_local_time(bad);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == "date_invalid");
  }
  auto range = day_range("2026-11-01", "2026-11-30");
  REQUIRE(range);
  CHECK(range->starts_us == kNov2026Us);
  CHECK(range->ends_us == kNov2026Us + 30 * kDayUs);
  CHECK(day_range("2026-11-02", "2026-11-01").error().code == "period_invalid");
}

TEST_CASE("the report's CSV opens in Excel: a BOM, CRLF, quoted and defused text") {
  CloseOut c;
  c.campaign = "firstaid";
  c.as_of_us = kNov2026Us;
  c.pledges = 1;
  c.pledged = Money::from_fen(1050);
  c.owing.push_back({"K7QX2M9P", kNov2026Us, Money::from_fen(1050), Money(), "pledged",
                     "=HYPERLINK(\"x\")", false, "138, ext 2"});
  auto csv = closeout_csv(c);
  CHECK(csv.starts_with("\xEF\xBB\xBF项目,笔数,金额(元)\r\n直播认捐,1,10.50\r\n"));
  CHECK(csv.find("\r\nK7QX2M9P,10.50,0.00,10.50,pledged,\"'=HYPERLINK(\"\"x\"\")\",\"138, ext "
                 "2\"\r\n") != std::string::npos);
  CHECK(closeout_file_name(c) == "closeout-firstaid-2026-11-01.csv");
}

// The rules of the paged lists (issue #18): query arguments and numbers as the routes read them,
// and recording names as `before` takes them.
#include <catch2/catch.hpp>

#include "stream/recordings.hpp"
#include "web/query_params.hpp"

using boai::web::parse_bounded;
using boai::web::query_value;

TEST_CASE("query arguments are found by their whole name, the first one wins") {
  CHECK(query_value("limit=5&before=a-20260101T000000Z.mkv", "before") == "a-20260101T000000Z.mkv");
  CHECK(query_value("limit=5&limit=7", "limit") == "5");
  CHECK(query_value("xlimit=5&limit=6", "limit") == "6");
  CHECK(query_value("limit", "limit") == "");
  CHECK(query_value("limit=", "limit") == "");
  CHECK(query_value("a=1=2", "a") == "1=2");
  CHECK_FALSE(query_value("", "limit"));
  CHECK_FALSE(query_value("limits=5&&=3", "limit"));
}

TEST_CASE("numbers are decimal digits only, within their bound") {
  CHECK(parse_bounded("0", 10) == 0);
  CHECK(parse_bounded("10", 10) == 10);
  CHECK(parse_bounded("007", 10) == 7);
  CHECK(parse_bounded("999999999999999999", INT64_MAX) == 999'999'999'999'999'999);
  for (const char* bad : {"", "11", "-1", "+1", " 1", "1 ", "1e3", "1.0", "0x1", "ten",
                          "9999999999999999999", "99999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(parse_bounded(bad, 10));
  }
}

TEST_CASE("a recording's name gives its room and start, other names give nothing") {
  auto r = boai::stream::parse_recording_name("first-aid-20260311T091502Z-2.mkv");
  REQUIRE(r);
  CHECK(r->room == "first-aid");
  CHECK(r->started_utc == "2026-03-11T09:15:02Z");
  for (const char* bad :
       {"notes.txt", "random.mkv", "x-20260311T0915Z.mkv", "x-2026031aT091502Z.mkv",
        "a/b-20260311T091502Z.mkv", "x-20260311T091502Z.mp4", "-20260311T091502Z"}) {
    INFO(bad);
    CHECK_FALSE(boai::stream::parse_recording_name(bad));
  }
}

// Money: exact parsing of what people type, formatting, and overflow that is reported.
#include "donations/money.hpp"

#include <catch2/catch.hpp>
#include <limits>

using boai::donations::Money;

TEST_CASE("what people type parses to exact fen") {
  struct Case {
    const char* text;
    std::int64_t fen;
  };
  for (auto c : {Case{"100", 10000}, Case{"100.5", 10050}, Case{"100.50", 10050}, Case{"0.01", 1},
                 Case{"¥1,234.50", 123450}, Case{"￥88", 8800}, Case{"1234.50元", 123450},
                 Case{" 20 元 ", 2000}, Case{"RMB 20", 2000}, Case{"1,000,000", 100000000},
                 Case{"0", 0}, Case{"5.000", 500},
                 Case{"\xE3\x80\x80"
                      "12",
                      1200}}) {
    INFO(c.text);
    auto m = Money::parse(c.text);
    REQUIRE(m);
    CHECK(m->fen() == c.fen);
  }
}

TEST_CASE("malformed amounts are refused with a stable code") {
  struct Case {
    const char* text;
    const char* code;
  };
  for (auto c :
       {Case{"", "amount_invalid"}, Case{"abc", "amount_invalid"}, Case{"-5", "amount_invalid"},
        Case{"1.2.3", "amount_invalid"}, Case{"1,23", "amount_invalid"},
        Case{"1234,567", "amount_invalid"}, Case{",123", "amount_invalid"},
        Case{"100.", "amount_invalid"}, Case{".5", "amount_invalid"}, Case{"1e3", "amount_invalid"},
        Case{"¥", "amount_invalid"}, Case{"12 34", "amount_invalid"},
        Case{"0.001", "amount_too_precise"}, Case{"1.999", "amount_too_precise"},
        Case{"99999999999999999999", "amount_overflow"},
        Case{"92233720368547758.08", "amount_overflow"}}) {
    INFO(c.text);
    auto m = Money::parse(c.text);
    REQUIRE_FALSE(m);
    CHECK(m.error().code == c.code);
  }
}

TEST_CASE("formatting for people and for files") {
  CHECK(Money::from_fen(123450).format() == "¥1,234.50");
  CHECK(Money::from_fen(5).format() == "¥0.05");
  CHECK(Money::from_fen(100000000).format() == "¥1,000,000.00");
  CHECK(Money::from_fen(-50).format() == "-¥0.50");
  CHECK(Money::from_fen(0).format() == "¥0.00");
  CHECK(Money::from_fen(-99).format() == "-¥0.99");
  CHECK(Money::from_fen(std::numeric_limits<std::int64_t>::max()).format() ==
        "¥92,233,720,368,547,758.07");
  CHECK(Money::from_fen(std::numeric_limits<std::int64_t>::min()).format() ==
        "-¥92,233,720,368,547,758.08");
  CHECK(Money::from_fen(123450).format_plain() == "1234.50");
  CHECK(Money::from_fen(std::numeric_limits<std::int64_t>::min()).format_plain() ==
        "-92233720368547758.08");
}

TEST_CASE("parse and format round-trip") {
  for (std::int64_t fen : {0LL, 1LL, 99LL, 100LL, 123456789LL, 9223372036854775807LL}) {
    auto m = Money::from_fen(fen);
    CHECK(Money::parse(m.format())->fen() == fen);
    CHECK(Money::parse(m.format_plain())->fen() == fen);
  }
}

TEST_CASE("arithmetic reports overflow instead of wrapping") {
  auto max = Money::from_fen(std::numeric_limits<std::int64_t>::max());
  CHECK_FALSE(max.plus(Money::from_fen(1)));
  CHECK(max.plus(Money::from_fen(1)).error().code == "amount_overflow");
  CHECK_FALSE(Money::from_fen(std::numeric_limits<std::int64_t>::min()).minus(Money::from_fen(1)));
  CHECK_FALSE(max.times(2));
  CHECK(Money::from_fen(150).plus(Money::from_fen(250))->fen() == 400);
  CHECK(Money::from_fen(150).times(3)->fen() == 450);
}

// The streaming CSV reader and the shared field checks: quotes, CRLF, a BOM, line numbers, input
// cut at every byte, and amounts, fees and times read exactly.
#include <catch2/catch.hpp>
#include <string>

#include "statements/bill_fields.hpp"
#include "statements/csv_reader.hpp"

using namespace boai::statements;

namespace {

// Hands over its text a byte at a time, so every field and line break crosses a chunk's end.
class Trickle final : public ByteSource {
 public:
  explicit Trickle(std::string text) : text_(std::move(text)) {}
  std::expected<std::size_t, boai::Error> read(char* buffer, std::size_t) override {
    if (at_ == text_.size()) {
      return 0;
    }
    buffer[0] = text_[at_++];
    return 1;
  }

 private:
  std::string text_;
  std::size_t at_ = 0;
};

std::vector<CsvRecord> read_all(ByteSource& source) {
  CsvReader reader(source);
  std::vector<CsvRecord> out;
  CsvRecord r;
  for (;;) {
    auto more = reader.next(r);
    REQUIRE(more);
    if (!*more) {
      return out;
    }
    out.push_back(r);
  }
}

}  // namespace

TEST_CASE("the CSV reader reads quoted fields, CRLF and a BOM, chunk by chunk") {
  std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n,,\nlast,no,break";
  for (int trickle = 0; trickle < 2; ++trickle) {
    TextSource whole(text);
    Trickle bytes(text);
    auto records = trickle ? read_all(bytes) : read_all(whole);
    REQUIRE(records.size() == 4);
    CHECK(records[0].fields == std::vector<std::string>{"a", "b", "c"});
    CHECK(records[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(records[2].fields == std::vector<std::string>{"", "", ""});
    CHECK(records[3].fields == std::vector<std::string>{"last", "no", "break"});
    CHECK(records[0].line == 1);
    CHECK(records[1].line == 2);
    CHECK(records[2].line == 4);  // the quoted line break counts
    CHECK(records[3].line == 5);
    CHECK(records[2].terminated);
    CHECK_FALSE(records[3].terminated);
  }
}

TEST_CASE("the CSV reader refuses a quote left open and a record too long") {
  TextSource open("a,\"never closed\n");
  CsvReader reader(open);
  CsvRecord r;
  auto more = reader.next(r);
  REQUIRE_FALSE(more);
  CHECK(more.error().code == "file_truncated");

  std::string huge(CsvReader::kMaxRecordBytes + 10, 'x');
  huge += "\n";
  TextSource big(huge);  // a view: the text outlives it
  CsvReader reader2(big);
  more = reader2.next(r);
  REQUIRE_FALSE(more);
  CHECK(more.error().code == "line_too_long");
}

TEST_CASE("amounts are plain yuan, fees have five decimals, times are China Standard Time") {
  CHECK(bill_amount("100", 1, "x")->fen() == 10000);
  CHECK(bill_amount("0.01", 1, "x")->fen() == 1);
  CHECK(bill_amount("12.5", 1, "x")->fen() == 1250);
  for (const char* bad : {"1,000.00", "-5", "abc", "", "1.234", "¥5", "1.", ".5", "1e3", " 5"}) {
    INFO(bad);
    auto m = bill_amount(bad, 7, "应结订单金额");
    REQUIRE_FALSE(m);
    CHECK(m.error().code == "amount_invalid");
    CHECK(m.error().message.starts_with("line 7: "));
  }
  CHECK(*fee_e5("0.60000", 1, "x") == 60000);
  CHECK(*fee_e5("-0.006", 1, "x") == -600);
  CHECK_FALSE(fee_e5("0.000001", 1, "x"));
  // Half a fen and more rounds up, as the providers settle; below half rounds down.
  CHECK(fee_e5_to_fen(60500) == 61);
  CHECK(fee_e5_to_fen(60499) == 60);
  CHECK(fee_e5_to_fen(-60500) == -61);
  CHECK(fee_e5_to_fen(0) == 0);

  // 2026-11-28 08:00:00 in Beijing is midnight UTC.
  std::int64_t midnight_utc = 1'795'824'000LL * 1'000'000;
  CHECK(*local_time_us("2026-11-28 08:00:00", 1, "t") == midnight_utc);
  CHECK(*local_time_us("2026/11/28 08:00", 1, "t") == midnight_utc);
  CHECK(*local_time_us("20261128 080000", 1, "t") == midnight_utc);
  CHECK(*local_time_us("2026-11-28", 1, "t") == midnight_utc - 8LL * 3600 * 1'000'000);
  for (const char* bad : {"2026-02-30 10:00:00", "2026-13-01", "yesterday", "2026-11-28 24:00:00",
                          "1999-01-01", "2026-11-28 10:00:00.5"}) {
    INFO(bad);
    auto t = local_time_us(bad, 3, "交易时间");
    REQUIRE_FALSE(t);
    CHECK(t.error().code == "time_invalid");
  }
}

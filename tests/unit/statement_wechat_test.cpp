// The WeChat Pay trade bill: a good bill read into lines, and each broken form refused with its
// code and line.
#include <catch2/catch.hpp>
#include <string>

#include "statements/wechat_bill.hpp"
#include "tests/support/statement_files.hpp"

using namespace boai::statements;
using boai::test::WechatRow;

namespace {

struct Parsed {
  std::expected<ParseTally, boai::Error> tally;
  std::vector<StatementLine> lines;
};

Parsed parse(const std::string& text, const std::string& mchid = boai::test::kMchid) {
  TextSource source(text);
  Parsed p{ParseTally{}, {}};
  p.tally = parse_wechat_bill(source, WechatBillConfig{mchid},
                              [&](const StatementLine& l) -> std::expected<void, boai::Error> {
                                p.lines.push_back(l);
                                return {};
                              });
  return p;
}

WechatRow paid(const std::string& txn, const std::string& ref, std::int64_t fen) {
  WechatRow r;
  r.txn_id = txn;
  r.out_trade_no = ref;
  r.amount_fen = fen;
  r.fee_e5 = fen * 6;  // 0.6%: a fen is 1000 hundred-thousandths of a yuan
  return r;
}

std::vector<WechatRow> three_rows() {
  WechatRow refund = paid("4200000001", "7KQ2MZ9D", 10000);
  refund.state = "REFUND";
  refund.refund_id = "50000000001";
  refund.refund_fen = 4000;
  refund.fee_e5 = -24000;
  refund.time = "2026-11-28 12:00:00";
  WechatRow revoked = paid("4200000003", "8MZ2QK7D", 500);
  revoked.state = "REVOKED";
  revoked.fee_e5 = 0;
  return {paid("4200000001", "7KQ2MZ9D", 10000), paid("4200000002", "9ABCDEFG", 2050), refund,
          revoked};
}

std::string code_of(const Parsed& p) {
  REQUIRE_FALSE(p.tally);
  return p.tally.error().code;
}

// The bill with the text of its line `line` (1 = header) replaced.
std::string with_line(std::string bill, int line, const std::string& text) {
  std::size_t at = 0;
  for (int i = 1; i < line; ++i) {
    at = bill.find('\n', at) + 1;
  }
  return bill.replace(at, bill.find('\n', at) + 1 - at, text);
}

}  // namespace

TEST_CASE("a WeChat bill becomes payments and refunds, its summary checked") {
  auto p = parse(boai::test::wechat_bill(three_rows()));
  REQUIRE(p.tally);
  CHECK(p.tally->rows == 4);
  CHECK(p.tally->skipped == 1);
  REQUIRE(p.lines.size() == 3);
  CHECK(p.lines[0].kind == LineKind::kPayment);
  CHECK(p.lines[0].txn_id == "4200000001");
  CHECK(p.lines[0].reference == "7KQ2MZ9D");
  CHECK(p.lines[0].amount.fen() == 10000);
  CHECK(p.lines[0].fee_fen == 60);
  CHECK(p.lines[0].line == 2);
  CHECK(p.lines[1].amount.fen() == 2050);
  CHECK(p.lines[1].fee_fen == 12);  // 0.12300 yuan: 12.3 fen rounds to 12
  CHECK(p.lines[2].kind == LineKind::kRefund);
  CHECK(p.lines[2].txn_id == "50000000001");
  CHECK(p.lines[2].original_txn_id == "4200000001");
  CHECK(p.lines[2].amount.fen() == 4000);
  CHECK(p.lines[2].fee_fen == 24);
  CHECK(p.lines[2].occurred_us - p.lines[0].occurred_us == 2LL * 3600 * 1'000'000);
}

TEST_CASE("broken WeChat bills are refused with a stable code and their line") {
  auto rows = three_rows();
  auto good = boai::test::wechat_bill(rows);

  SECTION("wrong encoding: the same bill in GBK") {
    CHECK(code_of(parse(boai::test::gbk(good.substr(3)))) == "encoding_invalid");
  }
  SECTION("truncated: no summary, or cut inside a row") {
    auto no_summary = good.substr(0, good.find("总交易单数"));
    CHECK(code_of(parse(no_summary)) == "file_truncated");
    auto cut = good.substr(0, good.find("`CMB_CREDIT"));
    auto p = parse(cut);
    CHECK(code_of(p) == "file_truncated");
    CHECK(p.tally.error().message.starts_with("line 2: "));
    CHECK(code_of(parse("")) == "file_truncated");
  }
  SECTION("missing and extra columns") {
    auto line = boai::test::wechat_line(rows[1]);
    auto missing = line.substr(0, line.rfind(',')) + "\r\n";
    auto p = parse(with_line(good, 3, missing));
    CHECK(code_of(p) == "columns_missing");
    CHECK(p.tally.error().message.starts_with("line 3: "));
    auto extra = line.substr(0, line.size() - 2) + ",`x\r\n";
    CHECK(code_of(parse(with_line(good, 3, extra))) == "columns_extra");
    auto header = boai::test::wechat_header();
    CHECK(code_of(parse(with_line(good, 1, header.substr(0, header.rfind(',')) + "\r\n"))) ==
          "columns_missing");
    auto renamed = good;
    renamed.replace(renamed.find("手续费"), std::string("手续费").size(), "服务费");
    CHECK(code_of(parse(renamed)) == "header_mismatch");
  }
  SECTION("a bill for another merchant") {
    auto p = parse(good, "1900000999");
    CHECK(code_of(p) == "merchant_mismatch");
    CHECK(p.tally.error().message.starts_with("line 2: "));
  }
  SECTION("amounts that are not plain yuan") {
    for (const char* bad : {"1,000.00", "-5", "abc"}) {
      INFO(bad);
      auto text = good;
      text.replace(text.find("`20.50"), 6, std::string("\"`") + bad + "\"");
      auto p = parse(text);
      CHECK(code_of(p) == "amount_invalid");
      CHECK(p.tally.error().message.starts_with("line 3: "));
    }
  }
  SECTION("a summary that does not add up") {
    auto text = good;
    text.replace(text.rfind("`120.50"), 7, "`120.51");
    auto p = parse(text);
    CHECK(code_of(p) == "summary_mismatch");
    CHECK(p.tally.error().message.starts_with("line 7: "));
    auto fees = good;
    auto at = fees.rfind("`0.48300");
    REQUIRE(at != std::string::npos);
    fees.replace(at, 8, "`0.48301");
    CHECK(code_of(parse(fees)) == "summary_mismatch");
    auto count = good;
    count.replace(count.rfind("`4,"), 3, "`5,");
    CHECK(code_of(parse(count)) == "summary_mismatch");
  }
  SECTION("rows after the summary, and an unknown state") {
    CHECK(code_of(parse(good + boai::test::wechat_line(rows[0]))) == "trailing_data");
    auto text = good;
    text.replace(text.find("`SUCCESS"), 8, "`PAYING");
    CHECK(code_of(parse(text)) == "value_invalid");
  }
}

TEST_CASE("a sink's error stops the WeChat parse") {
  auto bill = boai::test::wechat_bill(three_rows());
  TextSource source(bill);
  int seen = 0;
  auto r = parse_wechat_bill(source, WechatBillConfig{boai::test::kMchid},
                             [&](const StatementLine&) -> std::expected<void, boai::Error> {
                               ++seen;
                               return std::unexpected(boai::make_error("db_unavailable", "x"));
                             });
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "db_unavailable");
  CHECK(seen == 1);
}

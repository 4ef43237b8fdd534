// The Alipay 业务明细 bill (GBK) and bank statements through a profile: good files read into
// lines, and each broken form refused with its code and line.
#include <catch2/catch.hpp>
#include <string>

#include "statements/alipay_bill.hpp"
#include "statements/bank_statement.hpp"
#include "tests/support/statement_files.hpp"

using namespace boai::statements;
using boai::test::AlipayRow;

namespace {

struct Parsed {
  std::expected<ParseTally, boai::Error> tally;
  std::vector<StatementLine> lines;
};

LineSink collect(Parsed& p) {
  return [&p](const StatementLine& l) -> std::expected<void, boai::Error> {
    p.lines.push_back(l);
    return {};
  };
}

Parsed alipay(const std::string& bytes, const std::string& seller = boai::test::kSellerId) {
  TextSource source(bytes);
  Parsed p{ParseTally{}, {}};
  p.tally = parse_alipay_bill(source, AlipayBillConfig{seller}, collect(p));
  return p;
}

std::vector<AlipayRow> alipay_rows() {
  AlipayRow trade{"2026112822001400001",
                  "7KQ2MZ9D",
                  "交易",
                  "2026-11-28 10:00:05",
                  "张*(zha***@163.com)",
                  10000,
                  60,
                  "",
                  "捐款"};
  AlipayRow refund = trade;
  refund.kind = "退款";
  refund.received_fen = -3000;
  refund.fee_fen = 18;
  refund.refund_batch = "R20261128001";
  AlipayRow other = trade;
  other.trade_no = "2026112822001400002";
  other.out_trade_no = "9ABCDEFG";
  other.received_fen = 2050;
  other.fee_fen = 12;
  return {trade, other, refund};
}

std::string code_of(const Parsed& p) {
  REQUIRE_FALSE(p.tally);
  return p.tally.error().code;
}

Parsed bank(const std::string& text, const BankProfile& profile) {
  TextSource source(text);
  Parsed p{ParseTally{}, {}};
  p.tally = parse_bank_statement(source, profile, collect(p));
  return p;
}

BankProfile icbc() {
  return BankProfile{"icbc", "交易日期", "贷方发生额", "对方户名", "摘要", "", "utf-8", 1};
}

const std::string kBank =
    "中国工商银行 账户明细\n"
    "交易日期,借方发生额,贷方发生额,对方户名,摘要\n"
    "2026-11-28 09:30:00,,100.00,张三,捐款 7kq2mz9d 张三\n"
    "2026-11-28 09:31:00,,100.00,张三,捐款 7kq2mz9d 张三\n"
    "2026-11-28 10:00:00,,-5.00,某供应商,退回\n"
    "\n"
    "2026-11-28 11:00:00,,50.00,\"李四, 王五\",无备注\n";

}  // namespace

TEST_CASE("an Alipay bill in GBK becomes trades and refunds, its footer checked") {
  auto p = alipay(boai::test::gbk(boai::test::alipay_bill_utf8(alipay_rows())));
  REQUIRE(p.tally);
  CHECK(p.tally->rows == 3);
  REQUIRE(p.lines.size() == 3);
  CHECK(p.lines[0].txn_id == "2026112822001400001");
  CHECK(p.lines[0].reference == "7KQ2MZ9D");
  CHECK(p.lines[0].amount.fen() == 10000);
  CHECK(p.lines[0].fee_fen == 60);
  CHECK(p.lines[0].counterparty == "张*(zha***@163.com)");
  CHECK(p.lines[0].line == 6);
  CHECK(p.lines[2].kind == LineKind::kRefund);
  CHECK(p.lines[2].txn_id == "2026112822001400001/R20261128001");
  CHECK(p.lines[2].original_txn_id == "2026112822001400001");
  CHECK(p.lines[2].amount.fen() == 3000);
}

TEST_CASE("broken Alipay bills are refused with a stable code and their line") {
  auto utf8 = boai::test::alipay_bill_utf8(alipay_rows());
  auto good = boai::test::gbk(utf8);
  SECTION("wrong encoding: UTF-8, or bytes that are not GBK") {
    CHECK(code_of(alipay(utf8)) == "encoding_invalid");
    auto broken = good;
    broken.insert(broken.find("\r\n2026112822001400002"), "\x81\x20");
    auto p = alipay(broken);
    CHECK(code_of(p) == "encoding_invalid");
    CHECK(p.tally.error().message.starts_with("line 6: "));
  }
  SECTION("truncated: no end of the list") {
    auto cut = utf8.substr(0, utf8.rfind("\r\n#-") + 2);  // the rows, no end of the list
    CHECK(code_of(alipay(boai::test::gbk(cut))) == "file_truncated");
  }
  SECTION("missing and extra columns") {
    auto text = utf8;
    auto at = text.find("\t,\r\n2026112822001400002");
    text.replace(at, 2, "");  // the first row loses its last column
    auto p = alipay(boai::test::gbk(text));
    CHECK(code_of(p) == "columns_missing");
    CHECK(p.tally.error().message.starts_with("line 6: "));
    text = utf8;
    text.insert(text.find("\r\n2026112822001400002"), ",extra");
    CHECK(code_of(alipay(boai::test::gbk(text))) == "columns_extra");
  }
  SECTION("a bill for another account") {
    CHECK(code_of(alipay(good, "2088999999999999")) == "merchant_mismatch");
  }
  SECTION("amounts that are not plain yuan") {
    for (const char* bad : {"1,000.00", "-5", "abc"}) {
      INFO(bad);
      auto text = utf8;
      auto at = text.find("\t,20.50\t");  // 订单金额, then 商家实收: the one that is read
      text.replace(text.find("\t,20.50\t", at + 1), 7, std::string("\t,\"") + bad + "\"");
      CHECK(code_of(alipay(boai::test::gbk(text))) == "amount_invalid");
    }
  }
  SECTION("a footer that does not add up") {
    auto text = utf8;
    text.replace(text.find("商家实收共120.50元"), std::string("商家实收共120.50元").size(),
                 "商家实收共120.51元");
    CHECK(code_of(alipay(boai::test::gbk(text))) == "summary_mismatch");
  }
}

TEST_CASE("a bank statement is read through its profile") {
  auto p = bank(kBank, icbc());
  REQUIRE(p.tally);
  CHECK(p.tally->rows == 4);
  CHECK(p.tally->skipped == 1);  // the -5.00 paid out
  REQUIRE(p.lines.size() == 3);
  CHECK(p.lines[0].reference == "7KQ2MZ9D");  // found in the remark, upper-cased
  CHECK(p.lines[0].counterparty == "张三");
  CHECK(p.lines[0].line == 3);
  CHECK(p.lines[0].txn_id_derived);
  CHECK(p.lines[0].txn_id.starts_with("h:"));
  CHECK(p.lines[1].txn_id != p.lines[0].txn_id);  // another minute: another transfer
  CHECK(p.lines[2].counterparty == "李四, 王五");
  CHECK(p.lines[2].reference.empty());

  auto with_serial = icbc();
  with_serial.txn_column = "流水号";
  auto s = bank("标题\n交易日期,贷方发生额,对方户名,摘要,流水号\n20261128,88.00,赵六,捐,SN001\n",
                with_serial);
  REQUIRE(s.tally);
  REQUIRE(s.lines.size() == 1);
  CHECK(s.lines[0].txn_id == "SN001");
  CHECK_FALSE(s.lines[0].txn_id_derived);

  auto gbk_profile = icbc();
  gbk_profile.encoding = "gbk";
  auto g = bank(boai::test::gbk(kBank), gbk_profile);
  REQUIRE(g.tally);
  CHECK(g.lines.size() == 3);
  CHECK(g.lines[0].counterparty == "张三");
}

TEST_CASE("broken bank statements are refused with a stable code and their line") {
  auto profile = icbc();
  auto renamed = profile;
  renamed.amount_column = "收入金额";
  CHECK(code_of(bank(kBank, renamed)) == "columns_missing");
  for (const char* bad : {"1,000.00", "abc", "5元"}) {
    INFO(bad);
    auto text = kBank;
    text.replace(text.find(",50.00,"), 7, std::string(",\"") + bad + "\",");
    auto p = bank(text, profile);
    CHECK(code_of(p) == "amount_invalid");
    CHECK(p.tally.error().message.starts_with("line 7: "));
  }
  auto short_row = kBank + "2026-11-28 12:00:00,,10.00,钱七\n";
  CHECK(code_of(bank(short_row, profile)) == "columns_missing");
  auto cut = kBank + "2026-11-28 12:00:00,,10.00,钱";
  CHECK(code_of(bank(cut, profile)) == "file_truncated");
  auto extra = kBank + "2026-11-28 12:00:00,,10.00,钱七,捐款,多\n";
  CHECK(code_of(bank(extra, profile)) == "columns_extra");
  CHECK(code_of(bank(boai::test::gbk(kBank), profile)) == "encoding_invalid");
  auto bad_date = kBank + "昨天,,10.00,钱七,捐款\n";
  CHECK(code_of(bank(bad_date, profile)) == "time_invalid");
}

// Fuzz targets for the statement parsers: a WeChat Pay bill, an Alipay bill (GBK) and a bank CSV
// through a profile, with seeds made in each format. Besides not crashing, every line handed on
// must be money in or out of a real size with an id, and every refusal a known code.
#include <set>
#include <stdexcept>
#include <string>

#include "statements/alipay_bill.hpp"
#include "statements/bank_statement.hpp"
#include "statements/wechat_bill.hpp"
#include "tests/fuzz/fuzz_targets.hpp"
#include "tests/support/statement_files.hpp"

namespace boai::fuzz {

namespace {

const std::set<std::string>& known_codes() {
  static const std::set<std::string> kCodes = {
      "encoding_invalid",  "header_mismatch",      "columns_missing", "columns_extra",
      "merchant_mismatch", "currency_unsupported", "amount_invalid",  "time_invalid",
      "value_invalid",     "summary_mismatch",     "file_truncated",  "trailing_data",
      "line_too_long"};
  return kCodes;
}

// Runs a parser over the bytes and checks what it hands on and how it refuses.
template <typename Parse>
void check_parse(const std::uint8_t* data, std::size_t size, Parse&& parse) {
  statements::TextSource source(std::string_view(reinterpret_cast<const char*>(data), size));
  std::int64_t lines = 0;
  auto tally = parse(source, [&](const statements::StatementLine& l) -> std::expected<void, Error> {
    require(l.amount.fen() > 0, "a line moves money");
    require(l.fee_fen >= 0, "a fee is never negative");
    require(!l.txn_id.empty(), "a line has an id");
    require(l.line >= 1, "a line has a number");
    ++lines;
    return {};
  });
  if (!tally) {
    require(known_codes().contains(tally.error().code), "a known error code");
    return;
  }
  require(tally->rows >= lines && tally->skipped >= 0, "the tally counts the lines");
}

}  // namespace

void wechat_bill(const std::uint8_t* data, std::size_t size) {
  check_parse(data, size, [](statements::ByteSource& s, const statements::LineSink& sink) {
    return statements::parse_wechat_bill(s, {test::kMchid}, sink);
  });
}

void alipay_bill(const std::uint8_t* data, std::size_t size) {
  check_parse(data, size, [](statements::ByteSource& s, const statements::LineSink& sink) {
    return statements::parse_alipay_bill(s, {test::kSellerId}, sink);
  });
}

void bank_statement(const std::uint8_t* data, std::size_t size) {
  static const statements::BankProfile kProfile{"fuzz", "交易日期", "贷方发生额", "对方户名",
                                                "摘要", "",         "utf-8",      0};
  check_parse(data, size, [](statements::ByteSource& s, const statements::LineSink& sink) {
    return statements::parse_bank_statement(s, kProfile, sink);
  });
}

std::vector<std::string> wechat_bill_seeds() {
  test::WechatRow paid;
  paid.txn_id = "4200000001";
  paid.out_trade_no = "7KQ2MZ9D";
  paid.amount_fen = 10000;
  paid.fee_e5 = 60000;
  test::WechatRow refund = paid;
  refund.state = "REFUND";
  refund.refund_id = "50000000001";
  refund.refund_fen = 500;
  refund.fee_e5 = -3000;
  auto bill = test::wechat_bill({paid, refund});
  return {bill, bill.substr(0, bill.size() / 2), test::wechat_header(), ""};
}

std::vector<std::string> alipay_bill_seeds() {
  test::AlipayRow trade{"2026112822001400001",
                        "7KQ2MZ9D",
                        "交易",
                        "2026-11-28 10:00:05",
                        "张*(zha***@163.com)",
                        10000,
                        60,
                        "",
                        "捐款"};
  test::AlipayRow refund = trade;
  refund.kind = "退款";
  refund.received_fen = -3000;
  refund.refund_batch = "R1";
  auto utf8 = test::alipay_bill_utf8({trade, refund});
  auto half = utf8.substr(0, utf8.find("\r\n", utf8.size() / 2));  // whole characters
  return {test::gbk(utf8), utf8, test::gbk(half)};
}

std::vector<std::string> bank_statement_seeds() {
  return {
      "交易日期,贷方发生额,对方户名,摘要\n2026-11-28 09:30:00,100.00,张三,捐款 7KQ2MZ9D\n"
      "20261128,-5.00,某超市,采购\n2026/11/28,\"1,000.00\",\"李四, 王五\",\"say \"\"hi\"\"\"\n",
      "交易日期,贷方发生额,对方户名,摘要\r\n2026-11-28,0.01,a,b\r\n"};
}

}  // namespace boai::fuzz

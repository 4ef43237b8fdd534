// Statement files made by the tests and the benchmark in each provider's format: a WeChat Pay
// trade bill, an Alipay 业务明细 bill (in GBK) and a bank CSV, row by row, so a large one can be
// written to disk without being held.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace boai::test {

inline constexpr const char* kMchid = "1900000109";
inline constexpr const char* kSellerId = "2088101122136241";

struct WechatRow {
  std::string time = "2026-11-28 10:00:00";
  std::string mchid = kMchid;
  std::string txn_id;        // 微信订单号
  std::string out_trade_no;  // our reference
  std::string state = "SUCCESS";
  std::int64_t amount_fen = 0;  // 应结订单金额 and 订单金额
  std::int64_t fee_e5 = 0;      // 手续费 in 0.00001 yuan; a refund's is negative
  std::string refund_id;        // 微信退款单号, for state REFUND
  std::int64_t refund_fen = 0;
  std::string payer = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
  std::string goods = "捐款";
};

// "12.34" from 1234; "0.60000" from 60000 with five decimals.
std::string yuan(std::int64_t fen);
std::string yuan5(std::int64_t e5);

// The pieces of a WeChat bill: the BOM and header line, one row's line, and the summary lines
// for the rows added to a WechatSums.
std::string wechat_header();
std::string wechat_line(const WechatRow& row);
struct WechatSums {
  std::int64_t rows = 0, settlement = 0, refunds = 0, fee_e5 = 0;
  void add(const WechatRow& row);
  std::string summary() const;
};
// A whole bill: header, rows, summary.
std::string wechat_bill(const std::vector<WechatRow>& rows);

struct AlipayRow {
  std::string trade_no;
  std::string out_trade_no;
  std::string kind = "交易";  // or 退款
  std::string finished = "2026-11-28 10:00:05";
  std::string payer = "张*(zha***@163.com)";
  std::int64_t received_fen = 0;  // negative for a refund
  std::int64_t fee_fen = 0;       // 服务费, written negative as Alipay does
  std::string refund_batch;
  std::string goods = "捐款";
};
// A whole bill in UTF-8 (account, header, rows, footer); gbk() converts it as Alipay sends it.
std::string alipay_bill_utf8(const std::vector<AlipayRow>& rows,
                             const std::string& account = std::string(kSellerId) + "0156");
std::string gbk(const std::string& utf8);

}  // namespace boai::test

// The WeChat Pay trade bill (交易账单, bill_type ALL): UTF-8 with a byte order mark, a 27-column
// header, one row per order or refund with every value after a backtick, then a summary header
// and row that must agree with the rows. See docs/FINANCE.md "Statements".
#pragma once

#include <array>
#include <expected>
#include <string>
#include <string_view>

#include "statements/byte_source.hpp"
#include "statements/statement_line.hpp"

namespace boai::statements {

inline constexpr std::array<std::string_view, 27> kWechatColumns = {
    "交易时间",     "公众账号ID",   "商户号",       "特约商户号",   "设备号",   "微信订单号",
    "商户订单号",   "用户标识",     "交易类型",     "交易状态",     "付款银行", "货币种类",
    "应结订单金额", "代金券金额",   "微信退款单号", "商户退款单号", "退款金额", "充值券退款金额",
    "退款类型",     "退款状态",     "商品名称",     "商户数据包",   "手续费",   "费率",
    "订单金额",     "申请退款金额", "费率备注"};
inline constexpr std::array<std::string_view, 7> kWechatSummaryColumns = {
    "总交易单数",   "应结订单总金额", "退款总金额",    "充值券退款总金额",
    "手续费总金额", "订单总金额",     "申请退款总金额"};

struct WechatBillConfig {
  std::string mchid;  // the station's merchant number; every row must carry it
};

// Reads the bill, handing each payment (交易状态 SUCCESS) and refund (REFUND) to sink; revoked
// orders are skipped. Errors, each naming its line: encoding_invalid, header_mismatch,
// columns_missing, columns_extra, merchant_mismatch, currency_unsupported, amount_invalid,
// time_invalid, value_invalid, summary_mismatch, file_truncated (no summary, or a row cut off),
// trailing_data, line_too_long, and the sink's own.
std::expected<ParseTally, Error> parse_wechat_bill(ByteSource& source,
                                                   const WechatBillConfig& config,
                                                   const LineSink& sink);

}  // namespace boai::statements

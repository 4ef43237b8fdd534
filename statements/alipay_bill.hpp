// The Alipay trade bill (业务明细, bill_type trade): GBK text, `#` lines before and after, a
// 25-column header, one row per trade or refund, values often ending in a tab, and a footer with
// the count and sum of each. See docs/FINANCE.md "Statements".
#pragma once

#include <array>
#include <expected>
#include <string>
#include <string_view>

#include "statements/byte_source.hpp"
#include "statements/statement_line.hpp"

namespace boai::statements {

inline constexpr std::array<std::string_view, 25> kAlipayColumns = {"支付宝交易号",
                                                                    "商户订单号",
                                                                    "业务类型",
                                                                    "商品名称",
                                                                    "创建时间",
                                                                    "完成时间",
                                                                    "门店编号",
                                                                    "门店名称",
                                                                    "操作员",
                                                                    "终端号",
                                                                    "对方账户",
                                                                    "订单金额（元）",
                                                                    "商家实收（元）",
                                                                    "支付宝红包（元）",
                                                                    "集分宝（元）",
                                                                    "支付宝优惠（元）",
                                                                    "商家优惠（元）",
                                                                    "券核销金额（元）",
                                                                    "券名称",
                                                                    "商家红包消费金额（元）",
                                                                    "卡消费金额（元）",
                                                                    "退款批次号/请求号",
                                                                    "服务费（元）",
                                                                    "分润（元）",
                                                                    "备注"};

struct AlipayBillConfig {
  std::string seller_id;  // the station's 2088... partner id; the bill's 账号 must start with it
};

// Reads the bill (GBK bytes), handing each trade (业务类型 交易) and refund (退款) to sink; other
// kinds are skipped. Errors, each naming its line: encoding_invalid (not GBK, or a UTF-8 file),
// header_mismatch, columns_missing, columns_extra, merchant_mismatch, amount_invalid,
// time_invalid, value_invalid, summary_mismatch (the footer's counts or sums), file_truncated
// (no end-of-list line), line_too_long, and the sink's own.
std::expected<ParseTally, Error> parse_alipay_bill(ByteSource& gbk_source,
                                                   const AlipayBillConfig& config,
                                                   const LineSink& sink);

}  // namespace boai::statements

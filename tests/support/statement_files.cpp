// The statement files' text, written as the providers write them.
#include "tests/support/statement_files.hpp"

#include <glib.h>

#include <stdexcept>

namespace boai::test {

namespace {

std::string tick(const std::string& v) {
  return "`" + v;
}

}  // namespace

std::string yuan(std::int64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", fen < 0 ? "-" : "",
                static_cast<long long>((fen < 0 ? -fen : fen) / 100),
                static_cast<long long>((fen < 0 ? -fen : fen) % 100));
  return buf;
}

std::string yuan5(std::int64_t e5) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%05lld", e5 < 0 ? "-" : "",
                static_cast<long long>((e5 < 0 ? -e5 : e5) / 100000),
                static_cast<long long>((e5 < 0 ? -e5 : e5) % 100000));
  return buf;
}

std::string wechat_header() {
  return "\xEF\xBB\xBF"
         "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
         "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
         "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
         "费率备注\r\n";
}

std::string wechat_line(const WechatRow& r) {
  bool refund = r.state == "REFUND";
  const std::vector<std::string> values = {r.time,
                                           "wx2421b1c4370ec43b",
                                           r.mchid,
                                           "0",
                                           "",
                                           r.txn_id,
                                           r.out_trade_no,
                                           r.payer,
                                           "JSAPI",
                                           r.state,
                                           "CMB_CREDIT",
                                           "CNY",
                                           yuan(r.amount_fen),
                                           "0.00",
                                           refund ? r.refund_id : "0",
                                           refund ? "R" + r.out_trade_no : "0",
                                           yuan(refund ? r.refund_fen : 0),
                                           "0.00",
                                           refund ? "ORIGINAL" : "",
                                           refund ? "SUCCESS" : "",
                                           r.goods,
                                           "",
                                           yuan5(r.fee_e5),
                                           "0.60%",
                                           yuan(r.amount_fen),
                                           yuan(refund ? r.refund_fen : 0),
                                           ""};
  std::string line;
  for (std::size_t i = 0; i < values.size(); ++i) {
    line += (i == 0 ? "" : ",") + tick(values[i]);
  }
  return line + "\r\n";
}

void WechatSums::add(const WechatRow& r) {
  ++rows;
  fee_e5 += r.fee_e5;
  if (r.state == "REFUND") {
    refunds += r.refund_fen;
  } else if (r.state == "SUCCESS") {
    settlement += r.amount_fen;
  }
}

std::string WechatSums::summary() const {
  return "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
         "申请退款总金额\r\n" +
         tick(std::to_string(rows)) + "," + tick(yuan(settlement)) + "," + tick(yuan(refunds)) +
         "," + tick("0.00") + "," + tick(yuan5(fee_e5)) + "," + tick(yuan(settlement)) + "," +
         tick(yuan(refunds)) + "\r\n";
}

std::string wechat_bill(const std::vector<WechatRow>& rows) {
  std::string out = wechat_header();
  WechatSums sums;
  for (const auto& r : rows) {
    out += wechat_line(r);
    sums.add(r);
  }
  return out + sums.summary();
}

std::string alipay_bill_utf8(const std::vector<AlipayRow>& rows, const std::string& account) {
  std::string out =
      "#支付宝业务明细查询\r\n#账号：[" + account +
      "]\r\n#起始日期：[2026年11月28日 00:00:00]   终止日期：[2026年11月29日 00:00:00]\r\n"
      "#-----------------------------------------业务明细列表---------------------------------"
      "-------\r\n"
      "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,"
      "终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,"
      "支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,"
      "卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\r\n";
  std::int64_t trades = 0, trade_fen = 0, refunds = 0, refund_fen = 0;
  for (const auto& r : rows) {
    bool refund = r.kind == "退款";
    (refund ? refunds : trades) += 1;
    (refund ? refund_fen : trade_fen) += r.received_fen;
    std::string fee = r.fee_fen == 0 ? "0.00" : yuan(refund ? r.fee_fen : -r.fee_fen);
    out += r.trade_no + "\t," + r.out_trade_no + "\t," + r.kind + "\t," + r.goods + "\t," +
           r.finished + "\t," + r.finished + "\t,\t,\t,\t,\t," + r.payer + "\t," +
           yuan(r.received_fen) + "\t," + yuan(r.received_fen) +
           "\t,0.00\t,0.00\t,0.00\t,0.00\t,0.00\t,\t,0.00\t,0.00\t," + r.refund_batch + "\t," +
           fee + "\t,0.00\t,\r\n";
  }
  out +=
      "#-----------------------------------------业务明细列表结束------------------------------"
      "------\r\n#交易合计：" +
      std::to_string(trades) + "笔，商家实收共" + yuan(trade_fen) +
      "元，商家优惠共0.00元\r\n#退款合计：" + std::to_string(refunds) + "笔，商家实收共" +
      yuan(refund_fen) + "元，商家优惠共0.00元\r\n#导出时间：[2026年11月29日 10:21:12]\r\n";
  return out;
}

std::string gbk(const std::string& utf8) {
  gsize written = 0;
  GError* error = nullptr;
  gchar* out = g_convert(utf8.data(), static_cast<gssize>(utf8.size()), "GBK", "UTF-8", nullptr,
                         &written, &error);
  if (out == nullptr) {
    std::string why = error != nullptr ? error->message : "g_convert failed";
    g_clear_error(&error);
    throw std::runtime_error(why);
  }
  std::string text(out, written);
  g_free(out);
  return text;
}

}  // namespace boai::test

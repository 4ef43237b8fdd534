// parse_wechat_bill: header, rows into StatementLines, then the summary checked against the sums.
#include "statements/wechat_bill.hpp"

#include "statements/bill_fields.hpp"
#include "statements/column_check.hpp"
#include "statements/csv_reader.hpp"

namespace boai::statements {

namespace {

// Columns of kWechatColumns by name.
enum Column : std::size_t {
  kTime = 0,
  kMchid = 2,
  kTransactionId = 5,
  kOutTradeNo = 6,
  kPayer = 7,
  kState = 9,
  kCurrency = 11,
  kSettlement = 12,
  kRefundId = 14,
  kRefundAmount = 16,
  kRechargeRefund = 17,
  kGoods = 20,
  kAttach = 21,
  kFee = 22,
  kOrderAmount = 24,
  kRefundRequested = 25,
};

// What the summary row must equal: fen, and the fees in thousandths of a fen.
struct Sums {
  std::int64_t rows = 0;
  std::int64_t settlement = 0;        // 应结订单金额 of the orders (not of refund rows)
  std::int64_t refunds = 0;           // 退款金额 of the refund rows
  std::int64_t recharge_refunds = 0;  // 充值券退款金额 of the refund rows
  std::int64_t fee_e5 = 0;            // 手续费 of every row, a refund's negative
  std::int64_t order_amount = 0;      // 订单金额 of the orders
  std::int64_t refund_requested = 0;  // 申请退款金额 of the refund rows
};

class WechatRows {
 public:
  WechatRows(const WechatBillConfig& config, const LineSink& sink) : config_(config), sink_(sink) {}

  std::expected<void, Error> row(const CsvRecord& r, ParseTally& tally);
  std::expected<void, Error> summary(const CsvRecord& r) const;

 private:
  std::string_view v(const CsvRecord& r, Column c) const { return bill_value(r.fields[c]); }
  std::expected<void, Error> check_row(const CsvRecord& r) const;
  std::expected<void, Error> add_refund(const CsvRecord& r);
  std::expected<void, Error> add_payment(const CsvRecord& r);

  const WechatBillConfig& config_;
  const LineSink& sink_;
  Sums sums_;
  StatementLine line_;
};

std::expected<void, Error> WechatRows::check_row(const CsvRecord& r) const {
  if (auto w = check_width(r, kWechatColumns.size()); !w) {
    return w;
  }
  for (const auto& f : r.fields) {
    if (auto ok = check_utf8(f, r.line); !ok) {
      return ok;
    }
  }
  if (!config_.mchid.empty() && v(r, kMchid) != config_.mchid) {
    return std::unexpected(line_error(r.line, "merchant_mismatch",
                                      "the bill is for merchant " + std::string(v(r, kMchid)) +
                                          ", not the station's " + config_.mchid));
  }
  if (v(r, kCurrency) != "CNY") {
    return std::unexpected(line_error(r.line, "currency_unsupported",
                                      "货币种类 is \"" + std::string(v(r, kCurrency)) + "\""));
  }
  if (v(r, kTransactionId).empty() || v(r, kTransactionId).size() > 64) {
    return std::unexpected(line_error(r.line, "value_invalid", "微信订单号 is missing"));
  }
  return {};
}

std::expected<void, Error> WechatRows::add_payment(const CsvRecord& r) {
  auto settlement = bill_amount(v(r, kSettlement), r.line, "应结订单金额");
  if (!settlement) {
    return std::unexpected(settlement.error());
  }
  auto order = bill_amount(v(r, kOrderAmount), r.line, "订单金额");
  if (!order) {
    return std::unexpected(order.error());
  }
  if (settlement->fen() == 0) {
    return std::unexpected(line_error(r.line, "amount_invalid", "a payment of ¥0"));
  }
  sums_.settlement += settlement->fen();
  sums_.order_amount += order->fen();
  line_.kind = LineKind::kPayment;
  line_.txn_id = v(r, kTransactionId);
  line_.original_txn_id.clear();
  line_.amount = *settlement;
  return {};
}

std::expected<void, Error> WechatRows::add_refund(const CsvRecord& r) {
  auto refund = bill_amount(v(r, kRefundAmount), r.line, "退款金额");
  if (!refund) {
    return std::unexpected(refund.error());
  }
  auto requested = bill_amount(v(r, kRefundRequested), r.line, "申请退款金额");
  if (!requested) {
    return std::unexpected(requested.error());
  }
  auto recharge = bill_amount(v(r, kRechargeRefund), r.line, "充值券退款金额");
  if (!recharge) {
    return std::unexpected(recharge.error());
  }
  sums_.recharge_refunds += recharge->fen();
  if (refund->fen() == 0 || v(r, kRefundId).empty()) {
    return std::unexpected(line_error(r.line, "value_invalid", "a refund row without a refund"));
  }
  sums_.refunds += refund->fen();
  sums_.refund_requested += requested->fen();
  line_.kind = LineKind::kRefund;
  line_.txn_id = v(r, kRefundId);
  line_.original_txn_id = v(r, kTransactionId);
  line_.amount = *refund;
  return {};
}

std::expected<void, Error> WechatRows::row(const CsvRecord& r, ParseTally& tally) {
  if (auto ok = check_row(r); !ok) {
    return ok;
  }
  ++tally.rows;
  ++sums_.rows;
  auto state = v(r, kState);
  auto fee = fee_e5(v(r, kFee), r.line, "手续费");
  if (!fee) {
    return std::unexpected(fee.error());
  }
  sums_.fee_e5 += *fee;
  if (state == "REVOKED") {
    ++tally.skipped;
    return {};
  }
  std::expected<void, Error> added;
  if (state == "SUCCESS") {
    added = add_payment(r);
  } else if (state == "REFUND") {
    added = add_refund(r);
  } else {
    return std::unexpected(
        line_error(r.line, "value_invalid", "交易状态 \"" + std::string(state) + "\" is unknown"));
  }
  if (!added) {
    return added;
  }
  if ((*fee < 0) != (line_.kind == LineKind::kRefund) && *fee != 0) {
    return std::unexpected(line_error(r.line, "amount_invalid", "手续费 has the wrong sign"));
  }
  auto at = local_time_us(v(r, kTime), r.line, "交易时间");
  if (!at) {
    return std::unexpected(at.error());
  }
  line_.line = r.line;
  line_.occurred_us = *at;
  line_.fee_fen = fee_e5_to_fen(*fee < 0 ? -*fee : *fee);
  line_.reference = v(r, kOutTradeNo);
  line_.counterparty = v(r, kPayer);
  line_.remark = std::string(v(r, kGoods));
  if (!v(r, kAttach).empty()) {
    line_.remark += " " + std::string(v(r, kAttach));
  }
  return sink_(line_);
}

std::expected<void, Error> WechatRows::summary(const CsvRecord& r) const {
  if (auto w = check_width(r, kWechatSummaryColumns.size()); !w) {
    return w;
  }
  auto mismatch = [&](std::size_t column, const std::string& rows_say) {
    return std::unexpected(line_error(r.line, "summary_mismatch",
                                      std::string(kWechatSummaryColumns[column]) + " is " +
                                          std::string(bill_value(r.fields[column])) +
                                          " but the rows add up to " + rows_say));
  };
  if (bill_value(r.fields[0]) != std::to_string(sums_.rows)) {
    return mismatch(0, std::to_string(sums_.rows));
  }
  const std::array<std::pair<std::size_t, std::int64_t>, 5> fen_columns = {
      {{1, sums_.settlement},
       {2, sums_.refunds},
       {3, sums_.recharge_refunds},
       {5, sums_.order_amount},
       {6, sums_.refund_requested}}};
  for (auto [column, want] : fen_columns) {
    auto got = bill_amount(bill_value(r.fields[column]), r.line, "the summary");
    if (!got) {
      return std::unexpected(got.error());
    }
    if (got->fen() != want) {
      return mismatch(column, donations::Money::from_fen(want).format_plain());
    }
  }
  auto fees = fee_e5(bill_value(r.fields[4]), r.line, "手续费总金额");
  if (!fees) {
    return std::unexpected(fees.error());
  }
  if (*fees != sums_.fee_e5) {
    return mismatch(4, std::to_string(sums_.fee_e5) + " hundred-thousandths of a yuan");
  }
  return {};
}

bool blank(const CsvRecord& r) {
  return r.fields.size() == 1 && trimmed(r.fields[0]).empty();
}

}  // namespace

std::expected<ParseTally, Error> parse_wechat_bill(ByteSource& source,
                                                   const WechatBillConfig& config,
                                                   const LineSink& sink) {
  CsvReader reader(source);
  CsvRecord record;
  auto more = reader.next(record);
  if (!more || !*more) {
    return std::unexpected(more ? make_error("file_truncated", "line 1: the file is empty")
                                : more.error());
  }
  if (auto h = check_header(record, kWechatColumns); !h) {
    return std::unexpected(h.error());
  }
  WechatRows rows(config, sink);
  ParseTally tally;
  for (;;) {
    more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      return std::unexpected(
          make_error("file_truncated", "line " + std::to_string(reader.lines() + 1) +
                                           ": the file ends before the summary (总交易单数 ...)"));
    }
    if (bill_value(record.fields[0]) == kWechatSummaryColumns[0]) {
      break;
    }
    if (auto ok = rows.row(record, tally); !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (auto h = check_header(record, kWechatSummaryColumns); !h) {
    return std::unexpected(h.error());
  }
  more = reader.next(record);
  if (!more || !*more) {
    return std::unexpected(
        more ? make_error("file_truncated", "line " + std::to_string(reader.lines() + 1) +
                                                ": the summary row is missing")
             : more.error());
  }
  if (auto s = rows.summary(record); !s) {
    return std::unexpected(s.error());
  }
  while (true) {
    more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      return tally;
    }
    if (!blank(record)) {
      return std::unexpected(
          line_error(record.line, "trailing_data", "rows after the summary row"));
    }
  }
}

}  // namespace boai::statements

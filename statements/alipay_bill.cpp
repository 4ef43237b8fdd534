// parse_alipay_bill: the `#` preamble (the account checked), the header, the rows, and the footer's
// counts and sums checked against the rows.
#include "statements/alipay_bill.hpp"

#include <cstring>
#include <optional>

#include "statements/bill_fields.hpp"
#include "statements/column_check.hpp"
#include "statements/csv_reader.hpp"

namespace boai::statements {

namespace {

enum Column : std::size_t {
  kTradeNo = 0,
  kOutTradeNo = 1,
  kKind = 2,
  kGoods = 3,
  kFinished = 5,
  kPayer = 10,
  kReceived = 12,
  kRefundBatch = 21,
  kFee = 22,
  kNote = 24,
};

// The first bytes of the file, read to tell a UTF-8 file from GBK, then the rest.
class Replay final : public ByteSource {
 public:
  explicit Replay(ByteSource& inner) : inner_(inner) {}
  std::expected<std::string_view, Error> head() {
    char buf[64];
    auto n = inner_.read(buf, sizeof buf);
    if (!n) {
      return std::unexpected(n.error());
    }
    head_.assign(buf, *n);
    return std::string_view(head_);
  }
  std::expected<std::size_t, Error> read(char* buffer, std::size_t size) override {
    if (served_ < head_.size()) {
      std::size_t n = std::min(size, head_.size() - served_);
      std::memcpy(buffer, head_.data() + served_, n);
      served_ += n;
      return n;
    }
    return inner_.read(buffer, size);
  }

 private:
  ByteSource& inner_;
  std::string head_;
  std::size_t served_ = 0;
};

struct Tally {
  std::int64_t count = 0;
  std::int64_t fen = 0;  // 商家实收, signed
};

// "#交易合计：2笔，商家实收共300.00元，..." -> count and sum; nullopt when the line is not one.
std::optional<std::pair<std::int64_t, std::string>> footer_total(std::string_view line,
                                                                 std::string_view label) {
  if (!line.starts_with(label)) {
    return std::nullopt;
  }
  auto rest = line.substr(label.size());
  auto bi = rest.find("笔");
  auto from = rest.find("商家实收共");
  if (bi == std::string_view::npos || from == std::string_view::npos) {
    return std::nullopt;
  }
  auto amount = rest.substr(from + std::strlen("商家实收共"));
  auto yuan = amount.find("元");
  if (yuan == std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t count = 0;
  for (char c : rest.substr(0, bi)) {
    if (c < '0' || c > '9' || count > 1'000'000'000'000) {
      return std::nullopt;
    }
    count = count * 10 + (c - '0');
  }
  return std::make_pair(count, std::string(amount.substr(0, yuan)));
}

class AlipayRows {
 public:
  AlipayRows(const LineSink& sink) : sink_(sink) {}
  std::expected<void, Error> row(const CsvRecord& r, ParseTally& tally);
  std::expected<void, Error> footer(const CsvRecord& r) const;

 private:
  std::string_view v(const CsvRecord& r, Column c) const { return bill_value(r.fields[c]); }
  std::expected<void, Error> check_total(const CsvRecord& r, const Tally& rows,
                                         const std::pair<std::int64_t, std::string>& says) const;

  const LineSink& sink_;
  StatementLine line_;
  Tally trades_;
  Tally refunds_;
};

std::expected<void, Error> AlipayRows::row(const CsvRecord& r, ParseTally& tally) {
  if (auto w = check_width(r, kAlipayColumns.size()); !w) {
    return w;
  }
  ++tally.rows;
  auto kind = v(r, kKind);
  bool refund = kind == "退款";
  if (kind != "交易" && !refund) {
    ++tally.skipped;
    return {};
  }
  auto received = signed_bill_amount(v(r, kReceived), r.line, "商家实收（元）");
  if (!received) {
    return std::unexpected(received.error());
  }
  if (received->negative != refund || received->size.fen() == 0) {
    return std::unexpected(line_error(
        r.line, "amount_invalid",
        refund ? "a refund's 商家实收 is below zero" : "a trade's 商家实收 is above zero"));
  }
  auto fee = signed_bill_amount(v(r, kFee), r.line, "服务费（元）");
  if (!fee) {
    return std::unexpected(fee.error());
  }
  auto at = local_time_us(v(r, kFinished), r.line, "完成时间");
  if (!at) {
    return std::unexpected(at.error());
  }
  if (v(r, kTradeNo).empty() || v(r, kTradeNo).size() > 64 ||
      (refund && v(r, kRefundBatch).empty())) {
    return std::unexpected(line_error(r.line, "value_invalid", "支付宝交易号 is missing"));
  }
  Tally& t = refund ? refunds_ : trades_;
  ++t.count;
  t.fen += refund ? -received->size.fen() : received->size.fen();
  line_.line = r.line;
  line_.kind = refund ? LineKind::kRefund : LineKind::kPayment;
  line_.txn_id = refund ? std::string(v(r, kTradeNo)) + "/" + std::string(v(r, kRefundBatch))
                        : std::string(v(r, kTradeNo));
  line_.original_txn_id = refund ? v(r, kTradeNo) : "";
  line_.reference = v(r, kOutTradeNo);
  line_.occurred_us = *at;
  line_.amount = received->size;
  line_.fee_fen = fee->size.fen();
  line_.counterparty = v(r, kPayer);
  line_.remark = std::string(v(r, kGoods));
  if (!v(r, kNote).empty()) {
    line_.remark += " " + std::string(v(r, kNote));
  }
  return sink_(line_);
}

std::expected<void, Error> AlipayRows::check_total(
    const CsvRecord& r, const Tally& rows, const std::pair<std::int64_t, std::string>& says) const {
  auto sum = signed_bill_amount(says.second, r.line, "商家实收共");
  if (!sum) {
    return std::unexpected(sum.error());
  }
  std::int64_t fen = sum->negative ? -sum->size.fen() : sum->size.fen();
  if (says.first != rows.count || fen != rows.fen) {
    return std::unexpected(line_error(r.line, "summary_mismatch",
                                      "the footer says " + std::to_string(says.first) +
                                          " rows and " + says.second + " but the rows are " +
                                          std::to_string(rows.count) + " and " +
                                          donations::Money::from_fen(rows.fen).format_plain()));
  }
  return {};
}

std::expected<void, Error> AlipayRows::footer(const CsvRecord& r) const {
  auto text = r.joined();
  if (auto t = footer_total(text, "#交易合计："); t) {
    return check_total(r, trades_, *t);
  }
  if (auto t = footer_total(text, "#退款合计："); t) {
    return check_total(r, refunds_, *t);
  }
  return {};
}

bool comment(const CsvRecord& r) {
  return !r.fields.empty() && r.fields[0].starts_with('#');
}

// The preamble: `#` lines up to the header, the 账号 checked. Leaves the header in record.
std::expected<void, Error> preamble(CsvReader& reader, CsvRecord& record,
                                    const AlipayBillConfig& config) {
  std::string account;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      return std::unexpected(make_error("file_truncated", "the file ends before the header"));
    }
    if (!comment(record)) {
      break;
    }
    auto text = record.joined();
    if (auto at = text.find("账号：["); at != std::string::npos) {
      auto from = at + std::strlen("账号：[");
      account = text.substr(from, text.find(']', from) - from);
    }
  }
  if (!config.seller_id.empty() && !account.starts_with(config.seller_id)) {
    return std::unexpected(line_error(
        record.line, "merchant_mismatch",
        "the bill is for account " + account + ", not the station's " + config.seller_id));
  }
  return {};
}

}  // namespace

std::expected<ParseTally, Error> parse_alipay_bill(ByteSource& gbk_source,
                                                   const AlipayBillConfig& config,
                                                   const LineSink& sink) {
  Replay raw(gbk_source);
  auto head = raw.head();
  if (!head) {
    return std::unexpected(head.error());
  }
  if (head->starts_with("\xEF\xBB\xBF") || head->starts_with("#支付宝")) {
    return std::unexpected(make_error(
        "encoding_invalid", "line 1: the file is UTF-8; Alipay's bills are GBK as downloaded"));
  }
  GbkSource utf8(raw);
  CsvReader reader(utf8);
  CsvRecord record;
  if (auto p = preamble(reader, record, config); !p) {
    return std::unexpected(p.error());
  }
  if (auto h = check_header(record, kAlipayColumns); !h) {
    return std::unexpected(h.error());
  }
  AlipayRows rows(sink);
  ParseTally tally;
  bool listed = false;
  for (;;) {
    auto more = reader.next(record);
    if (!more) {
      return std::unexpected(more.error());
    }
    if (!*more) {
      break;
    }
    if (comment(record)) {
      listed = listed || record.fields[0].find("业务明细列表结束") != std::string::npos;
      if (auto f = rows.footer(record); !f) {
        return std::unexpected(f.error());
      }
      continue;
    }
    if (listed) {
      return std::unexpected(line_error(record.line, "trailing_data", "rows after the list"));
    }
    if (auto ok = rows.row(record, tally); !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (!listed) {
    return std::unexpected(
        make_error("file_truncated", "line " + std::to_string(reader.lines() + 1) +
                                         ": the file ends before #----业务明细列表结束----"));
  }
  return tally;
}

}  // namespace boai::statements

// LedgerAppender: the chain is computed here, in one place, with OpenSSL.
#include "donations/ledger_appender.hpp"

#include <chrono>

namespace boai::donations {

using sql::param;
using sql::params;

namespace {
Error failed(const sql::DbError& e) { return Error{e.code, e.message}; }

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

TotalsColumn totals_column(const std::string& kind) {
  if (kind == "pledge") return TotalsColumn::kPledged;
  if (kind == "cancel" || kind == "expire") return TotalsColumn::kCancelled;
  if (kind == "payment" || kind == "correction_received") return TotalsColumn::kReceived;
  if (kind == "refund") return TotalsColumn::kRefunded;
  if (kind == "expenditure" || kind == "correction_spent") return TotalsColumn::kSpent;
  return TotalsColumn::kNone;
}

std::expected<LedgerAppender, Error> LedgerAppender::lock(sql::Connection& conn) {
  auto head = conn.exec("SELECT last_seq, last_hash FROM ledger_head FOR UPDATE");
  if (!head) return std::unexpected(failed(head.error()));
  LedgerAppender a(conn);
  a.last_seq_ = head->int64(0, 0);
  a.last_hash_ = std::string(head->text(0, 1));
  auto last = conn.exec("SELECT recorded_us FROM ledger_entries WHERE seq = $1",
                        params(a.last_seq_));
  if (!last) return std::unexpected(failed(last.error()));
  if (last->rows() == 1) a.last_us_ = last->int64(0, 0);
  return a;
}

std::expected<LedgerEntry, Error> LedgerAppender::append(LedgerEntry e) {
  e.seq = last_seq_ + 1;
  // Entries never go back in time, even if the clock does.
  e.recorded_us = std::max(now_us(), last_us_);
  e.prev_hash = last_hash_;
  e.entry_hash = entry_hash(e);
  auto opt = [](const std::optional<std::int64_t>& v) -> sql::Param {
    return v ? param(*v) : std::nullopt;
  };
  auto r = conn_->exec(
      "INSERT INTO ledger_entries (seq, kind, recorded_us, campaign_id, fund_id, pledge_id, "
      "payment_id, object_id, amount_fen, public_name, reference, memo, prev_hash, entry_hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {param(e.seq), param(e.kind), param(e.recorded_us), opt(e.campaign_id), param(e.fund_id),
       opt(e.pledge_id), opt(e.payment_id), opt(e.object_id), param(e.amount_fen),
       param(e.public_name), param(e.reference), param(e.memo), param(e.prev_hash),
       param(e.entry_hash)});
  if (!r) return std::unexpected(failed(r.error()));
  last_seq_ = e.seq;
  last_hash_ = e.entry_hash;
  last_us_ = e.recorded_us;

  auto& d = deltas_[{e.campaign_id.value_or(0), e.fund_id}];
  switch (totals_column(e.kind)) {
    case TotalsColumn::kPledged:
      d.pledged += e.amount_fen;
      d.count += 1;
      break;
    case TotalsColumn::kCancelled: d.cancelled += e.amount_fen; break;
    case TotalsColumn::kReceived: d.received += e.amount_fen; break;
    case TotalsColumn::kRefunded: d.refunded += e.amount_fen; break;
    case TotalsColumn::kSpent: d.spent += e.amount_fen; break;
    case TotalsColumn::kNone: break;
  }
  return e;
}

std::expected<void, Error> LedgerAppender::finish() {
  for (const auto& [key, d] : deltas_) {
    auto r = conn_->exec(
        "INSERT INTO ledger_totals AS t (campaign_id, fund_id, pledged_fen, cancelled_fen, "
        "received_fen, refunded_fen, spent_fen, pledge_count) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (campaign_id, fund_id) DO UPDATE SET "
        "pledged_fen = t.pledged_fen + EXCLUDED.pledged_fen, "
        "cancelled_fen = t.cancelled_fen + EXCLUDED.cancelled_fen, "
        "received_fen = t.received_fen + EXCLUDED.received_fen, "
        "refunded_fen = t.refunded_fen + EXCLUDED.refunded_fen, "
        "spent_fen = t.spent_fen + EXCLUDED.spent_fen, "
        "pledge_count = t.pledge_count + EXCLUDED.pledge_count",
        params(key.first, key.second, d.pledged, d.cancelled, d.received, d.refunded, d.spent,
               d.count));
    if (!r) return std::unexpected(failed(r.error()));
  }
  deltas_.clear();
  auto r = conn_->exec("UPDATE ledger_head SET last_seq = $1, last_hash = $2",
                       params(last_seq_, last_hash_));
  if (!r) return std::unexpected(failed(r.error()));
  return {};
}

}  // namespace boai::donations

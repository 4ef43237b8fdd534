// Corrections: one transaction that holds the ledger's head, writes the correction's row and
// appends its entry (the period trigger refuses it only if the clock said a closed period).
#include "donations/corrections.hpp"

#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/payments.hpp"
#include "donations/period_dates.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/text_rules.hpp"
#include "sql/params.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

std::expected<Money, Error> parse_signed_yuan(std::string_view text) {
  bool negative = text.starts_with('-');
  auto m = Money::parse(negative ? text.substr(1) : text);
  if (!m) {
    return m;
  }
  return negative ? Money::from_fen(-m->fen()) : *m;
}

namespace {

std::expected<void, Error> check(const CorrectionRequest& req, const Period& period) {
  if (period.ends_us > now_us()) {
    return std::unexpected(make_error(
        "period_not_ended", period.name + " has not ended: record the right entries instead"));
  }
  auto magnitude = req.amount.fen() < 0 ? -req.amount.fen() : req.amount.fen();
  if (magnitude == 0 || magnitude > kMaxPayment.fen()) {
    return std::unexpected(
        make_error("amount_out_of_range",
                   "a correction is not zero and at most " + kMaxPayment.format() + " either way"));
  }
  for (const auto* text : {&req.reason, &req.by}) {
    if (!is_storable_text(*text) || trim_text(*text).empty() || char_count(*text) > 200) {
      return std::unexpected(make_error(
          "text_invalid", "a correction needs a reason and a name, up to 200 characters"));
    }
  }
  return {};
}

}  // namespace

std::expected<Correction, Error> record_correction(sql::Connection& conn,
                                                   const CorrectionRequest& req) {
  auto period = parse_period(req.period);
  if (!period) {
    return std::unexpected(period.error());
  }
  if (auto checked = check(req, *period); !checked) {
    return std::unexpected(checked.error());
  }
  std::string kind = req.received ? "correction_received" : "correction_spent";
  std::string memo =
      "更正 " + period->name + ": " + trim_text(req.reason) + " (" + trim_text(req.by) + ")";
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Correction, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) {
      return std::unexpected(ledger.error());
    }
    auto target = detail::fund_and_campaign(tx, req.fund, req.campaign);
    if (!target) {
      return std::unexpected(target.error());
    }
    auto [fund_id, campaign_id] = *target;
    auto ins = tx.exec(
        "INSERT INTO corrections (period, kind, fund_id, campaign_id, amount_fen, reason, "
        "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {param(period->name), param(kind), param(fund_id),
         campaign_id ? param(*campaign_id) : std::nullopt, param(req.amount.fen()),
         param(trim_text(req.reason)), param(trim_text(req.by))});
    if (!ins) {
      return std::unexpected(failed(ins.error()));
    }
    LedgerEntry entry;
    entry.kind = kind;
    entry.campaign_id = campaign_id;
    entry.fund_id = fund_id;
    entry.object_id = ins->int64(0, 0);
    entry.amount_fen = req.amount.fen();
    entry.public_name = "";
    entry.reference = period->name;
    entry.memo = memo;
    auto appended = ledger->append(entry);
    if (auto f = ledger->finish(); !f) {
      return std::unexpected(f.error());
    }
    if (auto o =
            add_outbox_event(tx, "correction.recorded", campaign_id.value_or(0), ins->int64(0, 0));
        !o) {
      return std::unexpected(o.error());
    }
    return Correction{ins->int64(0, 0), appended.seq, kind, req.amount, memo};
  });
}

}  // namespace boai::donations

// The notices' SQL: one INSERT ... ON CONFLICT to keep (or count) a notice, record_payment to
// apply it, one UPDATE to write the outcome.
#include "notices/notice_store.hpp"

#include "donations/payments.hpp"

namespace boai::notices {

namespace {

using sql::param;
using sql::params;

Error db_error(const sql::DbError& e) {
  return Error{e.code, e.message};
}

struct Kept {
  std::int64_t id = 0;
  std::string outcome;
  std::optional<std::int64_t> payment_id;
};

std::expected<Kept, Error> keep(sql::Connection& conn, const VerifiedNotice& n) {
  auto r = conn.exec(
      "INSERT INTO payment_notices (via, provider, provider_txn_id, trade_state, paid, reference, "
      "amount_fen, paid_at, remark, raw_headers, raw_body, resource) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, 'epoch'::timestamptz + $8::bigint * interval '1 microsecond', $9, $10, $11, $12) "
      "ON CONFLICT (provider, provider_txn_id, trade_state) DO UPDATE SET "
      "deliveries = payment_notices.deliveries + 1, last_received_at = now() "
      "RETURNING id, outcome, payment_id",
      {param(n.via), param(n.provider), param(n.txn_id), param(n.state), param(n.paid),
       param(n.reference), param(n.amount.fen()), n.paid_us ? param(*n.paid_us) : std::nullopt,
       param(n.remark), param(n.raw_headers), param(n.raw_body), param(n.resource)});
  if (!r) {
    return std::unexpected(db_error(r.error()));
  }
  Kept kept{r->int64(0, 0), std::string(r->text(0, 1)), std::nullopt};
  if (!r->is_null(0, 2)) {
    kept.payment_id = r->int64(0, 2);
  }
  return kept;
}

// The outcome, once; a notice for finance joins the desk's exception queue in the same statement:
// a reference nobody has, or a pledge that takes no money, is money without its pledge; another
// amount, or a transaction recorded before with another amount, an amount that differs.
constexpr const char* kDecide = R"(
WITH decided AS (
  UPDATE payment_notices SET outcome = $2, outcome_detail = $3, payment_id = $4, decided_at = now()
  WHERE id = $1 AND outcome = 'received'
  RETURNING id, outcome, reference, amount_fen, outcome_detail),
queued AS (
  INSERT INTO reconcile_exceptions (kind, notice_id, pledge_id, expected_fen, actual_fen, detail)
  SELECT CASE WHEN d.outcome IN ('unknown_reference', 'not_payable')
              THEN 'payment_without_pledge' ELSE 'amount_differs' END,
         d.id, p.id, p.amount_fen - p.paid_fen, d.amount_fen, d.outcome_detail
  FROM decided d LEFT JOIN pledges p ON p.reference = d.reference AND d.reference <> ''
  WHERE d.outcome IN ('unknown_reference', 'amount_differs', 'not_payable', 'conflict'))
SELECT count(*) FROM decided)";

// What record_payment's refusals mean for a verified notice: the exception queue.
std::optional<std::string> exception_for(const std::string& code) {
  if (code == "pledge_not_found") {
    return "unknown_reference";
  }
  if (code == "amount_differs") {
    return "amount_differs";
  }
  if (code == "pledge_not_payable") {
    return "not_payable";
  }
  if (code == "payment_conflict") {
    return "conflict";
  }
  return std::nullopt;
}

std::expected<NoticeResult, Error> apply(sql::Connection& conn, const VerifiedNotice& n,
                                         std::int64_t notice_id) {
  NoticeResult result{notice_id, "not_paid", "", std::nullopt, std::nullopt, false};
  if (n.paid) {
    donations::PaymentRequest request;
    request.provider = n.provider;
    request.provider_txn_id = n.txn_id;
    request.amount = n.amount;
    request.paid_us = n.paid_us;
    request.reference = n.reference;
    request.payer_remark = n.remark;
    request.raw_notice = n.resource.empty() ? n.raw_body : n.resource;
    request.exact_amount = true;
    auto payment = donations::record_payment(conn, request);
    if (payment) {
      result.outcome = "applied";
      result.payment_id = payment->id;
      if (payment->pledge) {
        result.campaign_id = payment->pledge->campaign_id;
      }
    } else if (auto exception = exception_for(payment.error().code)) {
      result.outcome = *exception;
      result.detail = payment.error().message;
    } else {
      return std::unexpected(payment.error());
    }
  }
  auto u = conn.exec(kDecide, {param(notice_id), param(result.outcome), param(result.detail),
                               result.payment_id ? param(*result.payment_id) : std::nullopt});
  if (!u) {
    return std::unexpected(db_error(u.error()));
  }
  // Another delivery of the same notice, at the same moment, decided it first: this one is a
  // repeat (record_payment answered it with that delivery's payment).
  result.repeated = u->int64(0, 0) == 0;
  return result;
}

}  // namespace

bool is_exception(const std::string& outcome) {
  return outcome == "unknown_reference" || outcome == "amount_differs" ||
         outcome == "not_payable" || outcome == "conflict";
}

std::expected<NoticeResult, Error> keep_and_apply(sql::Connection& conn,
                                                  const VerifiedNotice& notice) {
  auto kept = keep(conn, notice);
  if (!kept) {
    return std::unexpected(kept.error());
  }
  if (kept->outcome != "received") {
    // Decided at an earlier delivery: a retry or a replay changes nothing.
    return NoticeResult{kept->id, kept->outcome, "", kept->payment_id, std::nullopt, true};
  }
  return apply(conn, notice, kept->id);
}

std::expected<std::vector<StoredNotice>, Error> notices_for_reference(
    sql::Connection& conn, const std::string& reference) {
  auto r = conn.exec(
      "SELECT id, via, provider, provider_txn_id, trade_state, amount_fen, outcome, "
      "outcome_detail, deliveries, "
      "to_char(first_received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') "
      "FROM payment_notices WHERE reference = $1 ORDER BY id",
      params(reference));
  if (!r) {
    return std::unexpected(db_error(r.error()));
  }
  std::vector<StoredNotice> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({r->int64(i, 0), std::string(r->text(i, 1)), std::string(r->text(i, 2)),
                   std::string(r->text(i, 3)), std::string(r->text(i, 4)),
                   donations::Money::from_fen(r->int64(i, 5)), std::string(r->text(i, 6)),
                   std::string(r->text(i, 7)), r->int64(i, 8), std::string(r->text(i, 9))});
  }
  return out;
}

}  // namespace boai::notices

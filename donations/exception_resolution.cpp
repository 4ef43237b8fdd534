// The exception's row is locked first, then the money functions take the ledger head: the order
// approvals keep too (request, exception, head), and nothing that holds the head waits for an
// exception's row, so the two cannot deadlock.
#include "donations/exception_resolution.hpp"

#include <algorithm>
#include <vector>

#include "donations/payments.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/pledges.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace {

constexpr const char* kFind = R"(
SELECT e.kind, e.status, e.notice_id IS NOT NULL, coalesce(p.reference, ''),
       coalesce(e.expected_fen, 0), coalesce(e.actual_fen, 0), e.line_id IS NOT NULL,
       l.payment_id, n.provider, n.provider_txn_id, n.amount_fen,
       (extract(epoch FROM n.paid_at) * 1000000)::bigint, n.remark,
       CASE WHEN n.resource <> '' THEN n.resource ELSE n.raw_body END, n.reference
FROM reconcile_exceptions e
LEFT JOIN pledges p ON p.id = e.pledge_id
LEFT JOIN statement_lines l ON l.id = e.line_id
LEFT JOIN payment_notices n ON n.id = e.notice_id
WHERE e.id = $1
FOR UPDATE OF e)";

// One exception as resolving needs it.
struct Found {
  std::string kind;
  std::string status;
  bool from_notice = false;
  bool from_line = false;
  std::string reference;  // the pledge it concerns, if any
  Money expected;
  Money actual;
  std::optional<std::int64_t> line_payment_id;  // a statement line's payment, once posted
  PaymentRequest notice_payment;                // a notice's money, not yet recorded
};

Found found_of(const sql::Result& r) {
  Found f;
  f.kind = r.text(0, 0);
  f.status = r.text(0, 1);
  f.from_notice = r.boolean(0, 2);
  f.reference = r.text(0, 3);
  f.expected = Money::from_fen(r.int64(0, 4));
  f.actual = Money::from_fen(r.int64(0, 5));
  f.from_line = r.boolean(0, 6);
  if (!r.is_null(0, 7)) {
    f.line_payment_id = r.int64(0, 7);
  }
  if (f.from_notice) {
    auto& p = f.notice_payment;
    p.provider = r.text(0, 8);
    p.provider_txn_id = r.text(0, 9);
    p.amount = Money::from_fen(r.int64(0, 10));
    if (!r.is_null(0, 11)) {
      p.paid_us = r.int64(0, 11);
    }
    p.payer_remark = r.text(0, 12);
    p.raw_notice = r.text(0, 13);
    p.reference = r.text(0, 14);
  }
  return f;
}

}  // namespace

std::vector<std::string> actions_for(const std::string& kind, const std::string& source,
                                     bool names_pledge) {
  if (source == "notice") {
    // The provider says the money arrived; no payment is recorded for it yet.
    if (kind == "amount_differs" && names_pledge) {
      return {"assign", "keep", "accept", "dismiss"};
    }
    return {"assign", "keep", "dismiss"};
  }
  if (kind == "pledge_without_payment") {
    return {"write_off"};
  }
  if (kind == "refund") {
    return {"refund", "dismiss"};
  }
  if (kind == "amount_differs") {
    return {"accept"};  // posted to its pledge already
  }
  return {"assign", "keep"};  // a statement's payment kept in the general fund
}

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    out += (out.empty() ? "" : ", ") + w;
  }
  return out;
}

// The notice's money recorded now: for a pledge (assign, accept) or kept unmatched (keep).
std::expected<void, Error> record_notice_money(sql::Connection& tx, std::int64_t exception_id,
                                               const Found& f, const Resolution& r) {
  PaymentRequest request = f.notice_payment;
  if (r.action == "assign") {
    request.reference = r.reference;
  } else if (r.action == "keep") {
    request.unmatched = true;
  }
  auto payment = detail::record_payment_in(tx, request);
  if (!payment) {
    return std::unexpected(payment.error());
  }
  auto u = tx.exec(
      "WITH e AS (UPDATE reconcile_exceptions SET pledge_id = $3 WHERE id = $1 "
      "RETURNING notice_id) "
      "UPDATE payment_notices n SET payment_id = $2 FROM e WHERE n.id = e.notice_id",
      {param(exception_id), param(payment->id),
       payment->pledge ? param(payment->pledge->id) : std::nullopt});
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  return {};
}

// A statement's payment kept unmatched, given to the pledge staff named.
std::expected<void, Error> assign_line_payment(sql::Connection& tx, std::int64_t exception_id,
                                               const Found& f, const Resolution& r) {
  if (!f.line_payment_id) {
    return std::unexpected(make_error(
        "line_not_posted", "the line is not a payment yet: run boai reconcile post first"));
  }
  auto payment =
      detail::assign_payment_in(tx, *f.line_payment_id, r.reference, r.reason + " (" + r.by + ")");
  if (!payment) {
    return std::unexpected(payment.error());
  }
  auto u = tx.exec(
      "UPDATE reconcile_exceptions e SET pledge_id = p.id FROM pledges p "
      "WHERE e.id = $1 AND p.reference = $2",
      params(exception_id, r.reference));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  return {};
}

// The money the action moves at once, inside the transaction (nothing for keep on a line,
// accept on a line, dismiss).
std::expected<void, Error> move_money(sql::Connection& tx, std::int64_t exception_id,
                                      const Found& f, const Resolution& r,
                                      const std::string& memo) {
  if (f.from_notice && r.action != "dismiss") {
    return record_notice_money(tx, exception_id, f, r);
  }
  if (r.action == "assign") {
    return assign_line_payment(tx, exception_id, f, r);
  }
  if (r.action == "write_off") {
    auto cancelled = detail::cancel_in(tx, f.reference, "cancel", memo);
    if (!cancelled) {
      return std::unexpected(cancelled.error());
    }
  }
  if (r.action == "refund") {
    auto refunded = detail::refund_in(tx, f.reference, f.actual, memo);
    if (!refunded) {
      return std::unexpected(refunded.error());
    }
  }
  return {};
}

// Above the desk's limit a write-off or a refund waits for a second member.
std::expected<ApprovalRequest, Error> propose(sql::Connection& tx, std::int64_t exception_id,
                                              const Found& f, const Resolution& r,
                                              const std::string& reason, Money amount) {
  auto ins = tx.exec(
      "INSERT INTO approval_requests (kind, reference, amount_fen, reason, proposed_by, "
      "exception_id) VALUES ($1, $2, $3, $4, $5, $6) "
      "RETURNING id, (extract(epoch FROM proposed_at) * 1000000)::bigint",
      params(r.action, f.reference, amount.fen(), reason, r.by, exception_id));
  if (!ins) {
    return std::unexpected(failed(ins.error()));
  }
  auto u = tx.exec(
      "UPDATE reconcile_exceptions SET status = 'proposed', proposed_by = $2, proposed_at = now(), "
      "proposal = $3 WHERE id = $1",
      params(exception_id, r.by, r.action + ": " + reason));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  return ApprovalRequest{ins->int64(0, 0), r.action,   f.reference, amount, reason,      r.by,
                         ins->int64(0, 1), "proposed", "",          "",     exception_id};
}

std::expected<Found, Error> lock_open(sql::Connection& tx, std::int64_t id) {
  auto r = tx.exec(kFind, params(id));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("exception_not_found", "no such exception"));
  }
  Found f = found_of(*r);
  if (f.status == "resolved") {
    return std::unexpected(
        make_error("exception_resolved", "exception #" + std::to_string(id) + " is resolved"));
  }
  if (f.status == "proposed") {
    return std::unexpected(
        make_error("exception_proposed",
                   "exception #" + std::to_string(id) + " waits for a second member's approval"));
  }
  return f;
}

}  // namespace

std::expected<Resolved, Error> resolve_exception(sql::Connection& conn, const Resolution& r,
                                                 Money approval_above) {
  auto reason = checked_text("the reason", r.reason, 200);
  if (!reason) {
    return std::unexpected(reason.error());
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Resolved, Error> {
    auto f = lock_open(tx, r.exception_id);
    if (!f) {
      return std::unexpected(f.error());
    }
    auto allowed = actions_for(f->kind,
                               f->from_notice ? "notice"
                               : f->from_line ? "statement"
                                              : "pledge",
                               !f->reference.empty());
    if (std::find(allowed.begin(), allowed.end(), r.action) == allowed.end()) {
      return std::unexpected(
          make_error("action_not_allowed", "a " + f->kind + " exception is resolved by " +
                                               joined(allowed) + ", not '" + r.action + "'"));
    }
    if (r.action == "assign" && r.reference.empty()) {
      return std::unexpected(
          make_error("reference_required", "assign names the pledge the money belongs to"));
    }
    Resolution checked = r;
    checked.reason = *reason;
    if (r.action == "write_off" || r.action == "refund") {
      Money amount = r.action == "write_off" ? f->expected : f->actual;
      if (amount > approval_above) {
        auto request = propose(tx, r.exception_id, *f, checked, *reason, amount);
        if (!request) {
          return std::unexpected(request.error());
        }
        return Resolved{r.exception_id, "proposed", std::nullopt, *request};
      }
    }
    auto memo = "对账 #" + std::to_string(r.exception_id) + " " + r.action + ": " + *reason + " (" +
                r.by + ")";
    if (auto moved = move_money(tx, r.exception_id, *f, checked, memo); !moved) {
      return std::unexpected(moved.error());
    }
    auto seq = detail::close_exception(tx, r.exception_id, r.action, *reason, r.by);
    if (!seq) {
      return std::unexpected(seq.error());
    }
    return Resolved{r.exception_id, "resolved", *seq, std::nullopt};
  });
}

namespace detail {

std::expected<std::int64_t, Error> close_exception(sql::Connection& tx, std::int64_t exception_id,
                                                   const std::string& action,
                                                   const std::string& reason,
                                                   const std::string& who) {
  auto ledger = LedgerAppender::lock(tx);
  if (!ledger) {
    return std::unexpected(ledger.error());
  }
  auto r = tx.exec(
      "SELECT e.pledge_id, coalesce(l.payment_id, n.payment_id), "
      "(SELECT id FROM funds WHERE slug = 'general') "
      "FROM reconcile_exceptions e "
      "LEFT JOIN statement_lines l ON l.id = e.line_id "
      "LEFT JOIN payment_notices n ON n.id = e.notice_id WHERE e.id = $1",
      params(exception_id));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  LedgerEntry entry;
  if (!r->is_null(0, 0)) {
    auto pledge = select_pledge(tx, "p.id = $1", params(r->int64(0, 0)), false);
    if (!pledge) {
      return std::unexpected(pledge.error());
    }
    entry = pledge_entry(**pledge, "resolution", "");
  } else {
    entry.fund_id = r->int64(0, 2);
    entry.public_name = std::string(kAnonymousName);
  }
  entry.kind = "resolution";
  entry.amount_fen = 0;  // what it moved has entries of its own
  entry.object_id = exception_id;
  if (!r->is_null(0, 1)) {
    entry.payment_id = r->int64(0, 1);
  }
  entry.memo =
      "对账 #" + std::to_string(exception_id) + " " + action + ": " + reason + " (" + who + ")";
  auto appended = ledger->append(entry);
  if (auto f = ledger->finish(); !f) {
    return std::unexpected(f.error());
  }
  auto u = tx.exec(
      "UPDATE reconcile_exceptions SET status = 'resolved', action = $2, resolved_by = $3, "
      "resolved_at = now(), resolution = $4, ledger_seq = $5 WHERE id = $1",
      params(exception_id, action, who, reason, appended.seq));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  return appended.seq;
}

std::expected<void, Error> reopen_exception(sql::Connection& tx, std::int64_t exception_id) {
  auto u = tx.exec(
      "UPDATE reconcile_exceptions SET status = 'open', proposed_by = NULL, proposed_at = NULL, "
      "proposal = NULL WHERE id = $1 AND status = 'proposed'",
      params(exception_id));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  return {};
}

}  // namespace detail

}  // namespace boai::donations

// Payments and receipts: each payment one transaction that appends to the ledger (refunds and
// expenditures are in money_out.cpp).
#include "donations/payments.hpp"

#include <chrono>
#include <cstdio>

#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/periods.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/reference_code.hpp"
#include "donations/sale_orders.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace {

std::string receipt_number(std::int64_t year, std::int64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%06lld", static_cast<long long>(year),
                static_cast<long long>(number));
  return buf;
}

std::expected<Payment, Error> existing_payment(sql::Connection& tx, const PaymentRequest& req) {
  auto r = tx.exec(
      "SELECT id, amount_fen, fee_fen, pledge_id FROM payments "
      "WHERE provider = $1 AND provider_txn_id = $2",
      params(req.provider, req.provider_txn_id));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("internal", "payment vanished"));
  }
  if (r->int64(0, 1) != req.amount.fen()) {
    return std::unexpected(make_error("payment_conflict",
                                      "transaction " + req.provider_txn_id + " of " + req.provider +
                                          " was recorded before with a different amount"));
  }
  Payment p{r->int64(0, 0),
            req.provider,
            req.provider_txn_id,
            Money::from_fen(r->int64(0, 1)),
            Money::from_fen(r->int64(0, 2)),
            std::nullopt,
            std::nullopt,
            true};
  if (!r->is_null(0, 3)) {
    auto pledge = detail::select_pledge(tx, "p.id = $1", params(r->int64(0, 3)), false);
    if (!pledge) {
      return std::unexpected(pledge.error());
    }
    p.pledge = *pledge;
    auto receipt = receipt_for(tx, r->int64(0, 3));
    if (!receipt) {
      return std::unexpected(receipt.error());
    }
    p.receipt = *receipt;
  }
  return p;
}

// The next receipt number of the year: the counter row stays locked until commit, so numbers are
// consecutive and a rollback gives its number back.
std::expected<std::string, Error> issue_receipt(sql::Connection& tx, std::int64_t pledge_id,
                                                Money amount) {
  auto year = tx.exec("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int");
  if (!year) {
    return std::unexpected(failed(year.error()));
  }
  auto y = year->int64(0, 0);
  auto n = tx.exec(
      "INSERT INTO receipt_counters AS c (year, last_number) VALUES ($1, 1) "
      "ON CONFLICT (year) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number",
      params(y));
  if (!n) {
    return std::unexpected(failed(n.error()));
  }
  auto number = n->int64(0, 0);
  auto r =
      tx.exec("INSERT INTO receipts (year, number, pledge_id, amount_fen) VALUES ($1, $2, $3, $4)",
              params(y, number, pledge_id, amount.fen()));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  return receipt_number(y, number);
}

std::optional<Error> check_request(const PaymentRequest& req) {
  if (req.provider != "wechat" && req.provider != "alipay" && req.provider != "bank" &&
      req.provider != "cash") {
    return make_error("provider_invalid", "a payment comes from wechat, alipay, bank or cash");
  }
  if (req.provider_txn_id.empty() || req.provider_txn_id.size() > 128 ||
      !is_storable_text(req.provider_txn_id)) {
    return make_error("txn_id_invalid", "the provider's transaction id is missing or too long");
  }
  if (req.amount.fen() <= 0 || req.amount > kMaxPayment) {
    return make_error("amount_out_of_range",
                      "a payment is more than ¥0 and at most " + kMaxPayment.format());
  }
  if (req.fee.fen() < 0 || req.fee > req.amount) {
    return make_error("fee_invalid", "the fee is negative or larger than the payment");
  }
  if (!is_storable_text(req.payer_remark) || !is_storable_text(req.raw_notice) ||
      char_count(req.payer_remark) > 500 || req.raw_notice.size() > 64 * 1024) {
    return make_error("text_invalid", "the remark or notice is not valid UTF-8 or too long");
  }
  return std::nullopt;
}

}  // namespace

std::expected<std::optional<Receipt>, Error> receipt_for(sql::Connection& conn,
                                                         std::int64_t pledge_id) {
  auto r = conn.exec("SELECT year, number, amount_fen, status FROM receipts WHERE pledge_id = $1",
                     params(pledge_id));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::optional<Receipt>{};
  }
  return std::optional<Receipt>{Receipt{receipt_number(r->int64(0, 0), r->int64(0, 1)),
                                        Money::from_fen(r->int64(0, 2)),
                                        std::string(r->text(0, 3))}};
}

namespace {

// The pledge a payment names (locked), if any; a reference found in a remark that matches no
// pledge leaves the payment unmatched. Errors: pledge_not_found, pledge_not_payable.
std::expected<std::optional<Pledge>, Error> payable_pledge(sql::Connection& tx,
                                                           const std::string& reference,
                                                           bool reference_given) {
  std::optional<Pledge> pledge;
  if (!reference.empty()) {
    auto p = detail::select_pledge(tx, "p.reference = $1", params(reference), true);
    if (!p) {
      return std::unexpected(p.error());
    }
    pledge = *p;
    if (!pledge && reference_given) {
      return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
    }
  }
  if (pledge && (pledge->status == "cancelled" || pledge->status == "expired" ||
                 pledge->status == "refunded")) {
    return std::unexpected(
        make_error("pledge_not_payable", "pledge " + pledge->reference + " is " + pledge->status));
  }
  return pledge;
}

// A verified notice's payment must be exactly what its pledge still owes, checked under the
// pledge's lock; anything else waits for finance instead of being applied.
std::optional<Error> check_exact_amount(const PaymentRequest& req,
                                        const std::optional<Pledge>& pledge) {
  if (!req.exact_amount) {
    return std::nullopt;
  }
  if (!pledge) {
    return make_error("pledge_not_found", "the payment names no pledge");
  }
  auto owed = pledge->amount.fen() - pledge->paid.fen();
  if (req.amount.fen() != owed) {
    return make_error("amount_differs", "pledge " + pledge->reference + " owes " +
                                            donations::Money::from_fen(owed).format() +
                                            ", the payment is " + req.amount.format());
  }
  return std::nullopt;
}

// The payment's row and its ledger entry: into the pledge's fund and campaign, or, unmatched,
// into the general fund.
std::expected<Payment, Error> insert_payment(sql::Connection& tx, LedgerAppender& ledger,
                                             const PaymentRequest& req,
                                             const std::optional<Pledge>& pledge) {
  std::int64_t fund_id = 0;
  std::optional<std::int64_t> campaign_id;
  if (pledge) {
    fund_id = pledge->fund_id;
    campaign_id = pledge->campaign_id;
  } else {
    auto general = tx.exec("SELECT id FROM funds WHERE slug = 'general'");
    if (!general) {
      return std::unexpected(failed(general.error()));
    }
    fund_id = general->int64(0, 0);
  }
  std::int64_t paid_us =
      req.paid_us.value_or(std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count());
  auto ins = tx.exec(
      "INSERT INTO payments (provider, provider_txn_id, amount_fen, fee_fen, paid_at, pledge_id, "
      "payer_remark, raw_notice) VALUES ($1, $2, $3, $4, "
      "'epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6, $7, $8) RETURNING id",
      {param(req.provider), param(req.provider_txn_id), param(req.amount.fen()),
       param(req.fee.fen()), param(paid_us), pledge ? param(pledge->id) : std::nullopt,
       param(req.payer_remark), param(req.raw_notice)});
  if (!ins) {
    return std::unexpected(failed(ins.error()));
  }
  Payment payment{ins->int64(0, 0), req.provider, req.provider_txn_id, req.amount,
                  req.fee,          std::nullopt, std::nullopt,        false};

  LedgerEntry entry;
  entry.kind = pledge && pledge->target_kind == "sale" ? "sale_payment" : "payment";
  entry.campaign_id = campaign_id;
  entry.fund_id = fund_id;
  entry.payment_id = payment.id;
  entry.amount_fen = req.amount.fen();
  entry.public_name = pledge ? pledge->public_name : std::string(kAnonymousName);
  entry.reference = pledge ? pledge->reference : "";
  entry.memo = req.provider + (pledge ? "" : " unmatched") +
               (req.fee.fen() > 0 ? " fee " + req.fee.format_plain() : "");
  if (pledge) {
    entry.pledge_id = pledge->id;
  }
  ledger.append(entry);
  if (auto f = ledger.finish(); !f) {
    return std::unexpected(f.error());
  }
  return payment;
}

// What the payment does to its pledge: paid, part paid or over-paid, with the receipt issued or
// brought up to date; the payment then carries the pledge and receipt as they are now.
std::expected<void, Error> settle_pledge(sql::Connection& tx, const Pledge& pledge,
                                         Payment& payment) {
  auto paid = pledge.paid.plus(payment.amount);
  if (!paid) {
    return std::unexpected(paid.error());
  }
  bool full = *paid >= pledge.amount;
  bool was_full = pledge.status == "paid" || pledge.status == "reconciled";
  auto u = tx.exec(
      "UPDATE pledges SET paid_fen = $2, updated_at = now(), status = $3, "
      "paid_at = CASE WHEN $4 THEN coalesce(paid_at, now()) ELSE paid_at END WHERE id = $1",
      params(pledge.id, paid->fen(), was_full ? pledge.status : (full ? "paid" : "part_paid"),
             full));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  if (pledge.target_kind == "sale") {
    // A purchase, not a gift: no donation receipt; paid in full, it goes to fulfilment.
    if (full) {
      if (auto marked = detail::mark_sale_order_paid(tx, pledge); !marked) {
        return std::unexpected(marked.error());
      }
    }
  } else if (full && !was_full) {
    if (auto n = issue_receipt(tx, pledge.id, *paid); !n) {
      return std::unexpected(n.error());
    }
  } else if (was_full) {
    // An over-payment: the receipt shows what really arrived, less what was given back.
    auto r = tx.exec("UPDATE receipts SET amount_fen = $2 WHERE pledge_id = $1",
                     params(pledge.id, paid->fen() - pledge.refunded.fen()));
    if (!r) {
      return std::unexpected(failed(r.error()));
    }
  }
  auto fresh = detail::select_pledge(tx, "p.id = $1", params(pledge.id), false);
  if (!fresh) {
    return std::unexpected(fresh.error());
  }
  payment.pledge = *fresh;
  auto receipt = receipt_for(tx, pledge.id);
  if (!receipt) {
    return std::unexpected(receipt.error());
  }
  payment.receipt = *receipt;
  return {};
}

}  // namespace

std::expected<Payment, Error> record_payment(sql::Connection& conn, const PaymentRequest& req) {
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) { return detail::record_payment_in(tx, req); });
}

namespace detail {

std::expected<Payment, Error> record_payment_in(sql::Connection& tx, const PaymentRequest& req) {
  if (auto e = check_request(req)) {
    return std::unexpected(*e);
  }
  std::string reference = req.unmatched ? "" : req.reference;
  if (reference.empty() && !req.unmatched) {
    reference = find_reference_code(req.payer_remark).value_or("");
  }
  bool reference_given = !req.unmatched && !req.reference.empty();
  auto ledger = LedgerAppender::lock(tx);
  if (!ledger) {
    return std::unexpected(ledger.error());
  }
  if (req.paid_at_typed && req.paid_us) {
    if (auto open = check_date_open(tx, *req.paid_us); !open) {
      return std::unexpected(open.error());
    }
  }
  // A notice delivered twice is the same payment, whatever else it says.
  auto seen = tx.exec("SELECT 1 FROM payments WHERE provider = $1 AND provider_txn_id = $2",
                      params(req.provider, req.provider_txn_id));
  if (!seen) {
    return std::unexpected(failed(seen.error()));
  }
  if (seen->rows() > 0) {
    return existing_payment(tx, req);
  }
  auto pledge = payable_pledge(tx, reference, reference_given);
  if (!pledge) {
    return std::unexpected(pledge.error());
  }
  if (auto differs = check_exact_amount(req, *pledge)) {
    return std::unexpected(*differs);
  }
  auto payment = insert_payment(tx, *ledger, req, *pledge);
  if (!payment) {
    return std::unexpected(payment.error());
  }
  if (*pledge) {
    if (auto settled = settle_pledge(tx, **pledge, *payment); !settled) {
      return std::unexpected(settled.error());
    }
  }
  std::int64_t campaign_id = *pledge ? (*pledge)->campaign_id : 0;
  if (auto o = add_outbox_event(tx, "payment.recorded", campaign_id, payment->id); !o) {
    return std::unexpected(o.error());
  }
  return payment;
}

std::expected<Payment, Error> assign_payment_in(sql::Connection& tx, std::int64_t payment_id,
                                                const std::string& reference,
                                                const std::string& memo) {
  auto ledger = LedgerAppender::lock(tx);
  if (!ledger) {
    return std::unexpected(ledger.error());
  }
  auto r = tx.exec(
      "SELECT p.provider, p.provider_txn_id, p.amount_fen, p.fee_fen, p.pledge_id IS NOT NULL, "
      "f.id FROM payments p, funds f WHERE p.id = $1 AND f.slug = 'general' FOR UPDATE OF p",
      params(payment_id));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::unexpected(make_error("payment_not_found", "no such payment"));
  }
  if (r->boolean(0, 4)) {
    return std::unexpected(make_error("payment_matched", "the payment already pays a pledge"));
  }
  auto pledge = payable_pledge(tx, reference, true);
  if (!pledge) {
    return std::unexpected(pledge.error());
  }
  if (!*pledge) {
    return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  }
  const Pledge& to = **pledge;
  Payment payment{payment_id,
                  std::string(r->text(0, 0)),
                  std::string(r->text(0, 1)),
                  Money::from_fen(r->int64(0, 2)),
                  Money::from_fen(r->int64(0, 3)),
                  std::nullopt,
                  std::nullopt,
                  false};
  // Out of the general fund, where it was kept unmatched, into the pledge's fund and campaign.
  LedgerEntry out;
  out.kind = "correction_received";
  out.fund_id = r->int64(0, 5);
  out.payment_id = payment_id;
  out.amount_fen = -payment.amount.fen();
  out.public_name = std::string(kAnonymousName);
  out.memo = "改记至 " + to.reference + ": " + memo;
  ledger->append(out);
  LedgerEntry in;
  in.kind = to.target_kind == "sale" ? "sale_payment" : "payment";
  in.campaign_id = to.campaign_id;
  in.fund_id = to.fund_id;
  in.pledge_id = to.id;
  in.payment_id = payment_id;
  in.amount_fen = payment.amount.fen();
  in.public_name = to.public_name;
  in.reference = to.reference;
  in.memo = payment.provider + " 改记: " + memo;
  ledger->append(in);
  if (auto f = ledger->finish(); !f) {
    return std::unexpected(f.error());
  }
  auto u = tx.exec("UPDATE payments SET pledge_id = $2 WHERE id = $1", params(payment_id, to.id));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  if (auto settled = settle_pledge(tx, to, payment); !settled) {
    return std::unexpected(settled.error());
  }
  if (auto o = add_outbox_event(tx, "payment.recorded", to.campaign_id, payment_id); !o) {
    return std::unexpected(o.error());
  }
  return payment;
}

}  // namespace detail

}  // namespace boai::donations

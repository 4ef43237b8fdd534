// Payments, receipts, refunds and expenditures: each one transaction that appends to the ledger.
#include "donations/payments.hpp"

#include <chrono>
#include <cstdio>

#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/reference_code.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace {

constexpr Money kMaxPayment = Money::from_yuan(10'000'000);

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
  if (!r)
    return std::unexpected(failed(r.error()));
  if (r->rows() == 0)
    return std::unexpected(make_error("internal", "payment vanished"));
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
    if (!pledge)
      return std::unexpected(pledge.error());
    p.pledge = *pledge;
    auto receipt = receipt_for(tx, r->int64(0, 3));
    if (!receipt)
      return std::unexpected(receipt.error());
    p.receipt = *receipt;
  }
  return p;
}

// The next receipt number of the year: the counter row stays locked until commit, so numbers are
// consecutive and a rollback gives its number back.
std::expected<std::string, Error> issue_receipt(sql::Connection& tx, std::int64_t pledge_id,
                                                Money amount) {
  auto year = tx.exec("SELECT extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int");
  if (!year)
    return std::unexpected(failed(year.error()));
  auto y = year->int64(0, 0);
  auto n = tx.exec(
      "INSERT INTO receipt_counters AS c (year, last_number) VALUES ($1, 1) "
      "ON CONFLICT (year) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number",
      params(y));
  if (!n)
    return std::unexpected(failed(n.error()));
  auto number = n->int64(0, 0);
  auto r =
      tx.exec("INSERT INTO receipts (year, number, pledge_id, amount_fen) VALUES ($1, $2, $3, $4)",
              params(y, number, pledge_id, amount.fen()));
  if (!r)
    return std::unexpected(failed(r.error()));
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
  if (!r)
    return std::unexpected(failed(r.error()));
  if (r->rows() == 0)
    return std::optional<Receipt>{};
  return std::optional<Receipt>{Receipt{receipt_number(r->int64(0, 0), r->int64(0, 1)),
                                        Money::from_fen(r->int64(0, 2)),
                                        std::string(r->text(0, 3))}};
}

std::expected<Payment, Error> record_payment(sql::Connection& conn, const PaymentRequest& req) {
  if (auto e = check_request(req))
    return std::unexpected(*e);
  std::string reference = req.reference;
  if (reference.empty())
    reference = find_reference_code(req.payer_remark).value_or("");
  bool reference_given = !req.reference.empty();

  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Payment, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger)
      return std::unexpected(ledger.error());

    // A notice delivered twice is the same payment, whatever else it says.
    auto seen = tx.exec("SELECT 1 FROM payments WHERE provider = $1 AND provider_txn_id = $2",
                        params(req.provider, req.provider_txn_id));
    if (!seen)
      return std::unexpected(failed(seen.error()));
    if (seen->rows() > 0)
      return existing_payment(tx, req);

    std::optional<Pledge> pledge;
    if (!reference.empty()) {
      auto p = detail::select_pledge(tx, "p.reference = $1", params(reference), true);
      if (!p)
        return std::unexpected(p.error());
      pledge = *p;
      if (!pledge && reference_given) {
        return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
      }
    }
    if (pledge && (pledge->status == "cancelled" || pledge->status == "expired" ||
                   pledge->status == "refunded")) {
      return std::unexpected(make_error("pledge_not_payable",
                                        "pledge " + pledge->reference + " is " + pledge->status));
    }

    std::int64_t fund_id = 0;
    std::optional<std::int64_t> campaign_id;
    if (pledge) {
      fund_id = pledge->fund_id;
      campaign_id = pledge->campaign_id;
    } else {
      auto general = tx.exec("SELECT id FROM funds WHERE slug = 'general'");
      if (!general)
        return std::unexpected(failed(general.error()));
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
    if (!ins)
      return std::unexpected(failed(ins.error()));
    Payment payment{ins->int64(0, 0), req.provider, req.provider_txn_id, req.amount,
                    req.fee,          std::nullopt, std::nullopt,        false};

    LedgerEntry entry;
    entry.kind = "payment";
    entry.campaign_id = campaign_id;
    entry.fund_id = fund_id;
    entry.payment_id = payment.id;
    entry.amount_fen = req.amount.fen();
    entry.public_name = pledge ? pledge->public_name : std::string(kAnonymousName);
    entry.reference = pledge ? pledge->reference : "";
    entry.memo = req.provider + (pledge ? "" : " unmatched") +
                 (req.fee.fen() > 0 ? " fee " + req.fee.format_plain() : "");
    if (pledge)
      entry.pledge_id = pledge->id;
    ledger->append(entry);
    if (auto f = ledger->finish(); !f)
      return std::unexpected(f.error());

    if (pledge) {
      auto paid = pledge->paid.plus(req.amount);
      if (!paid)
        return std::unexpected(paid.error());
      bool full = *paid >= pledge->amount;
      bool was_full = pledge->status == "paid" || pledge->status == "reconciled";
      auto u = tx.exec(
          "UPDATE pledges SET paid_fen = $2, updated_at = now(), status = $3, "
          "paid_at = CASE WHEN $4 THEN coalesce(paid_at, now()) ELSE paid_at END WHERE id = $1",
          params(pledge->id, paid->fen(), was_full ? pledge->status : (full ? "paid" : "part_paid"),
                 full));
      if (!u)
        return std::unexpected(failed(u.error()));
      if (full && !was_full) {
        if (auto n = issue_receipt(tx, pledge->id, *paid); !n)
          return std::unexpected(n.error());
      } else if (was_full) {
        // An over-payment: the receipt shows what really arrived, less what was given back.
        auto r = tx.exec("UPDATE receipts SET amount_fen = $2 WHERE pledge_id = $1",
                         params(pledge->id, paid->fen() - pledge->refunded.fen()));
        if (!r)
          return std::unexpected(failed(r.error()));
      }
      auto fresh = detail::select_pledge(tx, "p.id = $1", params(pledge->id), false);
      if (!fresh)
        return std::unexpected(fresh.error());
      payment.pledge = *fresh;
      auto receipt = receipt_for(tx, pledge->id);
      if (!receipt)
        return std::unexpected(receipt.error());
      payment.receipt = *receipt;
    }
    if (auto o = add_outbox_event(tx, "payment.recorded", campaign_id.value_or(0), payment.id);
        !o) {
      return std::unexpected(o.error());
    }
    return payment;
  });
}

std::expected<Pledge, Error> refund_pledge(sql::Connection& conn, const std::string& reference,
                                           Money amount, const std::string& reason) {
  if (!is_storable_text(reason) || trim_text(reason).empty() || char_count(reason) > 200) {
    return std::unexpected(
        make_error("text_invalid", "a refund needs a reason (up to 200 characters)"));
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Pledge, Error> {
    auto locked = detail::lock_pledge(tx, reference);
    if (!locked)
      return std::unexpected(locked.error());
    auto& ledger = locked->ledger;
    Pledge pledge = locked->pledge;
    auto refundable = pledge.paid.minus(pledge.refunded);
    if (!refundable)
      return std::unexpected(refundable.error());
    if (amount.fen() <= 0 || amount > *refundable) {
      return std::unexpected(make_error("amount_out_of_range",
                                        "at most " + refundable->format() + " can be refunded"));
    }
    auto ins = tx.exec(
        "INSERT INTO refunds (pledge_id, amount_fen, reason) VALUES ($1, $2, $3) "
        "RETURNING id",
        params(pledge.id, amount.fen(), reason));
    if (!ins)
      return std::unexpected(failed(ins.error()));
    auto refunded = pledge.refunded.plus(amount);
    if (!refunded)
      return std::unexpected(refunded.error());
    bool whole = *refunded == pledge.paid;
    auto u = tx.exec(
        "UPDATE pledges SET refunded_fen = $2, status = CASE WHEN $3 THEN 'refunded' ELSE status "
        "END, "
        "updated_at = now() WHERE id = $1",
        params(pledge.id, refunded->fen(), whole));
    if (!u)
      return std::unexpected(failed(u.error()));
    // The receipt keeps its number for ever: voided or reduced, with the reason.
    auto rc = tx.exec(
        "UPDATE receipts SET status = CASE WHEN $2 THEN 'void' ELSE 'reduced' END, "
        "amount_fen = $3, note = CASE WHEN note = '' THEN $4 ELSE note || '; ' || $4 END "
        "WHERE pledge_id = $1",
        params(pledge.id, whole, pledge.paid.fen() - refunded->fen(),
               "refund " + amount.format_plain() + ": " + reason));
    if (!rc)
      return std::unexpected(failed(rc.error()));

    LedgerEntry entry;
    entry.kind = "refund";
    entry.campaign_id = pledge.campaign_id;
    entry.fund_id = pledge.fund_id;
    entry.pledge_id = pledge.id;
    entry.object_id = ins->int64(0, 0);
    entry.amount_fen = amount.fen();
    entry.public_name = pledge.public_name;
    entry.reference = pledge.reference;
    entry.memo = reason;
    ledger.append(entry);
    if (auto f = ledger.finish(); !f)
      return std::unexpected(f.error());
    if (auto o = add_outbox_event(tx, "pledge.refunded", pledge.campaign_id, pledge.id); !o) {
      return std::unexpected(o.error());
    }
    auto fresh = detail::select_pledge(tx, "p.id = $1", params(pledge.id), false);
    if (!fresh)
      return std::unexpected(fresh.error());
    return **fresh;
  });
}

std::expected<Expenditure, Error> record_expenditure(sql::Connection& conn,
                                                     const ExpenditureRequest& req) {
  if (req.amount.fen() <= 0 || req.amount > kMaxPayment) {
    return std::unexpected(make_error("amount_out_of_range", "an expenditure is more than ¥0"));
  }
  for (const auto* text : {&req.purpose, &req.payee, &req.approved_by}) {
    if (!is_storable_text(*text) || trim_text(*text).empty() || char_count(*text) > 200) {
      return std::unexpected(make_error(
          "text_invalid", "purpose, payee and approver are required, up to 200 characters"));
    }
  }
  if (!is_storable_text(req.evidence_ref) || char_count(req.evidence_ref) > 200) {
    return std::unexpected(make_error("text_invalid", "the evidence reference is too long"));
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Expenditure, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger)
      return std::unexpected(ledger.error());
    auto fund = tx.exec("SELECT id FROM funds WHERE slug = $1", params(req.fund));
    if (!fund)
      return std::unexpected(failed(fund.error()));
    if (fund->rows() == 0) {
      return std::unexpected(make_error("fund_not_found", "no fund \"" + req.fund + "\""));
    }
    std::optional<std::int64_t> campaign_id;
    if (!req.campaign.empty()) {
      auto c = tx.exec("SELECT id FROM campaigns WHERE slug = $1", params(req.campaign));
      if (!c)
        return std::unexpected(failed(c.error()));
      if (c->rows() == 0) {
        return std::unexpected(
            make_error("campaign_not_found", "no campaign \"" + req.campaign + "\""));
      }
      campaign_id = c->int64(0, 0);
    }
    auto ins = tx.exec(
        "INSERT INTO expenditures (fund_id, campaign_id, amount_fen, purpose, payee, approved_by, "
        "evidence_ref) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        {param(fund->int64(0, 0)), campaign_id ? param(*campaign_id) : std::nullopt,
         param(req.amount.fen()), param(req.purpose), param(req.payee), param(req.approved_by),
         param(req.evidence_ref)});
    if (!ins)
      return std::unexpected(failed(ins.error()));
    LedgerEntry entry;
    entry.kind = "expenditure";
    entry.campaign_id = campaign_id;
    entry.fund_id = fund->int64(0, 0);
    entry.object_id = ins->int64(0, 0);
    entry.amount_fen = req.amount.fen();
    entry.public_name = req.payee;  // organisations paid by the station are public
    entry.reference = req.evidence_ref;
    entry.memo = req.purpose;
    ledger->append(entry);
    if (auto f = ledger->finish(); !f)
      return std::unexpected(f.error());
    if (auto o =
            add_outbox_event(tx, "expenditure.recorded", campaign_id.value_or(0), ins->int64(0, 0));
        !o) {
      return std::unexpected(o.error());
    }
    return Expenditure{ins->int64(0, 0), fund->int64(0, 0), req.amount, req.purpose};
  });
}

}  // namespace boai::donations

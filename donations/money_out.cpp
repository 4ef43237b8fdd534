// Refunds and expenditures, money leaving the station: each one transaction that appends to the
// ledger.
#include "donations/ledger_appender.hpp"
#include "donations/outbox.hpp"
#include "donations/payments.hpp"
#include "donations/periods.hpp"
#include "donations/pledge_rows.hpp"
#include "donations/sale_orders.hpp"
#include "donations/text_rules.hpp"
#include "sql/transaction.hpp"

namespace boai::donations {

using detail::failed;
using sql::param;
using sql::params;

namespace detail {

std::expected<Pledge, Error> refund_in(sql::Connection& tx, const std::string& reference,
                                       Money amount, const std::string& reason) {
  auto locked = lock_pledge(tx, reference);
  if (!locked) {
    return std::unexpected(locked.error());
  }
  auto& ledger = locked->ledger;
  Pledge pledge = locked->pledge;
  auto refundable = pledge.paid.minus(pledge.refunded);
  if (!refundable) {
    return std::unexpected(refundable.error());
  }
  if (amount.fen() <= 0 || amount > *refundable) {
    return std::unexpected(
        make_error("amount_out_of_range", "at most " + refundable->format() + " can be refunded"));
  }
  auto ins = tx.exec(
      "INSERT INTO refunds (pledge_id, amount_fen, reason) VALUES ($1, $2, $3) "
      "RETURNING id",
      params(pledge.id, amount.fen(), reason));
  if (!ins) {
    return std::unexpected(failed(ins.error()));
  }
  auto refunded = pledge.refunded.plus(amount);
  if (!refunded) {
    return std::unexpected(refunded.error());
  }
  bool whole = *refunded == pledge.paid;
  auto u = tx.exec(
      "UPDATE pledges SET refunded_fen = $2, status = CASE WHEN $3 THEN 'refunded' ELSE status "
      "END, "
      "updated_at = now() WHERE id = $1",
      params(pledge.id, refunded->fen(), whole));
  if (!u) {
    return std::unexpected(failed(u.error()));
  }
  // The receipt keeps its number for ever: voided or reduced, with the reason.
  auto rc = tx.exec(
      "UPDATE receipts SET status = CASE WHEN $2 THEN 'void' ELSE 'reduced' END, "
      "amount_fen = $3, note = CASE WHEN note = '' THEN $4 ELSE note || '; ' || $4 END "
      "WHERE pledge_id = $1",
      params(pledge.id, whole, pledge.paid.fen() - refunded->fen(),
             "refund " + amount.format_plain() + ": " + reason));
  if (!rc) {
    return std::unexpected(failed(rc.error()));
  }
  if (whole && pledge.target_kind == "sale") {
    if (auto back = refund_sale_order(tx, pledge); !back) {
      return std::unexpected(back.error());
    }
  }

  LedgerEntry entry =
      pledge_entry(pledge, pledge.target_kind == "sale" ? "sale_refund" : "refund", reason);
  entry.object_id = ins->int64(0, 0);
  entry.amount_fen = amount.fen();
  ledger.append(entry);
  if (auto f = ledger.finish(); !f) {
    return std::unexpected(f.error());
  }
  if (auto o = add_outbox_event(tx, "pledge.refunded", pledge.campaign_id, pledge.id); !o) {
    return std::unexpected(o.error());
  }
  auto fresh = select_pledge(tx, "p.id = $1", params(pledge.id), false);
  if (!fresh) {
    return std::unexpected(fresh.error());
  }
  return **fresh;
}

}  // namespace detail

std::expected<Pledge, Error> refund_pledge(sql::Connection& conn, const std::string& reference,
                                           Money amount, const std::string& reason) {
  if (!is_storable_text(reason) || trim_text(reason).empty() || char_count(reason) > 200) {
    return std::unexpected(
        make_error("text_invalid", "a refund needs a reason (up to 200 characters)"));
  }
  return sql::in_transaction(
      conn, [&](sql::Connection& tx) { return detail::refund_in(tx, reference, amount, reason); });
}

namespace {

std::expected<void, Error> check_expenditure(const ExpenditureRequest& req) {
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
  return {};
}

}  // namespace

namespace detail {

std::expected<Expenditure, Error> add_expenditure(sql::Connection& tx, LedgerAppender& ledger,
                                                  const ExpenditureRequest& req,
                                                  std::optional<std::int64_t> wish_id,
                                                  std::optional<std::int64_t> spent_us) {
  if (auto checked = check_expenditure(req); !checked) {
    return std::unexpected(checked.error());
  }
  if (spent_us) {
    if (auto open = check_date_open(tx, *spent_us); !open) {
      return std::unexpected(open.error());
    }
  }
  auto target = detail::fund_and_campaign(tx, req.fund, req.campaign);
  if (!target) {
    return std::unexpected(target.error());
  }
  auto [fund_id, campaign_id] = *target;
  auto ins = tx.exec(
      "INSERT INTO expenditures (fund_id, campaign_id, amount_fen, purpose, payee, approved_by, "
      "evidence_ref, wish_id, spent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
      "coalesce('epoch'::timestamptz + $9::bigint * interval '1 microsecond', now())) "
      "RETURNING id",
      {param(fund_id), campaign_id ? param(*campaign_id) : std::nullopt, param(req.amount.fen()),
       param(req.purpose), param(req.payee), param(req.approved_by), param(req.evidence_ref),
       wish_id ? param(*wish_id) : std::nullopt, spent_us ? param(*spent_us) : std::nullopt});
  if (!ins) {
    return std::unexpected(failed(ins.error()));
  }
  LedgerEntry entry;
  entry.kind = "expenditure";
  entry.campaign_id = campaign_id;
  entry.fund_id = fund_id;
  entry.object_id = ins->int64(0, 0);
  entry.amount_fen = req.amount.fen();
  entry.public_name = req.payee;  // organisations paid by the station are public
  entry.reference = req.evidence_ref;
  entry.memo = req.purpose;
  ledger.append(entry);
  if (auto o =
          add_outbox_event(tx, "expenditure.recorded", campaign_id.value_or(0), ins->int64(0, 0));
      !o) {
    return std::unexpected(o.error());
  }
  return Expenditure{ins->int64(0, 0), fund_id, req.amount, req.purpose};
}

}  // namespace detail

std::expected<Expenditure, Error> record_expenditure(sql::Connection& conn,
                                                     const ExpenditureRequest& req,
                                                     std::optional<std::int64_t> spent_us) {
  if (auto checked = check_expenditure(req); !checked) {
    return std::unexpected(checked.error());
  }
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<Expenditure, Error> {
    auto ledger = LedgerAppender::lock(tx);
    if (!ledger) {
      return std::unexpected(ledger.error());
    }
    auto spent = detail::add_expenditure(tx, *ledger, req, std::nullopt, spent_us);
    if (!spent) {
      return spent;
    }
    if (auto f = ledger->finish(); !f) {
      return std::unexpected(f.error());
    }
    return spent;
  });
}

namespace detail {

std::expected<std::pair<std::int64_t, std::optional<std::int64_t>>, Error> fund_and_campaign(
    sql::Connection& tx, const std::string& fund_slug, const std::string& campaign_slug) {
  auto fund = tx.exec("SELECT id FROM funds WHERE slug = $1", params(fund_slug));
  if (!fund) {
    return std::unexpected(failed(fund.error()));
  }
  if (fund->rows() == 0) {
    return std::unexpected(make_error("fund_not_found", "no fund \"" + fund_slug + "\""));
  }
  std::optional<std::int64_t> campaign_id;
  if (!campaign_slug.empty()) {
    auto c = tx.exec("SELECT id FROM campaigns WHERE slug = $1", params(campaign_slug));
    if (!c) {
      return std::unexpected(failed(c.error()));
    }
    if (c->rows() == 0) {
      return std::unexpected(
          make_error("campaign_not_found", "no campaign \"" + campaign_slug + "\""));
    }
    campaign_id = c->int64(0, 0);
  }
  return std::pair{fund->int64(0, 0), campaign_id};
}

}  // namespace detail

}  // namespace boai::donations

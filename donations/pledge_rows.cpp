// Reading pledge rows, and the ledger entry of a pledge.
#include "donations/pledge_rows.hpp"

#include "donations/text_rules.hpp"

namespace boai::donations::detail {

PledgeColumns::PledgeColumns(const sql::Result& r)
    : id(r.column("id")),
      reference(r.column("reference")),
      campaign_id(r.column("campaign_id")),
      campaign(r.column("campaign")),
      fund_id(r.column("fund_id")),
      fund(r.column("fund")),
      amount(r.column("amount_fen")),
      paid(r.column("paid_fen")),
      refunded(r.column("refunded_fen")),
      status(r.column("status")),
      donor_name(r.column("donor_name")),
      anonymous(r.column("anonymous")),
      message(r.column("message")),
      channel(r.column("channel")),
      created_us(r.column("created_us")),
      request_digest(r.column("request_digest")),
      idempotency_key(r.column("idempotency_key")),
      target_kind(r.column("target_kind")) {}

Pledge pledge_from_row(const sql::Result& r, const PledgeColumns& c, int i) {
  Pledge p;
  p.id = r.int64(i, c.id);
  p.reference = r.text(i, c.reference);
  p.campaign_id = r.int64(i, c.campaign_id);
  p.campaign = r.text(i, c.campaign);
  p.fund_id = r.int64(i, c.fund_id);
  p.fund = r.text(i, c.fund);
  p.amount = Money::from_fen(r.int64(i, c.amount));
  p.paid = Money::from_fen(r.int64(i, c.paid));
  p.refunded = Money::from_fen(r.int64(i, c.refunded));
  p.status = r.text(i, c.status);
  p.public_name = mask_name(r.text(i, c.donor_name), r.boolean(i, c.anonymous));
  p.message = r.text(i, c.message);
  p.channel = r.text(i, c.channel);
  p.target_kind = r.text(i, c.target_kind);
  p.created_us = r.int64(i, c.created_us);
  return p;
}

LedgerEntry pledge_entry(const Pledge& pledge, std::string kind, std::string memo) {
  LedgerEntry entry;
  entry.kind = std::move(kind);
  entry.campaign_id = pledge.campaign_id;
  entry.fund_id = pledge.fund_id;
  entry.pledge_id = pledge.id;
  entry.amount_fen = pledge.amount.fen();
  entry.public_name = pledge.public_name;
  entry.reference = pledge.reference;
  entry.memo = std::move(memo);
  return entry;
}

std::expected<std::optional<Pledge>, Error> select_pledge(sql::Connection& conn,
                                                          const std::string& where,
                                                          const sql::Params& params,
                                                          bool for_update) {
  // `where` is always one of our own constant conditions; values travel as parameters.
  std::string sql = std::string("SELECT ") + kPledgeColumns + " FROM " + kPledgeFrom + " WHERE " +
                    where + (for_update ? " FOR UPDATE OF p" : "");
  auto r = conn.exec(sql, params);
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  if (r->rows() == 0) {
    return std::optional<Pledge>{};
  }
  return std::optional<Pledge>{pledge_from_row(*r, PledgeColumns(*r), 0)};
}

std::expected<LockedPledge, Error> lock_pledge(sql::Connection& tx, const std::string& reference) {
  auto ledger = LedgerAppender::lock(tx);
  if (!ledger) {
    return std::unexpected(ledger.error());
  }
  auto p = select_pledge(tx, "p.reference = $1", sql::params(reference), true);
  if (!p) {
    return std::unexpected(p.error());
  }
  if (!*p) {
    return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  }
  return LockedPledge{std::move(*ledger), std::move(**p)};
}

}  // namespace boai::donations::detail

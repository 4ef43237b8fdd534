// Reading pledge rows.
#include "donations/pledge_rows.hpp"

#include "donations/text_rules.hpp"

namespace boai::donations::detail {

Pledge pledge_from_row(const sql::Result& r, int i) {
  Pledge p;
  p.id = r.int64(i, 0);
  p.reference = r.text(i, 1);
  p.campaign_id = r.int64(i, 2);
  p.campaign = r.text(i, 3);
  p.fund_id = r.int64(i, 4);
  p.fund = r.text(i, 5);
  p.amount = Money::from_fen(r.int64(i, 6));
  p.paid = Money::from_fen(r.int64(i, 7));
  p.refunded = Money::from_fen(r.int64(i, 8));
  p.status = r.text(i, 9);
  p.public_name = mask_name(r.text(i, 10), r.boolean(i, 11));
  p.message = r.text(i, 12);
  p.channel = r.text(i, 13);
  p.created_us = r.int64(i, 14);
  return p;
}

std::expected<std::optional<Pledge>, Error> select_pledge(sql::Connection& conn,
                                                          const std::string& where,
                                                          const sql::Params& params,
                                                          bool for_update) {
  // `where` is always one of our own constant conditions; values travel as parameters.
  std::string sql = std::string("SELECT ") + kPledgeColumns + " FROM " + kPledgeFrom + " WHERE " +
                    where + (for_update ? " FOR UPDATE OF p" : "");
  auto r = conn.exec(sql, params);
  if (!r)
    return std::unexpected(failed(r.error()));
  if (r->rows() == 0)
    return std::optional<Pledge>{};
  return std::optional<Pledge>{pledge_from_row(*r, 0)};
}

std::expected<LockedPledge, Error> lock_pledge(sql::Connection& tx, const std::string& reference) {
  auto ledger = LedgerAppender::lock(tx);
  if (!ledger)
    return std::unexpected(ledger.error());
  auto p = select_pledge(tx, "p.reference = $1", sql::params(reference), true);
  if (!p)
    return std::unexpected(p.error());
  if (!*p)
    return std::unexpected(make_error("pledge_not_found", "no pledge " + reference));
  return LockedPledge{std::move(*ledger), std::move(**p)};
}

}  // namespace boai::donations::detail

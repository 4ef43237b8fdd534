// Internal to donations/: reading a pledge row in one shape everywhere.
#pragma once

#include <expected>
#include <string>

#include "base/error.hpp"
#include "donations/ledger_appender.hpp"
#include "donations/records.hpp"
#include "sql/connection.hpp"

namespace boai::donations::detail {

// The columns pledge_from_row reads, for "SELECT <kPledgeColumns> FROM <kPledgeFrom> WHERE ...".
inline constexpr const char* kPledgeColumns =
    "p.id, p.reference, p.campaign_id, c.slug AS campaign, p.fund_id, f.slug AS fund, "
    "p.amount_fen, p.paid_fen, p.refunded_fen, p.status, p.donor_name, p.anonymous, p.message, "
    "p.channel, floor(extract(epoch FROM p.created_at) * 1000000)::bigint AS created_us, "
    "p.request_digest, p.idempotency_key, coalesce(p.target_kind, '') AS target_kind";
inline constexpr const char* kPledgeFrom =
    "pledges p JOIN campaigns c ON c.id = p.campaign_id JOIN funds f ON f.id = p.fund_id";

// Where each of kPledgeColumns is in one result, looked up by name once.
struct PledgeColumns {
  explicit PledgeColumns(const sql::Result& r);
  int id, reference, campaign_id, campaign, fund_id, fund, amount, paid, refunded, status,
      donor_name, anonymous, message, channel, created_us, request_digest, idempotency_key,
      target_kind;
};

Pledge pledge_from_row(const sql::Result& r, const PledgeColumns& columns, int row);

// The ledger entry that records something done to a pledge (pledge, cancel, expire, refund):
// the pledge's campaign, fund, amount, masked name and reference.
LedgerEntry pledge_entry(const Pledge& pledge, std::string kind, std::string memo);

// One pledge by a condition on p ("p.reference = $1"), optionally locked FOR UPDATE.
std::expected<std::optional<Pledge>, Error> select_pledge(sql::Connection& conn,
                                                          const std::string& where,
                                                          const sql::Params& params,
                                                          bool for_update);

inline Error failed(const sql::DbError& e) {
  return Error{e.code, e.message};
}

// Locks the chain head, then the pledge: the order every money-changing transaction keeps.
// Errors: pledge_not_found, and the database's.
struct LockedPledge {
  LedgerAppender ledger;
  Pledge pledge;
};
std::expected<LockedPledge, Error> lock_pledge(sql::Connection& tx, const std::string& reference);

}  // namespace boai::donations::detail

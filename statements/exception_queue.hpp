// What finance staff read: the open exceptions of reconciliation, and the overdue pledges with
// the donor's contact for a follow-up call. Read here; resolved by donations/exception_resolution.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/money.hpp"
#include "sql/connection.hpp"

namespace boai::statements {

struct QueueEntry {
  std::int64_t id = 0;
  std::string kind;  // amount_differs, payment_without_pledge, duplicate_payment, refund,
                     // pledge_without_payment
  std::string status;
  std::string provider;  // of the statement line; empty for an overdue pledge
  std::string txn_id;
  std::int64_t line_no = 0;
  std::string occurred;   // Asia/Shanghai, "2026-11-28 14:03"
  std::string reference;  // the pledge it concerns, if any
  std::optional<donations::Money> expected;
  std::optional<donations::Money> actual;
  std::string counterparty;
  std::string detail;
  std::string candidates;  // "7KQ2MZ9D 930, 8MZ2QK7D 610": proposed pledges and their scores
  std::string source;      // notice, statement, or pledge (an overdue pledge)
  std::string donor_name;  // of the pledge it concerns: for staff only
  std::string contact;
  std::string proposal;  // waiting for approval: "write_off: reason"
  std::string proposed_by;
  std::vector<std::string> actions;  // what may resolve it (donations::actions_for)
};

struct OverduePledge {
  std::int64_t exception_id = 0;
  std::string reference;
  donations::Money amount;
  std::string donor_name;
  std::string contact;
  std::string campaign;
  std::string created;  // Asia/Shanghai
  std::int64_t days = 0;
};

// Open entries (not resolved), oldest first from after_id, of one kind or all (kind empty).
// Errors: kind_invalid, db_unavailable.
std::expected<std::vector<QueueEntry>, Error> list_exceptions(sql::Connection& conn,
                                                              const std::string& kind,
                                                              int limit = 1000,
                                                              std::int64_t after_id = 0);

// Pledges with no payment `days` after they were made (the list refreshed first), oldest first.
// Errors: db_unavailable.
std::expected<std::vector<OverduePledge>, Error> list_overdue(sql::Connection& conn, int days,
                                                              int limit = 1000);

}  // namespace boai::statements

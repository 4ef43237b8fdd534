// Appending to the ledger inside the caller's transaction: lock the chain head, chain entries with
// their hashes, then write them, the totals and the head in a few statements, however many entries
// there are. One appender per transaction.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/error.hpp"
#include "donations/ledger_hash.hpp"
#include "donations/period_dates.hpp"
#include "donations/totals_columns.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

class LedgerAppender {
 public:
  // Takes the head's row lock: every money-changing transaction takes it first, so they never
  // deadlock and the chain has one order.
  static std::expected<LedgerAppender, Error> lock(sql::Connection& conn);
  // The same in two halves, for a pipeline: the statement, then the appender from its result.
  static sql::Statement lock_statement();
  static LedgerAppender from_head(sql::Connection& conn, const sql::Result& head);

  // Fills seq, recorded_us, prev_hash and entry_hash; the entry is written by finish().
  LedgerEntry append(LedgerEntry draft);
  // Writes the entries, the totals and the head in one round trip. Call once, after the last
  // append.
  std::expected<void, Error> finish();
  // The statements finish() runs, for a caller that pipelines them with its own.
  std::vector<sql::Statement> finish_statements();

 private:
  explicit LedgerAppender(sql::Connection& conn) : conn_(&conn) {}
  sql::Statement entries_statement() const;

  sql::Connection* conn_;
  std::int64_t last_seq_ = 0;
  std::string last_hash_;
  std::int64_t last_us_ = 0;
  std::vector<LedgerEntry> staged_;
  std::map<std::pair<std::int64_t, std::int64_t>, Sums> deltas_;  // (campaign or 0, fund)
  // ('2026-11', campaign or 0, fund): the month's row of ledger_month_totals.
  std::map<std::tuple<std::string, std::int64_t, std::int64_t>, Sums> month_deltas_;
  Period month_;  // the month of the last entry, so most entries skip the date arithmetic
};

}  // namespace boai::donations

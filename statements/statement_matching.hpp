// The set-based SQL of matching: staged lines against payments and pledges, kept with their
// outcome, exceptions for the ones staff must see, scored candidates for payments without a
// pledge, and the list of overdue pledges. See docs/FINANCE.md "Matching".
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::statements {

// The staging table the import fills with COPY, in this column order.
inline constexpr const char* kStageTable =
    "CREATE TEMP TABLE statement_stage (line_no bigint, kind text, txn_id text, derived boolean, "
    "original_txn_id text, reference text, occurred_us bigint, amount_fen bigint, "
    "fee_fen bigint, counterparty text, remark text) ON COMMIT DROP";
inline constexpr const char* kStageCopy = "COPY statement_stage FROM STDIN";

struct MatchCounts {
  std::int64_t already_imported = 0;
  std::int64_t new_lines = 0;
  std::int64_t matched = 0;
  std::int64_t exceptions = 0;
};

// Inside the import's transaction, after the COPY. Errors: db_unavailable.
std::expected<MatchCounts, Error> match_staged(sql::Connection& tx, const std::string& provider,
                                               std::int64_t import_id);

// Pledges with no payment `days` after they were made join the list (once); entries whose pledge
// has since been paid or cancelled leave it. Returns how many joined. Errors: db_unavailable.
std::expected<std::int64_t, Error> refresh_overdue(sql::Connection& conn, int days);

}  // namespace boai::statements

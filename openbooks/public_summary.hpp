// What the public page shows of the books, read from the totals the appender keeps (never by
// scanning the ledger): per fund and per campaign, gifts pledged, received and refunded, sale
// proceeds apart, what was spent and the balance; and the same per month (the disclosure).
#pragma once

#include <expected>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::openbooks {

// {head, checkpoint, totals, funds, campaigns} from one snapshot, so the head and the totals
// agree (web/PROTOCOL.md "GET /api/ledger/summary"). Errors: the database's.
std::expected<nlohmann::json, Error> ledger_summary(sql::Connection& conn);

// [{month, totals}], newest first. Errors: the database's.
std::expected<nlohmann::json, Error> month_list(sql::Connection& conn);

// One month's disclosure table: {month, totals, funds, campaigns, expenditures booked in it}.
// Errors: period_invalid (not "YYYY-MM"), the database's.
std::expected<nlohmann::json, Error> month_disclosure(sql::Connection& conn,
                                                      const std::string& month);

}  // namespace boai::openbooks

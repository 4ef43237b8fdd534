// Closing the books of a day or a month (issue #12). A period closes once, only after it ended;
// closing a month covers its days. The close keeps who, when, the ledger's last seq and the
// reconciliation's totals. Afterwards the database refuses any ledger entry inside it (migration
// 0012's trigger), and the writers that take a date from a person refuse a date inside it.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/period_dates.hpp"
#include "donations/reports.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct ClosedPeriod {
  Period period;
  std::string closed_by;
  std::int64_t closed_us = 0;
  std::int64_t closed_seq = 0;
  Figures figures;
};

// Errors: period_invalid, period_not_ended, period_closed (it, or the month it is in, was closed
// before), text_invalid (no name), and the database's.
std::expected<ClosedPeriod, Error> close_period(sql::Connection& conn, const std::string& period,
                                                const std::string& by);

struct PeriodList {
  std::vector<ClosedPeriod> closed;  // newest first
  std::vector<Period> closable;      // ended, not closed: the last 12 months and the last 14 days
};
std::expected<PeriodList, Error> list_periods(sql::Connection& conn);

// The closed period a moment falls in (a month before its days), if any.
std::expected<std::optional<std::string>, Error> closed_period_at(sql::Connection& conn,
                                                                  std::int64_t us);

// For a writer given a date by a person: period_closed when it falls in a closed period
// ("2026-11 is closed: record a correction in an open period").
std::expected<void, Error> check_date_open(sql::Connection& conn, std::int64_t us);

}  // namespace boai::donations

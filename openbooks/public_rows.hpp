// Pieces the public reads share: one read-only snapshot, a totals row in public form and the
// expenditures with the ledger entries that record them.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "base/error.hpp"
#include "sql/connection.hpp"
#include "sql/result.hpp"

namespace boai::openbooks {

// BEGIN ... READ ONLY REPEATABLE READ for the object's life: several reads that agree.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(sql::Connection& conn);
  ~ReadSnapshot();
  // Why BEGIN failed (the database's error), or nothing: check before reading.
  const std::optional<Error>& failure() const { return failure_; }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  sql::Connection& conn_;
  std::optional<Error> failure_;
};

// Row i's totals columns (named as in ledger_totals) as {gifts, sales, spent_fen, balance_fen}.
nlohmann::json totals_json(const sql::Result& r, int i);

// The expenditures whose entries were booked in [from_us, to_us), in ledger order.
std::expected<nlohmann::json, Error> expenditures_between(sql::Connection& conn,
                                                          std::int64_t from_us, std::int64_t to_us);

// The SELECT list and joins of an expenditure with its entry ("e"), fund, campaign and wish.
extern const char* const kExpenditureSelect;
nlohmann::json expenditure_json(const sql::Result& r, int i);

}  // namespace boai::openbooks

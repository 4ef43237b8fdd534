// Posting: each kept line that proves money arrived and is no payment yet becomes one through
// donations::record_payment (the ledger's one way in for payments), each in its own transaction.
// A line posted before a crash is found again by its provider transaction id: record_payment
// answers it as replayed, so posting can always be run again.
#pragma once

#include <cstdint>
#include <expected>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::statements {

struct PostReport {
  std::int64_t posted = 0;
  std::int64_t failed = 0;  // refused by record_payment; each line now has an exception
};

// Posts the waiting lines of one import (import_id 0: of every import), at most limit of them
// (0: all). Errors: db_unavailable.
std::expected<PostReport, Error> post_statement_lines(sql::Connection& conn, std::int64_t import_id,
                                                      std::int64_t limit = 0);

}  // namespace boai::statements

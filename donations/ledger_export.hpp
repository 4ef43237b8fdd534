// The public ledger: every entry with the fields its hash covers (names already masked), the
// totals, and the chain head, as CSV and as JSON, so anyone can recompute the chain.
#pragma once

#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct PublicLedger {
  std::string csv;
  std::string json;
};

std::expected<PublicLedger, Error> export_public_ledger(sql::Connection& conn);

}  // namespace boai::donations

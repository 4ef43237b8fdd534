// A page of the public ledger (GET /api/ledger/entries): the entries after a seq, by the primary
// key's range, each exactly as ledger.json of the public export carries it (docs/LEDGER.md).
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

inline constexpr std::int64_t kLedgerPageDefault = 100;
inline constexpr std::int64_t kLedgerPageMax = 500;

struct LedgerPage {
  std::string json;  // {"entries": [...], "next_after_seq": N}
  std::int64_t entries = 0;
  std::int64_t next_after_seq = 0;  // the last entry's seq; after_seq itself when none came
};

// Up to `limit` (1..kLedgerPageMax) entries with seq > after_seq, in one statement: a page is
// consistent on its own, and costs the same at the ledger's start and deep into millions.
// Errors: bad_request (a negative after_seq, a limit out of range), and the database's.
std::expected<LedgerPage, Error> public_ledger_page(sql::Connection& conn, std::int64_t after_seq,
                                                    std::int64_t limit);

}  // namespace boai::donations

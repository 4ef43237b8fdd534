// The public ledger: every entry with the fields its hash covers (names already masked), the
// totals, and the chain head, as CSV and as JSON, so anyone can recompute the chain
// (docs/LEDGER.md). Written as the entries are read: memory stays flat whatever the ledger's size.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// Where the export's text goes, piece by piece (a file, a string, an HTTP body).
class ExportSink {
 public:
  virtual ~ExportSink() = default;
  virtual void write(std::string_view text) = 0;
};

struct ExportSummary {
  std::int64_t entries = 0;
  std::string head_hash;
  bool verified = false;  // the chain and the totals checked while writing
};

// Both texts from one snapshot, verified on the way.
std::expected<ExportSummary, Error> write_public_ledger(sql::Connection& conn, ExportSink& csv,
                                                        ExportSink& json);

// DIR/ledger.csv and DIR/ledger.json, written beside and renamed into place when complete.
// Errors: export_failed, and the database's.
std::expected<ExportSummary, Error> export_public_ledger(sql::Connection& conn,
                                                         const std::filesystem::path& dir);

// Both texts in memory: for small ledgers and tests.
struct PublicLedger {
  std::string csv;
  std::string json;
};
std::expected<PublicLedger, Error> export_public_ledger(sql::Connection& conn);

}  // namespace boai::donations

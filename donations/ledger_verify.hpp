// Checking the ledger: recompute every entry's hash and the chain, and the totals from the
// entries; name the first entry that does not match.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "donations/ledger_hash.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

struct VerifyReport {
  std::int64_t entries = 0;
  std::string head_hash;  // the last entry's hash: it commits to the whole history
  std::optional<std::int64_t> first_bad_seq;
  std::vector<std::string> problems;  // one sentence each, the first one first
  bool ok() const { return problems.empty(); }
};

// Pure: checks a chain given in storage order against the stored head.
VerifyReport verify_chain(const std::vector<LedgerEntry>& entries, std::int64_t head_seq,
                          const std::string& head_hash);

std::expected<std::vector<LedgerEntry>, Error> read_ledger(sql::Connection& conn);

// The chain, the head and the totals.
std::expected<VerifyReport, Error> verify_ledger(sql::Connection& conn);

}  // namespace boai::donations

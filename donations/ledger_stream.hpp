// Reading the ledger entry by entry, in seq order and constant memory (COPY ... TO STDOUT), in
// the caller's transaction: what verify and export walk, however long the ledger is.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>

#include "base/error.hpp"
#include "donations/ledger_hash.hpp"
#include "sql/connection.hpp"

namespace boai::donations {

// Calls on_entry for every entry with seq > after_seq, in seq order; the entry it is given is
// reused from one call to the next. Returns how many there were.
std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq,
    const std::function<void(const LedgerEntry&)>& on_entry);
// The same for at most `limit` entries: a page, read by the primary key's range.
std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq, std::int64_t limit,
    const std::function<void(const LedgerEntry&)>& on_entry);

}  // namespace boai::donations

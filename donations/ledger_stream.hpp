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

// Every entry, in the order the rows lie in the table: one sequential read of the heap, about
// twice as fast for the whole ledger as the primary key's order, which visits the table a row at
// a time. The appender writes entries in seq order, so they come in seq order unless PostgreSQL
// put a row in space freed earlier: the caller checks the seqs and, when one is out of place,
// reads again with for_each_entry. on_entry returns false to stop (the rest is read and
// dropped). In the caller's transaction: it turns synchronized and parallel scans off in it, since
// either would start the read elsewhere than at the table's first row or interleave it.
std::expected<std::int64_t, Error> for_each_entry_as_stored(
    sql::Connection& conn, const std::function<bool(const LedgerEntry&)>& on_entry);

}  // namespace boai::donations

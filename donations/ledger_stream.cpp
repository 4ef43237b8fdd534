// The entries through COPY: the columns by name in one list, the seq to start after through
// set_config (COPY takes no parameters).
#include "donations/ledger_stream.hpp"

#include <array>

#include "donations/pledge_rows.hpp"

namespace boai::donations {

namespace {

// COPY's rows carry no column names: this list is the one place that ties names to positions.
enum Column {
  kSeq,
  kKind,
  kRecordedUs,
  kCampaignId,
  kFundId,
  kPledgeId,
  kPaymentId,
  kObjectId,
  kAmountFen,
  kPublicName,
  kReference,
  kMemo,
  kPrevHash,
  kEntryHash,
  kColumnCount
};
constexpr const char* kSelectEntries =
    "SELECT seq, kind, recorded_us, campaign_id, fund_id, pledge_id, payment_id, "
    "object_id, amount_fen, public_name, reference, memo, prev_hash, entry_hash "
    "FROM ledger_entries";
// In seq order after a seq: the primary key's range. The whole ledger read as it lies goes
// without it: a sequential scan would evaluate current_setting for every row, which costs about
// as much as reading the row.
constexpr const char* kAfterSeq =
    " WHERE seq > current_setting('boai.after_seq')::bigint ORDER BY seq";
// A page stops after boai.limit rows: the primary key's range scan, cut short.
constexpr const char* kPageLimit = " LIMIT current_setting('boai.limit')::bigint";

void read_entry(const sql::CopyRow& row, LedgerEntry& e) {
  if (row.columns() != kColumnCount) {
    throw std::logic_error("a ledger row has " + std::to_string(row.columns()) + " columns");
  }
  e.seq = row.int64(kSeq);
  e.kind.assign(row.text(kKind));
  e.recorded_us = row.int64(kRecordedUs);
  e.campaign_id = row.optional_int64(kCampaignId);
  e.fund_id = row.int64(kFundId);
  e.pledge_id = row.optional_int64(kPledgeId);
  e.payment_id = row.optional_int64(kPaymentId);
  e.object_id = row.optional_int64(kObjectId);
  e.amount_fen = row.int64(kAmountFen);
  e.public_name.assign(row.text(kPublicName));
  e.reference.assign(row.text(kReference));
  e.memo.assign(row.text(kMemo));
  e.prev_hash.assign(row.text(kPrevHash));
  e.entry_hash.assign(row.text(kEntryHash));
}

}  // namespace

namespace {

// What to read: in seq order after a seq (limit: a page), or all of it as the rows lie.
struct Read {
  std::int64_t after_seq = 0;
  std::optional<std::int64_t> limit;
  bool as_stored = false;
};

std::expected<std::int64_t, Error> copy_entries(
    sql::Connection& conn, const Read& read,
    const std::function<bool(const LedgerEntry&)>& on_entry) {
  auto set = read.as_stored ? conn.exec(
                                  "SELECT set_config('synchronize_seqscans', 'off', true), "
                                  "set_config('max_parallel_workers_per_gather', '0', true)")
                            : conn.exec(
                                  "SELECT set_config('boai.after_seq', $1, false), "
                                  "set_config('boai.limit', $2, false)",
                                  sql::params(std::to_string(read.after_seq),
                                              std::to_string(read.limit.value_or(0))));
  if (!set) {
    return std::unexpected(detail::failed(set.error()));
  }
  LedgerEntry entry;
  bool wanted = true;
  std::string copy = std::string("COPY (") + kSelectEntries + (read.as_stored ? "" : kAfterSeq) +
                     (read.limit ? kPageLimit : "") + ") TO STDOUT";
  auto rows = conn.copy_rows(copy, [&](const sql::CopyRow& row) {
    if (wanted) {
      read_entry(row, entry);
      wanted = on_entry(entry);
    }
  });
  if (!rows) {
    return std::unexpected(detail::failed(rows.error()));
  }
  return *rows;
}

std::function<bool(const LedgerEntry&)> every(
    const std::function<void(const LedgerEntry&)>& on_entry) {
  return [&on_entry](const LedgerEntry& e) {
    on_entry(e);
    return true;
  };
}

}  // namespace

std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq,
    const std::function<void(const LedgerEntry&)>& on_entry) {
  return copy_entries(conn, {after_seq, std::nullopt, false}, every(on_entry));
}

std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq, std::int64_t limit,
    const std::function<void(const LedgerEntry&)>& on_entry) {
  return copy_entries(conn, {after_seq, limit, false}, every(on_entry));
}

std::expected<std::int64_t, Error> for_each_entry_as_stored(
    sql::Connection& conn, const std::function<bool(const LedgerEntry&)>& on_entry) {
  return copy_entries(conn, {0, std::nullopt, true}, on_entry);
}

}  // namespace boai::donations

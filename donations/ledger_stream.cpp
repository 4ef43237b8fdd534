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
    "FROM ledger_entries WHERE seq > current_setting('boai.after_seq')::bigint ORDER BY seq";
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

std::expected<std::int64_t, Error> copy_entries(
    sql::Connection& conn, std::int64_t after_seq, std::optional<std::int64_t> limit,
    const std::function<void(const LedgerEntry&)>& on_entry) {
  auto set = conn.exec(
      "SELECT set_config('boai.after_seq', $1, false), "
      "set_config('boai.limit', $2, false)",
      sql::params(std::to_string(after_seq), std::to_string(limit.value_or(0))));
  if (!set) {
    return std::unexpected(detail::failed(set.error()));
  }
  LedgerEntry entry;
  std::string copy =
      std::string("COPY (") + kSelectEntries + (limit ? kPageLimit : "") + ") TO STDOUT";
  auto rows = conn.copy_rows(copy, [&](const sql::CopyRow& row) {
    read_entry(row, entry);
    on_entry(entry);
  });
  if (!rows) {
    return std::unexpected(detail::failed(rows.error()));
  }
  return *rows;
}

}  // namespace

std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq,
    const std::function<void(const LedgerEntry&)>& on_entry) {
  return copy_entries(conn, after_seq, std::nullopt, on_entry);
}

std::expected<std::int64_t, Error> for_each_entry(
    sql::Connection& conn, std::int64_t after_seq, std::int64_t limit,
    const std::function<void(const LedgerEntry&)>& on_entry) {
  return copy_entries(conn, after_seq, limit, on_entry);
}

}  // namespace boai::donations

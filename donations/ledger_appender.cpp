// LedgerAppender: the chain is computed here, in one place, with OpenSSL.
#include "donations/ledger_appender.hpp"

#include "donations/period_dates.hpp"
#include "sql/array_param.hpp"

namespace boai::donations {

using sql::param;
using sql::params;

namespace {
Error failed(const sql::DbError& e) {
  return Error{e.code, e.message};
}
}  // namespace

sql::Statement LedgerAppender::lock_statement() {
  // The last entry's time by a subquery on its key: as a join, with no statistics on the one-row
  // head, the planner hashed the whole ledger for every transaction (3 ms at 12k entries).
  return {
      "SELECT h.last_seq, h.last_hash, coalesce((SELECT e.recorded_us FROM ledger_entries e "
      "WHERE e.seq = h.last_seq), 0) AS last_us FROM ledger_head h FOR UPDATE",
      {}};
}

LedgerAppender LedgerAppender::from_head(sql::Connection& conn, const sql::Result& head) {
  LedgerAppender a(conn);
  a.last_seq_ = head.int64(0, head.column("last_seq"));
  a.last_hash_ = std::string(head.text(0, head.column("last_hash")));
  a.last_us_ = head.int64(0, head.column("last_us"));
  return a;
}

std::expected<LedgerAppender, Error> LedgerAppender::lock(sql::Connection& conn) {
  auto st = lock_statement();
  auto head = conn.exec(st.sql);
  if (!head) {
    return std::unexpected(failed(head.error()));
  }
  return from_head(conn, *head);
}

LedgerEntry LedgerAppender::append(LedgerEntry e) {
  e.seq = last_seq_ + 1;
  // Entries never go back in time, even if the clock does.
  e.recorded_us = std::max(now_us(), last_us_);
  e.prev_hash = last_hash_;
  e.entry_hash = entry_hash(e);
  last_seq_ = e.seq;
  last_hash_ = e.entry_hash;
  last_us_ = e.recorded_us;

  add_entry(deltas_[{e.campaign_id.value_or(0), e.fund_id}], e.kind, e.amount_fen);
  if (e.recorded_us < month_.starts_us || e.recorded_us >= month_.ends_us) {
    month_ = month_of(e.recorded_us);
  }
  add_entry(month_deltas_[{month_.name, e.campaign_id.value_or(0), e.fund_id}], e.kind,
            e.amount_fen);
  staged_.push_back(e);
  return e;
}

sql::Statement LedgerAppender::entries_statement() const {
  sql::ArrayParam seq, kind, us, campaign, fund, pledge, payment, object, amount, name, ref, memo,
      prev, hash;
  auto opt = [](const std::optional<std::int64_t>& v) -> std::optional<std::string> {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
  };
  for (const auto& e : staged_) {
    seq.add(e.seq);
    kind.add(e.kind);
    us.add(e.recorded_us);
    campaign.add(opt(e.campaign_id));
    fund.add(e.fund_id);
    pledge.add(opt(e.pledge_id));
    payment.add(opt(e.payment_id));
    object.add(opt(e.object_id));
    amount.add(e.amount_fen);
    name.add(e.public_name);
    ref.add(e.reference);
    memo.add(e.memo);
    prev.add(e.prev_hash);
    hash.add(e.entry_hash);
  }
  return {
      "INSERT INTO ledger_entries (seq, kind, recorded_us, campaign_id, fund_id, pledge_id, "
      "payment_id, object_id, amount_fen, public_name, reference, memo, prev_hash, entry_hash) "
      "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], "
      "$6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[], $11::text[], "
      "$12::text[], $13::text[], $14::text[])",
      {seq.param(), kind.param(), us.param(), campaign.param(), fund.param(), pledge.param(),
       payment.param(), object.param(), amount.param(), name.param(), ref.param(), memo.param(),
       prev.param(), hash.param()}};
}

namespace {

// Adds a row's deltas to a totals table, the row named by key_columns and key:
// "INSERT ... ON CONFLICT (key) DO UPDATE SET c = t.c + EXCLUDED.c" for every column.
sql::Statement totals_statement(const std::string& table, const std::string& key_columns,
                                sql::Params key, const Sums& d) {
  std::string values, updates;
  for (std::size_t k = 1; k <= key.size(); ++k) {
    values += (k == 1 ? "$" : ", $") + std::to_string(k);
  }
  for (std::size_t k = 0; k < kTotalsColumnCount; ++k) {
    std::string name = kTotalsColumnNames[k];
    key.push_back(param(d[k]));
    values += ", $" + std::to_string(key.size());
    updates += (updates.empty() ? "" : ", ") + name + " = t." + name + " + EXCLUDED." + name;
  }
  return {"INSERT INTO " + table + " AS t (" + key_columns + ", " + totals_column_list() +
              ") VALUES (" + values + ") ON CONFLICT (" + key_columns + ") DO UPDATE SET " +
              updates,
          std::move(key)};
}

}  // namespace

std::vector<sql::Statement> LedgerAppender::finish_statements() {
  std::vector<sql::Statement> out;
  if (!staged_.empty()) {
    out.push_back(entries_statement());
  }
  for (const auto& [key, d] : deltas_) {
    out.push_back(totals_statement("ledger_totals", "campaign_id, fund_id",
                                   params(key.first, key.second), d));
  }
  for (const auto& [key, d] : month_deltas_) {
    const auto& [month, campaign, fund] = key;
    out.push_back(totals_statement("ledger_month_totals", "month, campaign_id, fund_id",
                                   params(month, campaign, fund), d));
  }
  out.push_back(
      {"UPDATE ledger_head SET last_seq = $1, last_hash = $2", params(last_seq_, last_hash_)});
  staged_.clear();
  deltas_.clear();
  month_deltas_.clear();
  return out;
}

std::expected<void, Error> LedgerAppender::finish() {
  for (auto& r : conn_->exec_pipeline(finish_statements())) {
    if (!r) {
      return std::unexpected(failed(r.error()));
    }
  }
  return {};
}

}  // namespace boai::donations

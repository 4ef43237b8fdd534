#include "openbooks/public_rows.hpp"

#include <nlohmann/json.hpp>

namespace boai::openbooks {

using nlohmann::json;

ReadSnapshot::ReadSnapshot(sql::Connection& conn) : conn_(conn) {
  if (auto begun = conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begun) {
    failure_ = begun.error().to_error();
  }
}

ReadSnapshot::~ReadSnapshot() {
  if (!failure_) {
    (void)conn_.exec("COMMIT");
  }
}

json totals_json(const sql::Result& r, int i) {
  auto v = [&r, i](const char* name) { return r.int64(i, r.column(name)); };
  std::int64_t balance = v("received_fen") - v("refunded_fen") + v("sale_received_fen") -
                         v("sale_refunded_fen") - v("spent_fen");
  return {{"gifts",
           {{"pledged_fen", v("pledged_fen")},
            {"received_fen", v("received_fen")},
            {"refunded_fen", v("refunded_fen")},
            {"cancelled_fen", v("cancelled_fen")},
            {"count", v("pledge_count")}}},
          {"sales",
           {{"sold_fen", v("sold_fen")},
            {"received_fen", v("sale_received_fen")},
            {"refunded_fen", v("sale_refunded_fen")},
            {"cancelled_fen", v("sale_cancelled_fen")},
            {"count", v("sale_count")}}},
          {"spent_fen", v("spent_fen")},
          {"balance_fen", balance}};
}

const char* const kExpenditureSelect =
    "SELECT x.id, e.seq, e.entry_hash, e.recorded_us, "
    "(extract(epoch FROM x.spent_at) * 1000000)::bigint AS spent_us, f.slug AS fund, "
    "c.slug AS campaign, x.amount_fen, x.purpose, x.payee, x.approved_by, x.evidence_ref, "
    "w.id AS wish_id, w.title AS wish_title "
    "FROM ledger_entries e JOIN expenditures x ON x.id = e.object_id "
    "JOIN funds f ON f.id = x.fund_id LEFT JOIN campaigns c ON c.id = x.campaign_id "
    "LEFT JOIN wishes w ON w.id = x.wish_id ";

json expenditure_json(const sql::Result& r, int i) {
  auto text = [&r, i](const char* name) { return std::string(r.text(i, r.column(name))); };
  auto number = [&r, i](const char* name) { return r.int64(i, r.column(name)); };
  int wish = r.column("wish_id"), campaign = r.column("campaign");
  return {{"id", number("id")},
          {"seq", number("seq")},
          {"entry_hash", text("entry_hash")},
          {"recorded_us", number("recorded_us")},
          {"spent_us", number("spent_us")},
          {"fund", text("fund")},
          {"campaign", r.is_null(i, campaign) ? json(nullptr) : json(text("campaign"))},
          {"amount_fen", number("amount_fen")},
          {"purpose", text("purpose")},
          {"payee", text("payee")},
          {"approved_by", text("approved_by")},
          {"evidence", text("evidence_ref")},
          {"wish", r.is_null(i, wish)
                       ? json(nullptr)
                       : json{{"id", number("wish_id")}, {"title", text("wish_title")}}}};
}

std::expected<json, Error> expenditures_between(sql::Connection& conn, std::int64_t from_us,
                                                std::int64_t to_us) {
  auto r = conn.exec(std::string(kExpenditureSelect) +
                         "WHERE e.kind = 'expenditure' AND e.recorded_us >= $1 AND "
                         "e.recorded_us < $2 ORDER BY e.seq",
                     sql::params(from_us, to_us));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  json out = json::array();
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(expenditure_json(*r, i));
  }
  return out;
}

}  // namespace boai::openbooks

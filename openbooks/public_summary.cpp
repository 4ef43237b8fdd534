// Totals in public form: each row of ledger_totals (or ledger_month_totals) summed by fund and by
// campaign in SQL, then named; the tables hold a row per campaign and fund, not per entry.
#include "openbooks/public_summary.hpp"

#include <nlohmann/json.hpp>

#include "donations/period_dates.hpp"
#include "donations/totals_columns.hpp"
#include "openbooks/checkpoints.hpp"
#include "openbooks/public_rows.hpp"

namespace boai::openbooks {

using nlohmann::json;

namespace {

// SUM of every totals column, named as the column.
std::string summed_columns() {
  std::string out;
  for (const char* name : donations::kTotalsColumnNames) {
    out += std::string(", coalesce(sum(t.") + name + "), 0)::bigint AS " + name;
  }
  return out;
}

// The rows of one totals table (with `where` on t), by fund and by campaign, and all of it.
std::expected<json, Error> grouped_totals(sql::Connection& conn, const std::string& table,
                                          const std::string& where, const sql::Params& params) {
  std::string sums = summed_columns();
  auto funds = conn.exec("SELECT f.slug, f.name" + sums + " FROM " + table +
                             " t JOIN funds f ON f.id = t.fund_id WHERE " + where +
                             " GROUP BY f.id ORDER BY f.id",
                         params);
  auto campaigns = conn.exec("SELECT c.slug, c.title AS name, c.status" + sums + " FROM " + table +
                                 " t JOIN campaigns c ON c.id = t.campaign_id WHERE " + where +
                                 " GROUP BY c.id ORDER BY c.id",
                             params);
  auto all = conn.exec("SELECT 1" + sums + " FROM " + table + " t WHERE " + where, params);
  for (auto* r : {&funds, &campaigns, &all}) {
    if (!*r) {
      return std::unexpected(r->error().to_error());
    }
  }
  json out = {
      {"totals", totals_json(*all, 0)}, {"funds", json::array()}, {"campaigns", json::array()}};
  for (int i = 0; i < funds->rows(); ++i) {
    out["funds"].push_back({{"slug", funds->text(i, 0)},
                            {"name", funds->text(i, 1)},
                            {"totals", totals_json(*funds, i)}});
  }
  for (int i = 0; i < campaigns->rows(); ++i) {
    out["campaigns"].push_back({{"slug", campaigns->text(i, 0)},
                                {"title", campaigns->text(i, 1)},
                                {"status", campaigns->text(i, 2)},
                                {"totals", totals_json(*campaigns, i)}});
  }
  return out;
}

}  // namespace

std::expected<json, Error> ledger_summary(sql::Connection& conn) {
  ReadSnapshot snapshot(conn);
  if (snapshot.failure()) {
    return std::unexpected(*snapshot.failure());
  }
  auto head = conn.exec("SELECT last_seq, last_hash FROM ledger_head");
  if (!head) {
    return std::unexpected(head.error().to_error());
  }
  auto checkpoint = latest_checkpoint(conn);
  if (!checkpoint) {
    return std::unexpected(checkpoint.error());
  }
  auto out = grouped_totals(conn, "ledger_totals", "true", {});
  if (!out) {
    return out;
  }
  (*out)["format"] = "boai-ledger-v1";
  (*out)["head"] = {{"seq", head->int64(0, 0)}, {"hash", head->text(0, 1)}};
  (*out)["checkpoint"] = *checkpoint ? checkpoint_json(**checkpoint) : json(nullptr);
  return out;
}

std::expected<json, Error> month_list(sql::Connection& conn) {
  auto r = conn.exec("SELECT t.month" + summed_columns() +
                     " FROM ledger_month_totals t GROUP BY t.month ORDER BY t.month DESC");
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  json months = json::array();
  for (int i = 0; i < r->rows(); ++i) {
    months.push_back({{"month", r->text(i, 0)}, {"totals", totals_json(*r, i)}});
  }
  return json{{"months", std::move(months)}};
}

std::expected<json, Error> month_disclosure(sql::Connection& conn, const std::string& month) {
  auto period = donations::parse_period(month);
  if (!period || period->kind != "month") {
    return std::unexpected(Error{"period_invalid", "a month is YYYY-MM, like 2026-11"});
  }
  ReadSnapshot snapshot(conn);
  if (snapshot.failure()) {
    return std::unexpected(*snapshot.failure());
  }
  auto out = grouped_totals(conn, "ledger_month_totals", "t.month = $1", sql::params(month));
  if (!out) {
    return out;
  }
  auto spent = expenditures_between(conn, period->starts_us, period->ends_us);
  if (!spent) {
    return std::unexpected(spent.error());
  }
  (*out)["month"] = month;
  (*out)["expenditures"] = std::move(*spent);
  return out;
}

}  // namespace boai::openbooks

// One gift: the pledge and what it names in one query, its entries by the pledge index, and for a
// wish the spending that fulfilled it.
#include "openbooks/gift_lookup.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "donations/reference_code.hpp"
#include "openbooks/public_rows.hpp"

namespace boai::openbooks {

using nlohmann::json;

namespace {

constexpr const char* kGiftQuery =
    "SELECT p.id, p.reference, p.amount_fen, p.paid_fen, p.refunded_fen, p.status, p.channel, "
    "CASE p.target_kind WHEN 'wish' THEN 'wish_gift' WHEN 'sale' THEN 'sale_order' "
    "ELSE 'gift' END AS kind, "
    "(extract(epoch FROM p.created_at) * 1000000)::bigint AS created_us, "
    "f.slug AS fund, f.name AS fund_name, c.slug AS campaign, c.title AS campaign_title, "
    "r.year, r.number, r.status AS receipt_status, r.amount_fen AS receipt_fen, "
    "w.id AS wish_id, w.title AS wish_title, w.status AS wish_status, w.amount_fen AS wish_fen, "
    "w.pledged_fen AS wish_pledged_fen, i.title AS item_title, o.quantity, o.stage "
    "FROM pledges p JOIN funds f ON f.id = p.fund_id JOIN campaigns c ON c.id = p.campaign_id "
    "LEFT JOIN receipts r ON r.pledge_id = p.id "
    "LEFT JOIN wishes w ON p.target_kind = 'wish' AND w.id = p.target_id "
    "LEFT JOIN sale_orders o ON o.pledge_id = p.id LEFT JOIN sale_items i ON i.id = o.item_id "
    "WHERE p.reference = $1";

// The entries that record the pledge; the first one's masked name is the gift's public name.
std::expected<json, Error> entries_of(sql::Connection& conn, std::int64_t pledge_id) {
  auto r = conn.exec(
      "SELECT seq, kind, recorded_us, amount_fen, public_name, memo, entry_hash "
      "FROM ledger_entries WHERE pledge_id = $1 ORDER BY seq",
      sql::params(pledge_id));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  json out = json::array();
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back({{"seq", r->int64(i, 0)},
                   {"kind", r->text(i, 1)},
                   {"recorded_us", r->int64(i, 2)},
                   {"amount_fen", r->int64(i, 3)},
                   {"public_name", r->text(i, 4)},
                   {"memo", r->text(i, 5)},
                   {"entry_hash", r->text(i, 6)}});
  }
  return out;
}

std::expected<json, Error> wish_of(sql::Connection& conn, const sql::Result& r) {
  auto text = [&r](const char* name) { return std::string(r.text(0, r.column(name))); };
  auto number = [&r](const char* name) { return r.int64(0, r.column(name)); };
  auto spent = conn.exec(std::string(kExpenditureSelect) +
                             "WHERE e.kind = 'expenditure' AND x.wish_id = $1 ORDER BY e.seq",
                         sql::params(number("wish_id")));
  if (!spent) {
    return std::unexpected(spent.error().to_error());
  }
  json spending = json::array();
  for (int i = 0; i < spent->rows(); ++i) {
    spending.push_back(expenditure_json(*spent, i));
  }
  return json{{"id", number("wish_id")},
              {"title", text("wish_title")},
              {"status", text("wish_status")},
              {"amount_fen", number("wish_fen")},
              {"pledged_fen", number("wish_pledged_fen")},
              {"spending", std::move(spending)}};
}

json receipt_of(const sql::Result& r) {
  if (r.is_null(0, r.column("year"))) {
    return nullptr;
  }
  char number[32];
  std::snprintf(number, sizeof number, "%04lld-%06lld",
                static_cast<long long>(r.int64(0, r.column("year"))),
                static_cast<long long>(r.int64(0, r.column("number"))));
  return {{"number", number},
          {"status", r.text(0, r.column("receipt_status"))},
          {"amount_fen", r.int64(0, r.column("receipt_fen"))}};
}

}  // namespace

std::expected<json, Error> find_gift(sql::Connection& conn, const std::string& reference) {
  if (!donations::is_reference_code(reference)) {
    return std::unexpected(
        Error{"reference_invalid", "a reference is 8 letters and digits, like K7QX2M9P"});
  }
  ReadSnapshot snapshot(conn);
  if (snapshot.failure()) {
    return std::unexpected(*snapshot.failure());
  }
  auto r = conn.exec(kGiftQuery, sql::params(reference));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  if (r->rows() == 0) {
    return std::unexpected(Error{"gift_not_found", "no gift has the reference " + reference});
  }
  auto text = [&r](const char* name) { return std::string(r->text(0, r->column(name))); };
  auto number = [&r](const char* name) { return r->int64(0, r->column(name)); };
  auto entries = entries_of(conn, number("id"));
  if (!entries) {
    return std::unexpected(entries.error());
  }
  json gift = {{"reference", text("reference")},
               {"kind", text("kind")},
               {"status", text("status")},
               {"channel", text("channel")},
               {"amount_fen", number("amount_fen")},
               {"paid_fen", number("paid_fen")},
               {"refunded_fen", number("refunded_fen")},
               {"created_us", number("created_us")},
               {"public_name", entries->empty() ? "" : (*entries)[0]["public_name"]},
               {"fund", {{"slug", text("fund")}, {"name", text("fund_name")}}},
               {"campaign", {{"slug", text("campaign")}, {"title", text("campaign_title")}}},
               {"receipt", receipt_of(*r)},
               {"entries", std::move(*entries)},
               {"wish", nullptr},
               {"sale", nullptr}};
  if (!r->is_null(0, r->column("wish_id"))) {
    auto wish = wish_of(conn, *r);
    if (!wish) {
      return std::unexpected(wish.error());
    }
    gift["wish"] = std::move(*wish);
  }
  if (!r->is_null(0, r->column("item_title"))) {
    gift["sale"] = {
        {"item", text("item_title")}, {"quantity", number("quantity")}, {"stage", text("stage")}};
  }
  return gift;
}

}  // namespace boai::openbooks

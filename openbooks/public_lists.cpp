#include "openbooks/public_lists.hpp"

#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "donations/text_rules.hpp"
#include "openbooks/public_rows.hpp"
#include "sql/array_param.hpp"

namespace boai::openbooks {

using nlohmann::json;

namespace {

std::int64_t before_or_newest(std::int64_t before_id) {
  return before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max();
}

// The expenditures that fulfilled these wishes, by wish id.
std::expected<std::map<std::int64_t, json>, Error> spending_of(
    sql::Connection& conn, const std::vector<std::int64_t>& wish_ids) {
  sql::ArrayParam ids;
  for (auto id : wish_ids) {
    ids.add(id);
  }
  auto r = conn.exec(std::string(kExpenditureSelect) +
                         "WHERE e.kind = 'expenditure' AND x.wish_id = ANY($1::bigint[]) "
                         "ORDER BY e.seq",
                     {ids.param()});
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  std::map<std::int64_t, json> out;
  int wish = r->column("wish_id");
  for (int i = 0; i < r->rows(); ++i) {
    out[r->int64(i, wish)].push_back(expenditure_json(*r, i));
  }
  return out;
}

}  // namespace

std::expected<json, Error> expenditure_page(sql::Connection& conn, std::int64_t before_id,
                                            std::int64_t limit) {
  auto r = conn.exec(std::string(kExpenditureSelect) +
                         "WHERE e.kind = 'expenditure' AND x.id < $1 ORDER BY x.id DESC LIMIT $2",
                     sql::params(before_or_newest(before_id), limit));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  json page = json::array();
  for (int i = 0; i < r->rows(); ++i) {
    page.push_back(expenditure_json(*r, i));
  }
  json next = page.empty() ? json(nullptr) : page.back()["id"];
  return json{{"expenditures", std::move(page)}, {"next_before_id", std::move(next)}};
}

std::expected<json, Error> wish_page(sql::Connection& conn, std::int64_t before_id,
                                     std::int64_t limit) {
  auto r = conn.exec(
      "SELECT w.id, w.title, w.category, w.amount_fen, w.status, w.requester_name, "
      "(extract(epoch FROM w.created_at) * 1000000)::bigint AS created_us, c.slug AS campaign, "
      "f.slug AS fund, g.gifts, g.pledged_fen, g.received_fen "
      "FROM wishes w JOIN campaigns c ON c.id = w.campaign_id JOIN funds f ON f.id = w.fund_id, "
      "LATERAL (SELECT count(*) AS gifts, coalesce(sum(p.amount_fen), 0)::bigint AS pledged_fen, "
      "  coalesce(sum(p.paid_fen - p.refunded_fen), 0)::bigint AS received_fen "
      "  FROM pledges p WHERE p.target_kind = 'wish' AND p.target_id = w.id "
      "  AND p.status NOT IN ('cancelled', 'expired')) g "
      "WHERE w.status IN ('approved', 'funded', 'fulfilled') AND w.id < $1 "
      "ORDER BY w.id DESC LIMIT $2",
      sql::params(before_or_newest(before_id), limit));
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  std::vector<std::int64_t> ids;
  for (int i = 0; i < r->rows(); ++i) {
    ids.push_back(r->int64(i, 0));
  }
  auto spending = spending_of(conn, ids);
  if (!spending) {
    return std::unexpected(spending.error());
  }
  json page = json::array();
  for (int i = 0; i < r->rows(); ++i) {
    auto number = [&r, i](const char* name) { return r->int64(i, r->column(name)); };
    auto text = [&r, i](const char* name) { return std::string(r->text(i, r->column(name))); };
    auto spent = spending->find(ids[static_cast<std::size_t>(i)]);
    page.push_back({{"id", number("id")},
                    {"title", text("title")},
                    {"category", text("category")},
                    {"status", text("status")},
                    {"requester", donations::mask_name(text("requester_name"), false)},
                    {"created_us", number("created_us")},
                    {"campaign", text("campaign")},
                    {"fund", text("fund")},
                    {"amount_fen", number("amount_fen")},
                    {"gifts", number("gifts")},
                    {"pledged_fen", number("pledged_fen")},
                    {"received_fen", number("received_fen")},
                    {"spending", spent == spending->end() ? json::array() : spent->second}});
  }
  json next = page.empty() ? json(nullptr) : page.back()["id"];
  return json{{"wishes", std::move(page)}, {"next_before_id", std::move(next)}};
}

}  // namespace boai::openbooks

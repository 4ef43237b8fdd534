// held_pledges and room_totals: one grouped read over the open pledges (a partial index keeps it
// to them, sql/migrations/0020_open_pledges.sql).
#include "donations/held_pledges.hpp"

#include "donations/catalog.hpp"

namespace boai::donations {

std::expected<std::map<std::int64_t, Totals>, Error> held_pledges(
    sql::Connection& conn, Money above, std::optional<std::int64_t> campaign_id) {
  auto r = conn.exec(
      "SELECT campaign_id, sum(amount_fen - paid_fen)::bigint, count(*) FROM pledges "
      "WHERE status IN ('pledged', 'part_paid') AND amount_fen > $1 "
      "AND target_kind IS DISTINCT FROM 'sale' "  // an order counts in sold_fen, not pledged_fen
      "AND ($2::bigint IS NULL OR campaign_id = $2) GROUP BY campaign_id",
      sql::Params{sql::param(above.fen()),
                  campaign_id ? sql::param(*campaign_id) : sql::Param()});  // NULL: every campaign
  if (!r) {
    return std::unexpected(r.error().to_error());
  }
  std::map<std::int64_t, Totals> out;
  for (int i = 0; i < r->rows(); ++i) {
    auto& t = out[r->int64(i, 0)];
    t.held = Money::from_fen(r->int64(i, 1));
    t.held_count = r->int64(i, 2);
  }
  return out;
}

std::expected<Totals, Error> room_totals(sql::Connection& conn, std::int64_t campaign_id,
                                         Money show_unpaid_up_to) {
  auto totals = campaign_totals(conn, campaign_id);
  if (!totals) {
    return totals;
  }
  auto held = held_pledges(conn, show_unpaid_up_to, campaign_id);
  if (!held) {
    return std::unexpected(held.error());
  }
  if (auto it = held->find(campaign_id); it != held->end()) {
    totals->held = it->second.held;
    totals->held_count = it->second.held_count;
  }
  return totals;
}

}  // namespace boai::donations

// The reports' SQL: one statement for the reconciliation (every figure of every group in one pass
// with GROUPING SETS), two for a close-out (its sums, and the pledges still owing).
#include "donations/reports.hpp"

#include <nlohmann/json.hpp>

#include "donations/pledge_rows.hpp"
#include "sql/params.hpp"

namespace boai::donations {

using detail::failed;
using sql::params;

namespace {

// Each entry of the period as one row of figures; then, per pledge open at the period's end, what
// it still owed then (from the ledger alone, so a closed period's figures never change).
// Charity-sale orders count as pledges and their payments as payments: a statement does not know
// the difference.
constexpr const char* kReconciliationSql = R"SQL(
WITH moves AS (
  SELECT e.fund_id, coalesce(e.campaign_id, 0) AS campaign_id,
         CASE WHEN e.kind IN ('payment', 'sale_payment') THEN coalesce(m.provider, 'desk')
              ELSE coalesce(p.channel, 'desk') END AS channel,
         CASE WHEN e.kind IN ('pledge', 'sale') THEN e.amount_fen ELSE 0 END AS pledged,
         CASE WHEN e.kind IN ('pledge', 'sale') THEN 1 ELSE 0 END AS pledges,
         CASE WHEN e.kind IN ('cancel', 'expire', 'sale_cancel', 'sale_expire')
              THEN e.amount_fen ELSE 0 END AS cancelled,
         CASE WHEN e.kind IN ('payment', 'sale_payment') THEN e.amount_fen ELSE 0 END AS paid,
         CASE WHEN e.kind IN ('payment', 'sale_payment') THEN 1 ELSE 0 END AS payments,
         CASE WHEN e.kind IN ('payment', 'sale_payment') AND EXISTS (
                SELECT 1 FROM statement_lines s
                WHERE s.payment_id = e.payment_id AND s.kind = 'payment')
              THEN e.amount_fen ELSE 0 END AS settled,
         CASE WHEN e.kind IN ('payment', 'sale_payment') THEN coalesce(m.fee_fen, 0)
              ELSE 0 END AS fees,
         CASE WHEN e.kind IN ('refund', 'sale_refund') THEN e.amount_fen ELSE 0 END AS refunded,
         CASE WHEN e.kind = 'correction_received' THEN e.amount_fen ELSE 0 END AS corr_received,
         CASE WHEN e.kind = 'expenditure' THEN e.amount_fen ELSE 0 END AS spent,
         CASE WHEN e.kind = 'correction_spent' THEN e.amount_fen ELSE 0 END AS corr_spent,
         0::bigint AS outstanding
  FROM ledger_entries e
  LEFT JOIN pledges p ON p.id = e.pledge_id
  LEFT JOIN payments m ON m.id = e.payment_id
  WHERE e.recorded_us >= $1 AND e.recorded_us < $2
  UNION ALL
  SELECT p.fund_id, p.campaign_id, p.channel, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         greatest(o.pledged - o.paid, 0)
  FROM (SELECT e.pledge_id,
               sum(e.amount_fen) FILTER (WHERE e.kind IN ('pledge', 'sale')) AS pledged,
               coalesce(sum(e.amount_fen)
                        FILTER (WHERE e.kind IN ('payment', 'sale_payment')), 0) AS paid,
               coalesce(sum(e.amount_fen)
                        FILTER (WHERE e.kind IN ('refund', 'sale_refund')), 0) AS refunded,
               bool_or(e.kind IN ('cancel', 'expire', 'sale_cancel', 'sale_expire')) AS ended
        FROM ledger_entries e
        WHERE e.pledge_id IS NOT NULL AND e.recorded_us < $2
        GROUP BY e.pledge_id) o
  JOIN pledges p ON p.id = o.pledge_id
  WHERE o.pledged IS NOT NULL AND NOT o.ended AND NOT (o.refunded > 0 AND o.refunded >= o.paid)
    AND o.pledged > o.paid
),
sums AS (
  SELECT GROUPING(fund_id, channel, campaign_id) AS g, fund_id, channel, campaign_id,
         sum(pledged)::bigint AS pledged, sum(pledges)::bigint AS pledges,
         sum(cancelled)::bigint AS cancelled, sum(paid)::bigint AS paid,
         sum(payments)::bigint AS payments, sum(settled)::bigint AS settled,
         sum(fees)::bigint AS fees, sum(refunded)::bigint AS refunded,
         sum(corr_received)::bigint AS corr_received, sum(spent)::bigint AS spent,
         sum(corr_spent)::bigint AS corr_spent, sum(outstanding)::bigint AS outstanding
  FROM moves
  GROUP BY GROUPING SETS ((fund_id), (channel), (campaign_id), ())
)
SELECT s.g, coalesce(f.slug, c.slug, s.channel, '') AS key,
       coalesce(f.name, c.title, s.channel, '') AS name,
       coalesce(s.pledged, 0), coalesce(s.pledges, 0), coalesce(s.cancelled, 0),
       coalesce(s.paid, 0), coalesce(s.payments, 0), coalesce(s.settled, 0),
       coalesce(s.fees, 0), coalesce(s.refunded, 0), coalesce(s.corr_received, 0),
       coalesce(s.spent, 0), coalesce(s.corr_spent, 0), coalesce(s.outstanding, 0),
       (SELECT last_seq FROM ledger_head) AS seq
FROM sums s
LEFT JOIN funds f ON s.g = 3 AND f.id = s.fund_id
LEFT JOIN campaigns c ON s.g = 6 AND c.id = s.campaign_id
ORDER BY s.g, key
)SQL";

Figures figures_of(const sql::Result& r, int row) {
  auto money = [&](int col) { return Money::from_fen(r.int64(row, col)); };
  Figures f;
  f.pledged = money(3);
  f.pledges = r.int64(row, 4);
  f.cancelled = money(5);
  f.paid = money(6);
  f.payments = r.int64(row, 7);
  f.settled = money(8);
  f.fees = money(9);
  f.refunded = money(10);
  f.corrections_received = money(11);
  f.spent = money(12);
  f.corrections_spent = money(13);
  f.outstanding = money(14);
  return f;
}

std::string group_name(std::int64_t grouping) {
  switch (grouping) {
    case 3:
      return "fund";
    case 5:
      return "channel";
    case 6:
      return "campaign";
    default:
      return "total";
  }
}

}  // namespace

std::expected<Reconciliation, Error> reconciliation(sql::Connection& conn, const Period& period) {
  Reconciliation out;
  out.period = period;
  out.as_of_us = now_us();
  auto r = conn.exec(kReconciliationSql, params(period.starts_us, period.ends_us));
  if (!r) {
    return std::unexpected(failed(r.error()));
  }
  for (int i = 0; i < r->rows(); ++i) {
    out.ledger_seq = r->int64(i, 15);
    auto group = group_name(r->int64(i, 0));
    if (group == "total") {
      out.totals = figures_of(*r, i);
      continue;
    }
    out.rows.push_back(
        {group, std::string(r->text(i, 1)), std::string(r->text(i, 2)), figures_of(*r, i)});
  }
  return out;
}

std::expected<CloseOut, Error> closeout(sql::Connection& conn, const std::string& campaign) {
  auto c =
      conn.exec("SELECT id, slug, title, status FROM campaigns WHERE slug = $1", params(campaign));
  if (!c) {
    return std::unexpected(failed(c.error()));
  }
  if (c->rows() == 0) {
    return std::unexpected(make_error("campaign_not_found", "no campaign \"" + campaign + "\""));
  }
  CloseOut out;
  out.campaign = std::string(c->text(0, 1));
  out.title = std::string(c->text(0, 2));
  out.status = std::string(c->text(0, 3));
  out.as_of_us = now_us();
  // Gifts and wishes pledged in the live room; sale orders are purchases and expire by themselves.
  auto sums = conn.exec(R"SQL(
    SELECT count(*), coalesce(sum(amount_fen), 0)::bigint,
           count(*) FILTER (WHERE paid_fen >= amount_fen),
           coalesce(sum(paid_fen), 0)::bigint, coalesce(sum(refunded_fen), 0)::bigint,
           count(*) FILTER (WHERE status IN ('cancelled', 'expired')),
           coalesce(sum(amount_fen - paid_fen)
                    FILTER (WHERE status IN ('cancelled', 'expired')), 0)::bigint,
           count(*) FILTER (WHERE status IN ('pledged', 'part_paid')),
           coalesce(sum(amount_fen - paid_fen)
                    FILTER (WHERE status IN ('pledged', 'part_paid')), 0)::bigint
    FROM pledges
    WHERE campaign_id = $1 AND channel = 'live' AND target_kind IS DISTINCT FROM 'sale')SQL",
                        params(c->int64(0, 0)));
  if (!sums) {
    return std::unexpected(failed(sums.error()));
  }
  out.pledges = sums->int64(0, 0);
  out.pledged = Money::from_fen(sums->int64(0, 1));
  out.paid_pledges = sums->int64(0, 2);
  out.arrived = Money::from_fen(sums->int64(0, 3));
  out.refunded = Money::from_fen(sums->int64(0, 4));
  out.cancelled_pledges = sums->int64(0, 5);
  out.cancelled = Money::from_fen(sums->int64(0, 6));
  out.outstanding_pledges = sums->int64(0, 7);
  out.outstanding = Money::from_fen(sums->int64(0, 8));
  auto owing = conn.exec(R"SQL(
    SELECT reference, (extract(epoch FROM created_at) * 1000000)::bigint, amount_fen, paid_fen,
           status, donor_name, anonymous, contact
    FROM pledges
    WHERE campaign_id = $1 AND channel = 'live' AND target_kind IS DISTINCT FROM 'sale'
      AND status IN ('pledged', 'part_paid')
    ORDER BY id)SQL",
                         params(c->int64(0, 0)));
  if (!owing) {
    return std::unexpected(failed(owing.error()));
  }
  for (int i = 0; i < owing->rows(); ++i) {
    out.owing.push_back({std::string(owing->text(i, 0)), owing->int64(i, 1),
                         Money::from_fen(owing->int64(i, 2)), Money::from_fen(owing->int64(i, 3)),
                         std::string(owing->text(i, 4)), std::string(owing->text(i, 5)),
                         owing->boolean(i, 6), std::string(owing->text(i, 7))});
  }
  return out;
}

nlohmann::json figures_json(const Figures& f) {
  return {{"pledged_fen", f.pledged.fen()},
          {"pledges", f.pledges},
          {"cancelled_fen", f.cancelled.fen()},
          {"paid_fen", f.paid.fen()},
          {"payments", f.payments},
          {"settled_fen", f.settled.fen()},
          {"fees_fen", f.fees.fen()},
          {"refunded_fen", f.refunded.fen()},
          {"corrections_received_fen", f.corrections_received.fen()},
          {"spent_fen", f.spent.fen()},
          {"corrections_spent_fen", f.corrections_spent.fen()},
          {"outstanding_fen", f.outstanding.fen()}};
}

}  // namespace boai::donations

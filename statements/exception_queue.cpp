// The queue's two listings, each one query.
#include "statements/exception_queue.hpp"

#include <set>

#include "donations/exception_resolution.hpp"
#include "sql/transaction.hpp"
#include "statements/statement_matching.hpp"

namespace boai::statements {

using sql::params;

namespace {

constexpr const char* kOpen = R"(
SELECT e.id, e.kind, e.status, coalesce(l.provider, n.provider, ''),
       coalesce(l.txn_id, n.provider_txn_id, ''), coalesce(l.line_no, 0),
       to_char(coalesce(l.occurred_at, n.paid_at, e.created_at) AT TIME ZONE 'Asia/Shanghai',
               'YYYY-MM-DD HH24:MI'),
       coalesce(p.reference, ''), e.expected_fen, e.actual_fen,
       coalesce(l.counterparty, n.remark, ''), e.detail,
       coalesce((SELECT string_agg(cp.reference || ' ' || c.score, ', '
                                   ORDER BY c.score DESC, cp.reference)
                 FROM reconcile_candidates c JOIN pledges cp ON cp.id = c.pledge_id
                 WHERE c.exception_id = e.id), ''),
       CASE WHEN e.notice_id IS NOT NULL THEN 'notice' WHEN e.line_id IS NOT NULL THEN 'statement'
            ELSE 'pledge' END,
       coalesce(p.donor_name, ''), coalesce(p.contact, ''), coalesce(e.proposal, ''),
       coalesce(e.proposed_by, '')
FROM reconcile_exceptions e
LEFT JOIN statement_lines l ON l.id = e.line_id
LEFT JOIN payment_notices n ON n.id = e.notice_id
LEFT JOIN pledges p ON p.id = e.pledge_id
WHERE e.status <> 'resolved' AND ($1 = '' OR e.kind = $1) AND e.id > $3
ORDER BY e.id LIMIT $2)";

constexpr const char* kOverdueList = R"(
SELECT e.id, p.reference, p.amount_fen, p.donor_name, p.contact, c.slug,
       to_char(p.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
       floor(extract(epoch FROM now() - p.created_at) / 86400)::bigint
FROM reconcile_exceptions e
JOIN pledges p ON p.id = e.pledge_id
JOIN campaigns c ON c.id = p.campaign_id
WHERE e.kind = 'pledge_without_payment' AND e.status <> 'resolved'
ORDER BY p.created_at, p.id LIMIT $1)";

std::optional<donations::Money> money_or_null(const sql::Result& r, int row, int column) {
  if (r.is_null(row, column)) {
    return std::nullopt;
  }
  return donations::Money::from_fen(r.int64(row, column));
}

}  // namespace

std::expected<std::vector<QueueEntry>, Error> list_exceptions(sql::Connection& conn,
                                                              const std::string& kind, int limit,
                                                              std::int64_t after_id) {
  static const std::set<std::string> kKinds = {"",
                                               "amount_differs",
                                               "pledge_without_payment",
                                               "payment_without_pledge",
                                               "duplicate_payment",
                                               "refund"};
  if (!kKinds.contains(kind)) {
    return std::unexpected(make_error("kind_invalid",
                                      "--kind is amount_differs, pledge_without_payment, "
                                      "payment_without_pledge, duplicate_payment or refund"));
  }
  auto r = conn.exec(kOpen, params(kind, limit, after_id));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<QueueEntry> out;
  for (int i = 0; i < r->rows(); ++i) {
    QueueEntry e;
    e.id = r->int64(i, 0);
    e.kind = r->text(i, 1);
    e.status = r->text(i, 2);
    e.provider = r->text(i, 3);
    e.txn_id = r->text(i, 4);
    e.line_no = r->int64(i, 5);
    e.occurred = r->text(i, 6);
    e.reference = r->text(i, 7);
    e.expected = money_or_null(*r, i, 8);
    e.actual = money_or_null(*r, i, 9);
    e.counterparty = r->text(i, 10);
    e.detail = r->text(i, 11);
    e.candidates = r->text(i, 12);
    e.source = r->text(i, 13);
    e.donor_name = r->text(i, 14);
    e.contact = r->text(i, 15);
    e.proposal = r->text(i, 16);
    e.proposed_by = r->text(i, 17);
    e.actions = donations::actions_for(e.kind, e.source, !e.reference.empty());
    out.push_back(std::move(e));
  }
  return out;
}

std::expected<std::vector<OverduePledge>, Error> list_overdue(sql::Connection& conn, int days,
                                                              int limit) {
  if (auto refreshed = refresh_overdue(conn, days); !refreshed) {
    return std::unexpected(refreshed.error());
  }
  auto r = conn.exec(kOverdueList, params(limit));
  if (!r) {
    return std::unexpected(sql::db_failure(r.error()));
  }
  std::vector<OverduePledge> out;
  for (int i = 0; i < r->rows(); ++i) {
    OverduePledge o;
    o.exception_id = r->int64(i, 0);
    o.reference = r->text(i, 1);
    o.amount = donations::Money::from_fen(r->int64(i, 2));
    o.donor_name = r->text(i, 3);
    o.contact = r->text(i, 4);
    o.campaign = r->text(i, 5);
    o.created = r->text(i, 6);
    o.days = r->int64(i, 7);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace boai::statements

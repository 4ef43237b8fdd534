// match_staged and refresh_overdue: a few statements whatever the number of lines; every value a
// parameter. The outcome of a line is decided once, in kJudge, and kept with it.
#include "statements/statement_matching.hpp"

#include "sql/transaction.hpp"

namespace boai::statements {

using sql::params;

namespace {

// A bank line without a serial number: its digest, then its place among identical lines.
constexpr const char* kNumberDerived =
    "UPDATE statement_stage s SET txn_id = s.txn_id || '#' || n.rn "
    "FROM (SELECT line_no, row_number() OVER (PARTITION BY txn_id ORDER BY line_no) AS rn "
    "      FROM statement_stage WHERE derived) n "
    "WHERE s.line_no = n.line_no";

constexpr const char* kDropSeen =
    "DELETE FROM statement_stage s USING statement_lines l "
    "WHERE l.provider = $1 AND l.txn_id = s.txn_id";

// $1 provider, $2 import id. before_fen: what lines before this one in the same file paid the
// same pledge (computed only for references that appear more than once), and lines of earlier
// imports still waiting to be posted to it. OFFSET 0 keeps resolved and judged subqueries of their
// own: flattened, every use of outcome pasted its CASE and the CASEs it reads, each line was judged
// a dozen times, and that was half the SELECT's time at a million lines. kKeep ends it, with or
// without ON CONFLICT before it (match_staged says when).
constexpr const char* kJudge = R"(
WITH multi AS (
  SELECT reference FROM statement_stage WHERE kind = 'payment' AND reference <> ''
  GROUP BY reference HAVING count(*) > 1),
earlier AS (
  SELECT s.line_no, coalesce(sum(s.amount_fen) OVER (PARTITION BY s.reference
           ORDER BY s.occurred_us, s.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
         0) AS fen
  FROM statement_stage s JOIN multi m ON m.reference = s.reference WHERE s.kind = 'payment'),
waiting AS (
  SELECT pledge_id, sum(amount_fen) AS fen FROM statement_lines
  WHERE post_as = 'pledge' AND payment_id IS NULL GROUP BY pledge_id),
resolved AS (
  SELECT s.*, pay.id AS payment_id, pay.amount_fen AS recorded_fen,
    CASE WHEN pay.id IS NOT NULL THEN pay.pledge_id
         ELSE coalesce(orig.pledge_id, byref.id) END AS pledge_id,
    CASE WHEN pay.id IS NOT NULL THEN 'txn_id'
         WHEN orig.pledge_id IS NOT NULL THEN 'original_txn'
         WHEN byref.id IS NOT NULL THEN CASE WHEN $1 = 'bank' THEN 'remark' ELSE 'reference' END
         ELSE '' END AS method,
    coalesce(e.fen, 0) AS earlier_fen,
    -- The pledge's row from whichever join found it: the pledges are hashed once (for the
    -- reference), and the few found through a payment are read by their key.
    CASE WHEN pay.id IS NOT NULL THEN pp.status WHEN orig.pledge_id IS NOT NULL THEN po.status
         ELSE byref.status END AS p_status,
    CASE WHEN pay.id IS NOT NULL THEN pp.amount_fen
         WHEN orig.pledge_id IS NOT NULL THEN po.amount_fen ELSE byref.amount_fen END AS p_amount,
    CASE WHEN pay.id IS NOT NULL THEN pp.paid_fen WHEN orig.pledge_id IS NOT NULL THEN po.paid_fen
         ELSE byref.paid_fen END AS p_paid,
    CASE WHEN pay.id IS NOT NULL THEN pp.refunded_fen
         WHEN orig.pledge_id IS NOT NULL THEN po.refunded_fen ELSE byref.refunded_fen END
      AS p_refunded,
    CASE WHEN pay.id IS NOT NULL THEN pp.reference
         WHEN orig.pledge_id IS NOT NULL THEN po.reference ELSE byref.reference END
      AS pledge_reference
  FROM statement_stage s
  LEFT JOIN payments pay
    ON s.kind = 'payment' AND pay.provider = $1 AND pay.provider_txn_id = s.txn_id
  LEFT JOIN pledges pp ON pp.id = pay.pledge_id
  LEFT JOIN payments orig
    ON s.kind = 'refund' AND orig.provider = $1 AND orig.provider_txn_id = s.original_txn_id
  LEFT JOIN pledges po ON po.id = orig.pledge_id
  LEFT JOIN pledges byref ON s.reference <> '' AND byref.reference = s.reference
  LEFT JOIN earlier e ON e.line_no = s.line_no
  OFFSET 0),
judged AS (
  SELECT r.*, r.p_status AS pledge_status,
    r.p_amount - r.p_paid - r.before_fen AS open_fen,
    CASE
      WHEN r.kind = 'refund' THEN
        CASE WHEN r.p_refunded >= r.amount_fen THEN 'matched' ELSE 'refund' END
      WHEN r.payment_id IS NOT NULL THEN
        CASE WHEN r.recorded_fen <> r.amount_fen THEN 'amount_differs'
             WHEN r.pledge_id IS NULL THEN 'payment_without_pledge'
             ELSE 'matched' END
      WHEN r.p_status IS NULL OR r.p_status IN ('cancelled', 'expired', 'refunded')
        THEN 'payment_without_pledge'
      WHEN r.p_paid + r.before_fen >= r.p_amount THEN 'duplicate_payment'
      WHEN r.p_amount - r.p_paid - r.before_fen <> r.amount_fen THEN 'amount_differs'
      ELSE 'matched' END AS outcome
  FROM (SELECT r0.*, r0.earlier_fen + coalesce(w.fen, 0) AS before_fen
        FROM resolved r0 LEFT JOIN waiting w ON w.pledge_id = r0.pledge_id) r
  OFFSET 0),
kept AS (
  INSERT INTO statement_lines (import_id, provider, txn_id, kind, line_no, occurred_at,
    amount_fen, fee_fen, reference, original_txn_id, counterparty, remark, outcome,
    match_method, pledge_id, expected_fen, detail, post_as, payment_id)
  SELECT $2, $1, txn_id, kind, line_no,
    'epoch'::timestamptz + occurred_us * interval '1 microsecond', amount_fen, fee_fen,
    reference, original_txn_id, counterparty, remark, outcome,
    CASE WHEN outcome = 'payment_without_pledge' AND payment_id IS NULL THEN '' ELSE method END,
    CASE WHEN outcome = 'payment_without_pledge' AND payment_id IS NULL THEN NULL
         ELSE pledge_id END,
    CASE WHEN kind = 'refund' THEN NULL
         WHEN payment_id IS NOT NULL THEN recorded_fen ELSE open_fen END,
    CASE WHEN kind = 'payment' AND payment_id IS NULL
              AND pledge_status IN ('cancelled', 'expired', 'refunded')
           THEN 'pledge ' || pledge_reference || ' is ' || pledge_status
         WHEN outcome = 'duplicate_payment' THEN 'pledge ' || pledge_reference || ' was paid'
         WHEN outcome = 'amount_differs' AND payment_id IS NOT NULL
           THEN 'recorded before with another amount'
         ELSE '' END,
    CASE WHEN kind = 'refund' OR payment_id IS NOT NULL THEN 'none'
         WHEN outcome IN ('matched', 'amount_differs') THEN 'pledge'
         ELSE 'unmatched' END,
    payment_id
  FROM judged)";

// The end of kJudge: every kept line that is not plainly matched goes to the queue.
constexpr const char* kKeep = R"(
  RETURNING id, outcome, pledge_id, expected_fen, amount_fen, detail),
queued AS (
  INSERT INTO reconcile_exceptions (kind, line_id, pledge_id, expected_fen, actual_fen, detail)
  SELECT outcome, id, pledge_id, expected_fen, amount_fen, detail FROM kept
  WHERE outcome <> 'matched'
  RETURNING 1)
SELECT count(*), count(*) FILTER (WHERE outcome = 'matched'), (SELECT count(*) FROM queued)
FROM kept)";

// A transaction already kept, or earlier in the same file, is skipped.
constexpr const char* kSkipKept = "\n  ORDER BY line_no ON CONFLICT (provider, txn_id) DO NOTHING";

// The penalties, in thousandths (docs/FINANCE.md "Scoring"): amount, days between the pledge
// and the payment, and the payer's name against the donor's. $1 import id.
constexpr const char* kCandidates = R"(
INSERT INTO reconcile_candidates (exception_id, pledge_id, score, amount_penalty, date_penalty,
                                  name_penalty)
SELECT e.id, c.pledge_id, 1000 - c.ap - c.dp - c.np, c.ap, c.dp, c.np
FROM reconcile_exceptions e
JOIN statement_lines l ON l.id = e.line_id
CROSS JOIN LATERAL (
  SELECT p.id AS pledge_id, a.ap, d.dp, n.np
  FROM pledges p
  CROSS JOIN LATERAL (SELECT CASE WHEN p.amount_fen = l.amount_fen THEN 0
      ELSE 100 + (abs(p.amount_fen - l.amount_fen) * 1000 / l.amount_fen)::int END AS ap) a
  CROSS JOIN LATERAL (SELECT
      least(280, 20 * floor(abs(extract(epoch FROM l.occurred_at - p.created_at)) / 86400)::int)
      + CASE WHEN l.occurred_at < p.created_at - interval '1 hour' THEN 50 ELSE 0 END AS dp) d
  CROSS JOIN LATERAL (SELECT CASE
      WHEN l.provider = 'wechat' OR btrim(l.counterparty) = '' OR btrim(p.donor_name) = ''
           OR p.anonymous THEN 100
      WHEN btrim(l.counterparty) = btrim(p.donor_name) THEN 0
      WHEN position('*' IN l.counterparty) > 0 THEN
        CASE WHEN left(btrim(l.counterparty), 1) = left(btrim(p.donor_name), 1) THEN 50
             ELSE 150 END
      WHEN position(btrim(p.donor_name) IN l.counterparty) > 0 THEN 50
      ELSE 300 END AS np) n
  WHERE p.status IN ('pledged', 'part_paid')
    AND p.amount_fen BETWEEN l.amount_fen * 9 / 10 AND l.amount_fen * 11 / 10
    AND p.created_at BETWEEN l.occurred_at - interval '14 days' AND l.occurred_at + interval '1 day'
  ORDER BY a.ap + d.dp + n.np, p.id
  LIMIT 3) c
WHERE e.kind = 'payment_without_pledge' AND e.status = 'open' AND l.import_id = $1
  AND l.kind = 'payment' AND l.pledge_id IS NULL AND c.ap + c.dp + c.np <= 500
ON CONFLICT DO NOTHING)";

constexpr const char* kOverdue = R"(
INSERT INTO reconcile_exceptions (kind, pledge_id, expected_fen, actual_fen, detail)
SELECT 'pledge_without_payment', p.id, p.amount_fen, 0,
       'no payment ' || $1::int || ' days after the pledge'
FROM pledges p
WHERE p.status = 'pledged' AND p.paid_fen = 0 AND p.target_kind IS DISTINCT FROM 'sale'
  AND p.created_at < now() - $1::int * interval '1 day'
ON CONFLICT (pledge_id) WHERE kind = 'pledge_without_payment' AND status <> 'resolved'
DO NOTHING)";

// The payment that ends an overdue entry is the ledger's record of why it ended.
constexpr const char* kOverdueSettled = R"(
UPDATE reconcile_exceptions e
SET status = 'resolved', resolved_by = 'boai', resolved_at = now(),
    resolution = 'the pledge is ' || p.status
FROM pledges p
WHERE e.kind = 'pledge_without_payment' AND e.status = 'open' AND p.id = e.pledge_id
  AND p.status <> 'pledged')";

}  // namespace

std::expected<MatchCounts, Error> match_staged(sql::Connection& tx, const std::string& provider,
                                               std::int64_t import_id) {
  MatchCounts counts;
  if (provider == "bank") {
    if (auto n = tx.exec(kNumberDerived); !n) {
      return std::unexpected(sql::db_failure(n.error()));
    }
  }
  auto seen = tx.exec(kDropSeen, params(provider));
  if (!seen) {
    return std::unexpected(sql::db_failure(seen.error()));
  }
  counts.already_imported = seen->affected();
  if (auto a = tx.exec("ANALYZE statement_stage"); !a) {
    return std::unexpected(sql::db_failure(a.error()));
  }
  // The lines staged are new (kDropSeen), so a plain INSERT keeps them: ON CONFLICT searched the
  // unique index once more for every line, a quarter of the time of keeping a million. Only a file
  // that repeats a transaction id, or another import keeping the same transactions at the same
  // time, trips the unique key: then the same statement with ON CONFLICT keeps the first of each.
  if (auto s = tx.exec("SAVEPOINT judge"); !s) {
    return std::unexpected(sql::db_failure(s.error()));
  }
  auto judged = tx.exec(std::string(kJudge) + kKeep, params(provider, import_id));
  if (!judged && judged.error().constraint == "statement_lines_provider_txn_id_key") {
    if (auto r = tx.exec("ROLLBACK TO SAVEPOINT judge"); !r) {
      return std::unexpected(sql::db_failure(r.error()));
    }
    judged = tx.exec(std::string(kJudge) + kSkipKept + kKeep, params(provider, import_id));
  }
  if (!judged) {
    return std::unexpected(sql::db_failure(judged.error()));
  }
  counts.new_lines = judged->int64(0, 0);
  counts.matched = judged->int64(0, 1);
  counts.exceptions = judged->int64(0, 2);
  if (counts.new_lines > counts.matched) {
    if (auto c = tx.exec(kCandidates, params(import_id)); !c) {
      return std::unexpected(sql::db_failure(c.error()));
    }
  }
  return counts;
}

std::expected<std::int64_t, Error> refresh_overdue(sql::Connection& conn, int days) {
  return sql::in_transaction(conn, [&](sql::Connection& tx) -> std::expected<std::int64_t, Error> {
    auto added = tx.exec(kOverdue, params(days));
    if (!added) {
      return std::unexpected(sql::db_failure(added.error()));
    }
    if (auto s = tx.exec(kOverdueSettled); !s) {
      return std::unexpected(sql::db_failure(s.error()));
    }
    return added->affected();
  });
}

}  // namespace boai::statements

// post_statement_lines: waiting lines read in pages of 500 by id, each recorded as a payment, the
// lines then marked with their payment in one statement per page.
#include "statements/statement_posting.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "donations/payments.hpp"
#include "donations/text_rules.hpp"
#include "sql/array_param.hpp"
#include "sql/transaction.hpp"

namespace boai::statements {

using sql::params;

namespace {

constexpr const char* kWaiting = R"(
SELECT l.id, l.provider, l.txn_id, l.amount_fen, l.fee_fen,
       (extract(epoch FROM l.occurred_at) * 1000000)::bigint, l.post_as,
       coalesce(p.reference, ''), l.remark, l.import_id, l.line_no, l.pledge_id
FROM statement_lines l LEFT JOIN pledges p ON p.id = l.pledge_id
WHERE l.post_as <> 'none' AND l.payment_id IS NULL AND l.id > $1 AND l.import_id = $2
ORDER BY l.id LIMIT 500)";

constexpr const char* kWaitingAnyImport = R"(
SELECT l.id, l.provider, l.txn_id, l.amount_fen, l.fee_fen,
       (extract(epoch FROM l.occurred_at) * 1000000)::bigint, l.post_as,
       coalesce(p.reference, ''), l.remark, l.import_id, l.line_no, l.pledge_id
FROM statement_lines l LEFT JOIN pledges p ON p.id = l.pledge_id
WHERE l.post_as <> 'none' AND l.payment_id IS NULL AND l.id > $1
ORDER BY l.id LIMIT 500)";

constexpr const char* kMarkPosted =
    "UPDATE statement_lines l SET payment_id = x.payment_id "
    "FROM unnest($1::bigint[], $2::bigint[]) AS x(id, payment_id) WHERE l.id = x.id";

// A line record_payment refused waits for staff instead.
constexpr const char* kRefused = R"(
WITH line AS (
  UPDATE statement_lines SET post_as = 'none', detail = $2 WHERE id = $1
  RETURNING id, pledge_id, amount_fen)
INSERT INTO reconcile_exceptions (kind, line_id, pledge_id, actual_fen, detail)
SELECT 'payment_without_pledge', id, pledge_id, amount_fen, $2 FROM line
ON CONFLICT (line_id, kind) WHERE line_id IS NOT NULL DO UPDATE SET detail = excluded.detail)";

donations::PaymentRequest request_of(const sql::Result& r, int i) {
  donations::PaymentRequest req;
  req.provider = r.text(i, 1);
  req.provider_txn_id = r.text(i, 2);
  req.amount = donations::Money::from_fen(r.int64(i, 3));
  req.fee = donations::Money::from_fen(std::min(r.int64(i, 4), r.int64(i, 3)));
  req.paid_us = r.int64(i, 5);
  std::string source =
      "statement import " + std::string(r.text(i, 9)) + " line " + std::string(r.text(i, 10));
  if (r.text(i, 6) == "pledge") {
    req.reference = r.text(i, 7);
    req.payer_remark = r.text(i, 8);
    if (donations::char_count(req.payer_remark) > 500) {
      req.payer_remark.clear();  // kept whole on the statement line
    }
    req.raw_notice = source;
  } else {
    // Kept unmatched: the remark goes with the notice, where no reference is looked for.
    req.raw_notice = source + ": " + std::string(r.text(i, 8));
  }
  return req;
}

// record_payment's answers about the line itself (payments.hpp), not about the database.
bool refusal(const Error& e) {
  static const std::set<std::string> kCodes = {
      "txn_id_invalid",   "amount_out_of_range", "fee_invalid",  "payment_conflict",
      "pledge_not_found", "pledge_not_payable",  "text_invalid", "provider_invalid"};
  return kCodes.contains(e.code);
}

}  // namespace

std::expected<PostReport, Error> post_statement_lines(sql::Connection& conn, std::int64_t import_id,
                                                      std::int64_t limit) {
  PostReport report;
  std::int64_t after = 0;
  for (;;) {
    auto page = import_id != 0 ? conn.exec(kWaiting, params(after, import_id))
                               : conn.exec(kWaitingAnyImport, params(after));
    if (!page) {
      return std::unexpected(sql::db_failure(page.error()));
    }
    if (page->rows() == 0) {
      return report;
    }
    sql::ArrayParam lines, payments;
    for (int i = 0; i < page->rows(); ++i) {
      if (limit > 0 && report.posted + report.failed >= limit) {
        break;
      }
      after = page->int64(i, 0);
      auto paid = donations::record_payment(conn, request_of(*page, i));
      if (paid) {
        lines.add(after);
        payments.add(paid->id);
        ++report.posted;
        continue;
      }
      if (!refusal(paid.error())) {
        return std::unexpected(paid.error());
      }
      ++report.failed;
      auto why = "not recorded: " + paid.error().code + ": " + paid.error().message;
      if (auto r = conn.exec(kRefused, params(after, why)); !r) {
        return std::unexpected(sql::db_failure(r.error()));
      }
    }
    if (lines.size() > 0) {
      if (auto m = conn.exec(kMarkPosted, {lines.param(), payments.param()}); !m) {
        return std::unexpected(sql::db_failure(m.error()));
      }
    }
    if (limit > 0 && report.posted + report.failed >= limit) {
      return report;
    }
  }
}

}  // namespace boai::statements

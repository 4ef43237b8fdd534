// Statement import on a real PostgreSQL: matched lines posted once, the same file or the same
// transactions again adding nothing, every matching outcome, and a broken file leaving nothing.
#include <catch2/catch.hpp>

#include "donations/payments.hpp"
#include "tests/integration/statements_support.hpp"

using namespace boai::donations;
using namespace boai::test;
using boai::sql::params;

namespace {

std::string outcome_of(LedgerFixture& f, const std::string& txn) {
  auto r = f.conn.exec(
      "SELECT outcome || '/' || match_method FROM statement_lines "
      "WHERE txn_id = $1",
      params(txn));
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  return std::string(r->text(0, 0));
}

}  // namespace

TEST_CASE("a WeChat bill is posted once, and the same file or transactions again add nothing") {
  auto f = LedgerFixture::make("stmt-idem");
  auto a = must_pledge(f, "idem-a", 10000);
  auto b = must_pledge(f, "idem-b", 2050);
  auto bill = wechat_bill({wechat_paid("4200000001", a.reference, 10000),
                           wechat_paid("4200000002", b.reference, 2050)});
  auto first = must_import(f, "wechat", bill);
  CHECK(first.rows_read == 2);
  CHECK(first.matched == 2);
  CHECK(first.exceptions == 0);
  CHECK(first.skipped == 0);
  CHECK(first.posted == 2);
  CHECK(find_pledge(f.conn, a.reference)->status == "paid");
  CHECK(scalar(f, "SELECT fee_fen FROM payments WHERE provider_txn_id = '4200000001'") == 60);
  auto entries = f.count("ledger_entries");

  auto again = must_import(f, "wechat", bill);
  CHECK(again.rows_read == 2);
  CHECK(again.skipped == 2);
  CHECK(again.matched == 0);
  CHECK(again.posted == 0);
  CHECK(f.count("payments") == 2);
  CHECK(f.count("statement_lines") == 2);
  CHECK(f.count("ledger_entries") == entries);

  // The next day's bill repeats one transaction: only the new one goes in.
  auto c = must_pledge(f, "idem-c", 500);
  auto next = must_import(f, "wechat",
                          wechat_bill({wechat_paid("4200000002", b.reference, 2050),
                                       wechat_paid("4200000003", c.reference, 500)}));
  CHECK(next.matched == 1);
  CHECK(next.skipped == 1);
  CHECK(f.count("payments") == 3);
  require_verified(f);
}

TEST_CASE("a bill that repeats a transaction keeps its first line") {
  auto f = LedgerFixture::make("stmt-repeat");
  auto a = must_pledge(f, "repeat-a", 3000);
  auto bill = wechat_bill({wechat_paid("4200000031", a.reference, 3000),
                           wechat_paid("4200000032", "ZZZZZZZZ", 700),
                           wechat_paid("4200000031", a.reference, 3000, 1)});
  auto r = must_import(f, "wechat", bill);
  CHECK(r.rows_read == 3);
  CHECK(r.new_lines == 2);
  CHECK(r.matched == 1);
  CHECK(r.exceptions == 1);
  CHECK(r.skipped == 1);
  CHECK(r.posted == 2);
  CHECK(outcome_of(f, "4200000031") == "matched/reference");
  CHECK(scalar(f, "SELECT line_no FROM statement_lines WHERE txn_id = '4200000031'") == 2);
  CHECK(f.count("payments") == 2);
  CHECK(find_pledge(f.conn, a.reference)->paid.fen() == 3000);
  require_verified(f);
}

TEST_CASE("every matching outcome of a WeChat bill reaches the queue") {
  auto f = LedgerFixture::make("stmt-outcomes");
  auto by_txn = must_pledge(f, "out-txn", 5000);
  auto differs = must_pledge(f, "out-differs", 10000);
  auto twice = must_pledge(f, "out-twice", 3000);
  auto candidate = must_pledge(f, "out-candidate", 6600);
  auto recorded_other = must_pledge(f, "out-recorded", 4000);
  auto overdue = must_pledge(f, "out-overdue", 8800, "王五", "wangwu@example.org");
  REQUIRE(f.conn.exec("UPDATE pledges SET created_at = now() - interval '10 days' WHERE id = $1",
                      params(overdue.id)));
  // Two payments known before the bill, from a notice or the desk.
  for (auto [txn, fen, ref] : {std::tuple{"4200000011", 5000, by_txn.reference},
                               std::tuple{"4200000017", 4000, recorded_other.reference}}) {
    PaymentRequest p;
    p.provider = "wechat";
    p.provider_txn_id = txn;
    p.amount = Money::from_fen(fen);
    p.reference = ref;
    REQUIRE(record_payment(f.conn, p));
  }
  auto refund = wechat_paid("4200000011", by_txn.reference, 5000);
  refund.state = "REFUND";
  refund.refund_id = "50000000011";
  refund.refund_fen = 1000;
  refund.fee_e5 = -6000;
  auto bill = wechat_bill({wechat_paid("4200000011", by_txn.reference, 5000),
                           wechat_paid("4200000012", differs.reference, 8000),
                           wechat_paid("4200000013", twice.reference, 3000),
                           wechat_paid("4200000014", twice.reference, 3000, 1),
                           wechat_paid("4200000015", "ZZZZZZZZ", 6600), refund,
                           wechat_paid("4200000017", recorded_other.reference, 4500)});
  auto r = must_import(f, "wechat", bill);
  CHECK(r.rows_read == 7);
  CHECK(r.matched == 2);
  CHECK(r.exceptions == 5);
  CHECK(r.posted == 4);  // differs, the first of twice, the duplicate and the stranger, kept
  CHECK(r.overdue_added == 1);

  CHECK(outcome_of(f, "4200000011") == "matched/txn_id");
  CHECK(outcome_of(f, "4200000012") == "amount_differs/reference");
  CHECK(outcome_of(f, "4200000013") == "matched/reference");
  CHECK(outcome_of(f, "4200000014") == "duplicate_payment/reference");
  CHECK(outcome_of(f, "4200000015") == "payment_without_pledge/");
  CHECK(outcome_of(f, "50000000011") == "refund/original_txn");
  CHECK(outcome_of(f, "4200000017") == "amount_differs/txn_id");
  CHECK(find_pledge(f.conn, differs.reference)->status == "part_paid");
  CHECK(find_pledge(f.conn, twice.reference)->paid.fen() == 3000);  // the second is not its
  CHECK(scalar(f, "SELECT count(*) FROM payments WHERE pledge_id IS NULL") == 2);
  CHECK(f.count("payments") == 6);

  auto queue = boai::statements::list_exceptions(f.conn, "");
  REQUIRE(queue);
  CHECK(queue->size() == 6);
  auto* d = entry(*queue, "amount_differs", "4200000012");
  REQUIRE(d);
  CHECK(d->expected->fen() == 10000);
  CHECK(d->actual->fen() == 8000);
  CHECK(entry(*queue, "amount_differs", "4200000017")->expected->fen() == 4000);
  CHECK(entry(*queue, "duplicate_payment", "4200000014")->reference == twice.reference);
  auto* stranger = entry(*queue, "payment_without_pledge", "4200000015");
  REQUIRE(stranger);
  // Same amount, same day, a WeChat payer has no name: 1000 - 100 for the name.
  CHECK(stranger->candidates == candidate.reference + " 900");
  CHECK(entry(*queue, "refund", "50000000011")->actual->fen() == 1000);

  auto refunds = boai::statements::list_exceptions(f.conn, "refund");
  REQUIRE(refunds);
  CHECK(refunds->size() == 1);
  CHECK_FALSE(boai::statements::list_exceptions(f.conn, "nonsense"));

  auto late = boai::statements::list_overdue(f.conn, 7);
  REQUIRE(late);
  REQUIRE(late->size() == 1);
  CHECK(late->front().reference == overdue.reference);
  CHECK(late->front().contact == "wangwu@example.org");
  CHECK(late->front().days == 10);
  // Paid at last: it leaves the list.
  auto settle =
      must_import(f, "wechat", wechat_bill({wechat_paid("4200000018", overdue.reference, 8800)}));
  CHECK(settle.matched == 1);
  CHECK(boai::statements::list_overdue(f.conn, 7)->empty());
  require_verified(f);
}

TEST_CASE("a broken statement adds nothing, however far it got") {
  auto f = LedgerFixture::make("stmt-broken");
  auto a = must_pledge(f, "broken-a", 10000);
  auto bill = wechat_bill(
      {wechat_paid("4200000021", a.reference, 10000), wechat_paid("4200000022", "ZZZZZZZZ", 500)});
  bill.replace(bill.rfind("`105.00"), 7, "`105.01");
  auto r = import_text(f, "wechat", bill);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == "summary_mismatch");
  CHECK(f.count("statement_imports") == 0);
  CHECK(f.count("statement_lines") == 0);
  CHECK(f.count("payments") == 0);
  CHECK(f.count("reconcile_exceptions") == 0);

  boai::statements::ImportRequest req;
  req.provider = "wechat";
  boai::statements::TextSource source(bill);
  auto unconfigured = boai::statements::import_statement(f.conn, req, source);
  REQUIRE_FALSE(unconfigured);
  CHECK(unconfigured.error().code == "merchant_not_configured");
}

TEST_CASE("an Alipay bill is matched by out_trade_no and its refund waits for staff") {
  auto f = LedgerFixture::make("stmt-alipay");
  auto a = must_pledge(f, "ali-a", 10000);
  auto trade = alipay_paid("2026112822001400001", a.reference, 10000);
  auto refund = alipay_refund(trade, 10000, "R1");
  auto r = must_import(f, "alipay", gbk(alipay_bill_utf8({trade, refund})));
  CHECK(r.matched == 1);
  CHECK(r.exceptions == 1);
  CHECK(outcome_of(f, "2026112822001400001") == "matched/reference");
  // The trade is posted after matching, so the refund found its pledge by out_trade_no.
  CHECK(outcome_of(f, "2026112822001400001/R1") == "refund/reference");
  CHECK(find_pledge(f.conn, a.reference)->status == "paid");
  // Once the desk records the refund, a later import of the same refund finds it recorded.
  REQUIRE(refund_pledge(f.conn, a.reference, Money::from_fen(10000), "捐赠人要求退款"));
  REQUIRE(f.conn.exec("DELETE FROM reconcile_exceptions"));
  REQUIRE(f.conn.exec("DELETE FROM statement_lines WHERE kind = 'refund'"));
  must_import(f, "alipay", gbk(alipay_bill_utf8({trade, refund})));
  CHECK(outcome_of(f, "2026112822001400001/R1") == "matched/original_txn");
  require_verified(f);
}

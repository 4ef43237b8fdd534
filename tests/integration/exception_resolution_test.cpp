// Working the exception queue on a real PostgreSQL: each resolution is a ledger entry with who and
// why; a statement's stray payment goes to its pledge or stays a general gift; a notice's money is
// recorded only when staff say where it belongs; an overdue pledge is written off, above the
// limit only once a second member approves; a refund the provider made is recorded.
#include "donations/exception_resolution.hpp"

#include <catch2/catch.hpp>

#include "donations/approvals.hpp"
#include "donations/payments.hpp"
#include "notices/notice_store.hpp"
#include "tests/integration/statements_support.hpp"

using namespace boai::donations;
using namespace boai::test;
using boai::sql::params;

namespace {

const Money kLimit = Money::from_yuan(500);

std::vector<boai::statements::QueueEntry> open_queue(LedgerFixture& f) {
  auto queue = boai::statements::list_exceptions(f.conn, "");
  REQUIRE(queue);
  return *queue;
}

const boai::statements::QueueEntry& must_find(const std::vector<boai::statements::QueueEntry>& q,
                                              const std::string& kind, const std::string& txn) {
  const auto* e = entry(q, kind, txn);
  INFO(kind << " " << txn);
  REQUIRE(e);
  return *e;
}

Resolved must_resolve(LedgerFixture& f, std::int64_t id, const std::string& action,
                      const std::string& reason, const std::string& reference = "",
                      const std::string& by = "李会计") {
  auto done = resolve_exception(f.conn, {id, action, reason, reference, by}, kLimit);
  INFO((done ? std::string() : done.error().code + ": " + done.error().message));
  REQUIRE(done);
  return *done;
}

std::string refused(LedgerFixture& f, std::int64_t id, const std::string& action,
                    const std::string& reason, const std::string& reference = "",
                    const std::string& by = "李会计") {
  auto done = resolve_exception(f.conn, {id, action, reason, reference, by}, kLimit);
  REQUIRE_FALSE(done);
  return done.error().code;
}

std::string text_of(LedgerFixture& f, const std::string& sql, const boai::sql::Params& p) {
  auto r = f.conn.exec(sql, p);
  REQUIRE(r);
  REQUIRE(r->rows() == 1);
  return std::string(r->text(0, 0));
}

// A verified notice as the routes hand it to the store (the signature is the routes' business).
boai::notices::NoticeResult notice(LedgerFixture& f, const std::string& txn,
                                   const std::string& reference, std::int64_t fen) {
  boai::notices::VerifiedNotice n;
  n.via = "wechat";
  n.provider = "wechat";
  n.txn_id = txn;
  n.reference = reference;
  n.amount = Money::from_fen(fen);
  n.state = "SUCCESS";
  n.paid = true;
  n.raw_body = R"({"id":"test"})";
  auto kept = boai::notices::keep_and_apply(f.conn, n);
  REQUIRE(kept);
  return *kept;
}

}  // namespace

TEST_CASE(
    "a statement's stray payment is assigned to its pledge or kept, each resolution an entry") {
  auto f = LedgerFixture::make("resolve-lines");
  auto candidate = must_pledge(f, "res-candidate", 6600);
  auto differs = must_pledge(f, "res-differs", 10000);
  must_import(f, "wechat",
              wechat_bill({wechat_paid("4200000031", "ZZZZZZZZ", 6600),
                           wechat_paid("4200000032", differs.reference, 8000),
                           wechat_paid("4200000033", "ZZZZZZZZ", 1234)}));
  auto queue = open_queue(f);
  const auto& stranger = must_find(queue, "payment_without_pledge", "4200000031");
  const auto& gift = must_find(queue, "payment_without_pledge", "4200000033");
  const auto& short_paid = must_find(queue, "amount_differs", "4200000032");
  CHECK(stranger.source == "statement");
  CHECK(stranger.actions == std::vector<std::string>{"assign", "keep"});
  CHECK(short_paid.actions == std::vector<std::string>{"accept"});
  CHECK(scalar(f, "SELECT count(*) FROM payments WHERE pledge_id IS NULL") == 2);

  CHECK(refused(f, stranger.id, "dismiss", "看过了") == "action_not_allowed");
  CHECK(refused(f, stranger.id, "assign", "看过了") == "reference_required");
  CHECK(refused(f, stranger.id, "assign", "  ", candidate.reference) == "bad_request");
  CHECK(refused(f, stranger.id, "assign", "备注写错", "ZZZZZZZZ") == "pledge_not_found");
  CHECK(refused(f, 999999, "keep", "备注写错") == "exception_not_found");

  auto assigned = must_resolve(f, stranger.id, "assign", "付款备注写错了编号", candidate.reference);
  CHECK(assigned.status == "resolved");
  REQUIRE(assigned.ledger_seq);
  auto paid = find_pledge(f.conn, candidate.reference);
  REQUIRE(paid);
  CHECK(paid->status == "paid");
  CHECK(paid->paid.fen() == 6600);
  CHECK(scalar(f, "SELECT count(*) FROM receipts WHERE pledge_id = $1", params(paid->id)) == 1);
  CHECK(scalar(f, "SELECT count(*) FROM payments WHERE pledge_id IS NULL") == 1);
  // Out of the general fund, into the pledge's, then the resolution: who and why.
  CHECK(text_of(f,
                "SELECT string_agg(kind || ' ' || amount_fen, ', ' ORDER BY seq) FROM "
                "ledger_entries WHERE seq > $1 - 3",
                params(*assigned.ledger_seq)) ==
        "correction_received -6600, payment 6600, resolution 0");
  CHECK(
      text_of(f, "SELECT memo FROM ledger_entries WHERE seq = $1", params(*assigned.ledger_seq)) ==
      "对账 #" + std::to_string(stranger.id) + " assign: 付款备注写错了编号 (李会计)");
  CHECK(text_of(f,
                "SELECT status || ' ' || resolved_by || ' ' || action FROM "
                "reconcile_exceptions WHERE id = $1",
                params(stranger.id)) == "resolved 李会计 assign");
  CHECK(refused(f, stranger.id, "keep", "再来一次") == "exception_resolved");

  must_resolve(f, gift.id, "keep", "捐赠人不愿留名，作为不指定捐赠");
  must_resolve(f, short_paid.id, "accept", "捐赠人只捐 80 元");
  CHECK(find_pledge(f.conn, differs.reference)->status == "part_paid");
  CHECK(scalar(f, "SELECT count(*) FROM payments WHERE pledge_id IS NULL") == 1);
  CHECK(open_queue(f).empty());
  CHECK(scalar(f, "SELECT count(*) FROM ledger_entries WHERE kind = 'resolution'") == 3);
  require_verified(f);
}

TEST_CASE("a notice in the queue has its money recorded where staff say, or not at all") {
  auto f = LedgerFixture::make("resolve-notices");
  auto owner = must_pledge(f, "res-owner", 5000);
  auto partly = must_pledge(f, "res-partly", 10000);
  CHECK(notice(f, "4200000041", "ZZZZZZZZ", 5000).outcome == "unknown_reference");
  CHECK(notice(f, "4200000042", partly.reference, 8000).outcome == "amount_differs");
  CHECK(notice(f, "4200000043", "", 300).outcome == "unknown_reference");
  CHECK(notice(f, "4200000044", "", 700).outcome == "unknown_reference");
  // A notice delivered again joins the queue once.
  CHECK(notice(f, "4200000041", "ZZZZZZZZ", 5000).repeated);
  auto queue = open_queue(f);
  REQUIRE(queue.size() == 4);
  const auto& unknown = must_find(queue, "payment_without_pledge", "4200000041");
  const auto& differs = must_find(queue, "amount_differs", "4200000042");
  CHECK(unknown.source == "notice");
  CHECK(unknown.actual->fen() == 5000);
  CHECK(differs.expected->fen() == 10000);
  CHECK(differs.actions == std::vector<std::string>{"assign", "keep", "accept", "dismiss"});
  CHECK(f.count("payments") == 0);

  must_resolve(f, unknown.id, "assign", "编号填错，捐赠人来电确认", owner.reference);
  CHECK(find_pledge(f.conn, owner.reference)->status == "paid");
  CHECK(scalar(f, "SELECT count(*) FROM payment_notices WHERE payment_id IS NOT NULL") == 1);
  must_resolve(f, differs.id, "accept", "捐赠人分两次付");
  CHECK(find_pledge(f.conn, partly.reference)->paid.fen() == 8000);
  must_resolve(f, must_find(queue, "payment_without_pledge", "4200000043").id, "keep",
               "无备注的小额捐赠");
  CHECK(scalar(f, "SELECT count(*) FROM payments WHERE pledge_id IS NULL") == 1);
  must_resolve(f, must_find(queue, "payment_without_pledge", "4200000044").id, "dismiss",
               "测试交易，已在商户平台退回");
  CHECK(f.count("payments") == 3);
  CHECK(open_queue(f).empty());
  require_verified(f);
}

TEST_CASE("an overdue pledge is written off, above the limit only with a second member") {
  auto f = LedgerFixture::make("resolve-writeoff");
  auto small = must_pledge(f, "res-small", 10000);
  auto big = must_pledge(f, "res-big", 80000);
  REQUIRE(f.conn.exec("UPDATE pledges SET created_at = now() - interval '10 days'"));
  auto late = boai::statements::list_overdue(f.conn, 7);
  REQUIRE(late);
  REQUIRE(late->size() == 2);
  auto queue = open_queue(f);
  REQUIRE(queue.size() == 2);
  auto id_of = [&](const std::string& reference) {
    for (const auto& e : queue) {
      if (e.reference == reference) {
        CHECK(e.actions == std::vector<std::string>{"write_off"});
        CHECK(e.contact == "13800000000");
        return e.id;
      }
    }
    FAIL("no exception for " << reference);
    return std::int64_t{0};
  };

  auto at_once = must_resolve(f, id_of(small.reference), "write_off", "多次联系未果");
  CHECK(at_once.status == "resolved");
  CHECK(find_pledge(f.conn, small.reference)->status == "cancelled");
  CHECK(text_of(f, "SELECT memo FROM ledger_entries WHERE kind = 'cancel'", {}) ==
        "对账 #" + std::to_string(id_of(small.reference)) + " write_off: 多次联系未果 (李会计)");

  auto big_id = id_of(big.reference);
  auto proposed = must_resolve(f, big_id, "write_off", "捐赠人已搬走");
  CHECK(proposed.status == "proposed");
  REQUIRE(proposed.request);
  CHECK(proposed.request->kind == "write_off");
  CHECK(proposed.request->exception_id == big_id);
  CHECK(find_pledge(f.conn, big.reference)->status == "pledged");
  CHECK(refused(f, big_id, "write_off", "再提一次") == "exception_proposed");
  CHECK(open_queue(f).front().proposed_by == "李会计");

  auto self = decide_request(f.conn, proposed.request->id, true, "李会计", "");
  REQUIRE_FALSE(self);
  CHECK(self.error().code == "same_person");
  REQUIRE(decide_request(f.conn, proposed.request->id, false, "赵会计", "先再打一次电话"));
  CHECK(find_pledge(f.conn, big.reference)->status == "pledged");
  CHECK(open_queue(f).front().status == "open");

  auto again = must_resolve(f, big_id, "write_off", "电话已停机");
  REQUIRE(again.request);
  auto approved = decide_request(f.conn, again.request->id, true, "赵会计", "核对无误");
  REQUIRE(approved);
  CHECK(approved->status == "approved");
  CHECK(find_pledge(f.conn, big.reference)->status == "cancelled");
  CHECK(text_of(f,
                "SELECT status || ' ' || resolved_by || ' ' || approved_by FROM "
                "reconcile_exceptions WHERE id = $1",
                params(big_id)) == "resolved 李会计 / 赵会计 赵会计");
  CHECK(open_queue(f).empty());
  CHECK(scalar(f, "SELECT count(*) FROM ledger_entries WHERE kind = 'resolution'") == 2);
  require_verified(f);
}

TEST_CASE("a refund the provider made is recorded from the queue") {
  auto f = LedgerFixture::make("resolve-refund");
  auto a = must_pledge(f, "res-refund", 10000);
  auto trade = alipay_paid("2026112822001400091", a.reference, 10000);
  auto back = alipay_refund(trade, 4000, "R9");
  must_import(f, "alipay", gbk(alipay_bill_utf8({trade, back})));
  auto queue = open_queue(f);
  const auto& refund = must_find(queue, "refund", "2026112822001400091/R9");
  CHECK(refund.actions == std::vector<std::string>{"refund", "dismiss"});
  must_resolve(f, refund.id, "refund", "捐赠人申请部分退款，支付宝已退");
  auto p = find_pledge(f.conn, a.reference);
  CHECK(p->refunded.fen() == 4000);
  CHECK(open_queue(f).empty());
  require_verified(f);
}

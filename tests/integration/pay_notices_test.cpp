// Verified notices kept and applied on a real PostgreSQL: once however often and however
// concurrently they come, the exception queue for what does not fit its pledge, states that are
// not money, and a notice stored but not decided before a stop.
#include <catch2/catch.hpp>
#include <future>
#include <vector>

#include "donations/ledger_verify.hpp"
#include "donations/pledges.hpp"
#include "notices/notice_store.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai;
using boai::sql::params;
using boai::test::LedgerFixture;

namespace {

std::string must_pledge(LedgerFixture& f, const std::string& key, std::int64_t fen) {
  auto batch = donations::write_pledges(f.conn, {f.pledge(key, fen)}, donations::PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return batch->pledges[0]->reference;
}

notices::VerifiedNotice notice(const std::string& reference, const std::string& txn,
                               std::int64_t fen, const std::string& state = "SUCCESS") {
  notices::VerifiedNotice n;
  n.via = "wechat";
  n.provider = "wechat";
  n.txn_id = txn;
  n.reference = reference;
  n.amount = donations::Money::from_fen(fen);
  n.state = state;
  n.paid = state == "SUCCESS";
  n.paid_us = 1717207200000000;
  n.raw_body = R"({"resource":{}})";
  n.resource = R"({"transaction_id":")" + txn + "\"}";
  return n;
}

notices::NoticeResult must_apply(LedgerFixture& f, const notices::VerifiedNotice& n) {
  auto r = notices::keep_and_apply(f.conn, n);
  REQUIRE(r);
  return *r;
}

std::string status_of(LedgerFixture& f, const std::string& reference) {
  auto p = donations::find_pledge(f.conn, reference);
  REQUIRE(p);
  return p->status;
}

}  // namespace

TEST_CASE("a notice is applied once, however often it comes") {
  auto f = LedgerFixture::make("notices_once");
  auto ref = must_pledge(f, "k-notice-once-1", 10000);
  auto first = must_apply(f, notice(ref, "4200000001", 10000));
  CHECK(first.outcome == "applied");
  CHECK_FALSE(first.repeated);
  REQUIRE(first.payment_id);
  for (int i = 0; i < 3; ++i) {
    auto again = must_apply(f, notice(ref, "4200000001", 10000));
    CHECK(again.repeated);
    CHECK(again.outcome == "applied");
    CHECK(again.notice_id == first.notice_id);
    CHECK(again.payment_id == first.payment_id);
  }
  CHECK(f.count("payments") == 1);
  CHECK(f.count("receipts") == 1);
  CHECK(status_of(f, ref) == "paid");
  auto row = f.conn.exec(
      "SELECT deliveries, outcome, raw_body, resource, paid_at IS NOT NULL "
      "FROM payment_notices");
  REQUIRE(row);
  CHECK(row->int64(0, 0) == 4);
  CHECK(row->text(0, 2) == R"({"resource":{}})");
  CHECK(row->text(0, 4) == "t");
  CHECK(donations::verify_ledger(f.conn));
}

TEST_CASE("the same notice delivered eight times at once is one payment") {
  auto f = LedgerFixture::make("notices_race");
  auto ref = must_pledge(f, "k-notice-race-1", 5000);
  std::vector<std::future<std::expected<notices::NoticeResult, Error>>> deliveries;
  for (int i = 0; i < 8; ++i) {
    deliveries.push_back(std::async(std::launch::async, [&] {
      // No Catch assertion off the test's thread: a failure comes back as an error.
      auto conn = sql::Connection::open(f.url);
      if (!conn) {
        return std::expected<notices::NoticeResult, Error>(
            std::unexpect, Error{"db_unreachable", conn.error().message});
      }
      return notices::keep_and_apply(*conn, notice(ref, "4200000002", 5000));
    }));
  }
  int decided = 0;
  for (auto& d : deliveries) {
    auto r = d.get();
    REQUIRE(r);
    CHECK(r->outcome == "applied");
    decided += r->repeated ? 0 : 1;
  }
  CHECK(decided == 1);
  CHECK(f.count("payments") == 1);
  CHECK(f.count("payment_notices") == 1);
  CHECK(status_of(f, ref) == "paid");
}

TEST_CASE("notices that do not fit their pledge wait in the exception queue, not applied") {
  auto f = LedgerFixture::make("notices_queue");
  auto ref = must_pledge(f, "k-notice-queue-1", 3000);
  CHECK(must_apply(f, notice("NOSUCHREF", "T-unknown", 3000)).outcome == "unknown_reference");
  auto differs = must_apply(f, notice(ref, "T-differs", 2999));
  CHECK(differs.outcome == "amount_differs");
  CHECK(differs.detail.find("¥30.00") != std::string::npos);
  CHECK_FALSE(differs.payment_id);
  CHECK(notices::is_exception(differs.outcome));
  CHECK(must_apply(f, notice(ref, "T-differs", 2999)).repeated);
  CHECK(f.count("payments") == 0);
  CHECK(status_of(f, ref) == "pledged");
  // The right amount under another transaction is applied; a second one then owes nothing.
  CHECK(must_apply(f, notice(ref, "T-right", 3000)).outcome == "applied");
  CHECK(must_apply(f, notice(ref, "T-twice", 3000)).outcome == "amount_differs");
  CHECK(f.count("payments") == 1);
  auto cancelled_ref = must_pledge(f, "k-notice-queue-2", 1000);
  REQUIRE(donations::cancel_pledge(f.conn, cancelled_ref, "changed mind"));
  CHECK(must_apply(f, notice(cancelled_ref, "T-cancelled", 1000)).outcome == "not_payable");
  auto queue = f.conn.exec(
      "SELECT count(*) FROM payment_notices WHERE outcome IN "
      "('unknown_reference', 'amount_differs', 'not_payable', 'conflict')");
  REQUIRE(queue);
  CHECK(queue->int64(0, 0) == 4);
  auto listed = notices::notices_for_reference(f.conn, ref);
  REQUIRE(listed);
  CHECK(listed->size() == 3);
  CHECK(listed->at(0).outcome == "amount_differs");
  CHECK(listed->at(0).deliveries == 2);
}

TEST_CASE("a state that is not money is kept, and its trade's payment later applied once") {
  auto f = LedgerFixture::make("notices_states");
  auto ref = must_pledge(f, "k-notice-states-1", 8880);
  CHECK(must_apply(f, notice(ref, "T-1", 8880, "NOTPAY")).outcome == "not_paid");
  CHECK(status_of(f, ref) == "pledged");
  CHECK(must_apply(f, notice(ref, "T-1", 8880)).outcome == "applied");
  auto finished = notice(ref, "T-1", 8880, "FINISHED");
  finished.paid = true;  // like Alipay's TRADE_FINISHED after TRADE_SUCCESS
  CHECK(must_apply(f, finished).outcome == "applied");
  CHECK(f.count("payments") == 1);
  CHECK(f.count("payment_notices") == 3);
}

TEST_CASE("a notice stored but not decided before a stop is decided by its next delivery") {
  auto f = LedgerFixture::make("notices_resume");
  auto ref = must_pledge(f, "k-notice-resume-1", 2000);
  auto stored = f.conn.exec(
      "INSERT INTO payment_notices (via, provider, provider_txn_id, trade_state, paid, "
      "reference, amount_fen, raw_body) VALUES ('wechat', 'wechat', 'T-r', 'SUCCESS', true, $1, "
      "2000, '{}')",
      params(ref));
  REQUIRE(stored);
  auto r = must_apply(f, notice(ref, "T-r", 2000));
  CHECK(r.outcome == "applied");
  CHECK_FALSE(r.repeated);
  CHECK(status_of(f, ref) == "paid");
}

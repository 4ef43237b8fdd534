// Refunds that need two people, on a real PostgreSQL: up to the limit one member refunds at once;
// above it a proposal moves no money until a different member approves it, an approval refunds
// exactly once (also when two race), a rejection refunds nothing, and the database itself refuses
// a decision by the proposer.
#include "donations/approvals.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "sql/params.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai::donations;
using boai::test::LedgerFixture;

namespace {

const Money kLimit = Money::from_yuan(500);

// A pledge of ¥1,000, paid in full.
std::string paid_pledge(LedgerFixture& f, const std::string& key) {
  auto batch = write_pledges(f.conn, {f.pledge(key, 100'000)}, PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  PaymentRequest payment;
  payment.provider = "wechat";
  payment.provider_txn_id = "wx-" + key;
  payment.amount = Money::from_yuan(1000);
  payment.reference = batch->pledges[0]->reference;
  REQUIRE(record_payment(f.conn, payment));
  return payment.reference;
}

Money refunded(LedgerFixture& f, const std::string& reference) {
  auto p = find_pledge(f.conn, reference);
  REQUIRE(p);
  return p->refunded;
}

ApprovalRequest must_propose(LedgerFixture& f, const std::string& ref, std::int64_t yuan) {
  auto proposed = propose_refund(f.conn, {ref, Money::from_yuan(yuan), "捐错了", "李会计"}, kLimit);
  REQUIRE(proposed);
  REQUIRE(proposed->request);
  CHECK_FALSE(proposed->refunded);
  return *proposed->request;
}

}  // namespace

TEST_CASE("a refund up to the limit is made at once, one above it waits for a second person") {
  auto f = LedgerFixture::make("approvals");
  auto ref = paid_pledge(f, "approval-0001");
  auto small = propose_refund(f.conn, {ref, Money::from_yuan(100), "重复支付", "李会计"}, kLimit);
  REQUIRE(small);
  REQUIRE(small->refunded);
  CHECK(small->refunded->refunded == Money::from_yuan(100));

  auto request = must_propose(f, ref, 600);
  CHECK(request.status == "proposed");
  CHECK(refunded(f, ref) == Money::from_yuan(100));

  auto self = decide_request(f.conn, request.id, true, "李会计", "");
  REQUIRE_FALSE(self);
  CHECK(self.error().code == "same_person");
  CHECK(refunded(f, ref) == Money::from_yuan(100));

  auto approved = decide_request(f.conn, request.id, true, "赵会计", "核对无误");
  REQUIRE(approved);
  CHECK(approved->status == "approved");
  CHECK(approved->decided_by == "赵会计");
  CHECK(refunded(f, ref) == Money::from_yuan(700));
  auto again = decide_request(f.conn, request.id, true, "王会计", "");
  REQUIRE_FALSE(again);
  CHECK(again.error().code == "request_decided");
  CHECK(refunded(f, ref) == Money::from_yuan(700));

  auto too_much = propose_refund(f.conn, {ref, Money::from_yuan(600), "再退", "李会计"}, kLimit);
  REQUIRE_FALSE(too_much);
  CHECK(too_much.error().code == "amount_out_of_range");
  auto no_reason = propose_refund(f.conn, {ref, Money::from_yuan(600), " ", "李会计"}, kLimit);
  REQUIRE_FALSE(no_reason);
  CHECK(no_reason.error().code == "bad_request");
  auto unknown = propose_refund(f.conn, {"ZZZZZZZZ", Money::from_yuan(600), "x", "李会计"}, kLimit);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == "pledge_not_found");
}

TEST_CASE("a rejected proposal refunds nothing, and the proposer cannot decide even in SQL") {
  auto f = LedgerFixture::make("approvals-reject");
  auto ref = paid_pledge(f, "approval-0002");
  auto request = must_propose(f, ref, 800);
  auto rejected = decide_request(f.conn, request.id, false, "赵会计", "没有依据");
  REQUIRE(rejected);
  CHECK(rejected->status == "rejected");
  CHECK(rejected->note == "没有依据");
  CHECK(refunded(f, ref) == Money::from_fen(0));
  auto late = decide_request(f.conn, request.id, true, "王会计", "");
  REQUIRE_FALSE(late);
  CHECK(late.error().code == "request_decided");

  auto other = must_propose(f, ref, 900);
  auto forged = f.conn.exec(
      "UPDATE approval_requests SET status = 'approved', decided_by = proposed_by WHERE id = $1",
      boai::sql::params(other.id));
  CHECK_FALSE(forged);
  auto listed = list_requests(f.conn, "proposed");
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id == other.id);
  CHECK(decide_request(f.conn, 999999, true, "赵会计", "").error().code == "request_not_found");
}

TEST_CASE("two members approving the same request at once refund it once") {
  auto f = LedgerFixture::make("approvals-race");
  auto ref = paid_pledge(f, "approval-0003");
  auto request = must_propose(f, ref, 600);
  std::vector<std::string> outcomes(2);
  std::vector<std::thread> members;
  for (int i = 0; i < 2; ++i) {
    members.emplace_back([&, i] {
      auto conn = boai::sql::Connection::open(f.url);
      if (!conn) {  // Catch's assertions are not for other threads: the outcome says it
        outcomes[i] = "no connection";
        return;
      }
      auto decided = decide_request(*conn, request.id, true, i == 0 ? "赵会计" : "王会计", "");
      outcomes[i] = decided ? decided->status : decided.error().code;
    });
  }
  for (auto& m : members) {
    m.join();
  }
  std::sort(outcomes.begin(), outcomes.end());
  CHECK(outcomes == std::vector<std::string>{"approved", "request_decided"});
  CHECK(refunded(f, ref) == Money::from_yuan(600));
}

// The ledger against a model of it: a random mix of pledges, payments, refunds and cancels, each
// result checked against what the model says it must be, and the totals after every step.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>

#include "donations/catalog.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai::donations;
using boai::sql::params;
using boai::test::LedgerFixture;

namespace {

// What a pledge must look like after the operations so far, by the rules in payments.hpp and
// pledges.hpp.
struct ModelPledge {
  Pledge written;  // as write_pledges returned it
  std::int64_t paid = 0;
  std::int64_t refunded = 0;
  std::string status = "pledged";
  std::optional<std::string> receipt;  // its number, once paid in full

  bool payable() const { return status != "cancelled" && status != "refunded"; }
  bool full() const { return status == "paid"; }
};

struct ModelTotals {
  std::int64_t pledged = 0, cancelled = 0, received = 0, refunded = 0, count = 0;
};

class LedgerModel {
 public:
  explicit LedgerModel(LedgerFixture& f) : f_(f) {}

  void pledge(const PledgeRequest& request) {
    auto batch = write_pledges(f_.conn, {request}, PledgeLimits{});
    REQUIRE(batch);
    REQUIRE(batch->pledges[0]);
    const Pledge& p = *batch->pledges[0];
    CHECK(p.amount == request.amount);
    CHECK(p.status == "pledged");
    CHECK(p.fund == (request.fund.empty() ? "general" : request.fund));
    auto& t = totals_[p.fund];
    t.pledged += p.amount.fen();
    t.count += 1;
    ModelPledge m;
    m.written = p;
    pledges_.push_back(std::move(m));
  }

  void pay(std::size_t which, std::int64_t fen, const std::string& txn) {
    auto& m = pledges_[which];
    PaymentRequest request;
    request.provider = "wechat";
    request.provider_txn_id = txn;
    request.amount = Money::from_fen(fen);
    request.reference = m.written.reference;
    auto paid = record_payment(f_.conn, request);
    if (!m.payable()) {
      REQUIRE_FALSE(paid);
      CHECK(paid.error().code == "pledge_not_payable");
      return;
    }
    REQUIRE(paid);
    m.paid += fen;
    if (!m.full()) {
      m.status = m.paid >= m.written.amount.fen() ? "paid" : "part_paid";
    }
    totals_[m.written.fund].received += fen;
    REQUIRE(paid->pledge);
    check_pledge(*paid->pledge, m);
    if (m.full() && !m.receipt) {
      // The next number of the year, with no gap.
      REQUIRE(paid->receipt);
      CHECK(std::stoi(paid->receipt->number.substr(5)) == ++receipts_);
      m.receipt = paid->receipt->number;
    }
    check_receipt(m);
  }

  void refund(std::size_t which, std::int64_t fen) {
    auto& m = pledges_[which];
    auto refunded = refund_pledge(f_.conn, m.written.reference, Money::from_fen(fen), "测试");
    if (fen > m.paid - m.refunded) {
      REQUIRE_FALSE(refunded);
      CHECK(refunded.error().code == "amount_out_of_range");
      return;
    }
    REQUIRE(refunded);
    m.refunded += fen;
    if (m.refunded == m.paid) {
      m.status = "refunded";
    }
    totals_[m.written.fund].refunded += fen;
    check_pledge(*refunded, m);
    check_receipt(m);
  }

  void cancel(std::size_t which) {
    auto& m = pledges_[which];
    auto cancelled = cancel_pledge(f_.conn, m.written.reference);
    if (m.status != "pledged") {
      REQUIRE_FALSE(cancelled);
      CHECK(cancelled.error().code == "pledge_not_cancellable");
      return;
    }
    REQUIRE(cancelled);
    m.status = "cancelled";
    totals_[m.written.fund].cancelled += m.written.amount.fen();
    CHECK(cancelled->status == "cancelled");
  }

  // The campaign's totals, and each fund's, as the ledger keeps them.
  void check_totals() {
    ModelTotals sum;
    for (const auto& [fund, t] : totals_) {
      sum.pledged += t.pledged;
      sum.cancelled += t.cancelled;
      sum.received += t.received;
      sum.refunded += t.refunded;
      sum.count += t.count;
    }
    auto kept = campaign_totals(f_.conn, f_.campaign.id);
    REQUIRE(kept);
    CHECK(kept->pledged.fen() == sum.pledged);
    CHECK(kept->cancelled.fen() == sum.cancelled);
    CHECK(kept->received.fen() == sum.received);
    CHECK(kept->refunded.fen() == sum.refunded);
    CHECK(kept->pledge_count == sum.count);
  }

  void check_fund_totals() {
    for (const auto& [fund, t] : totals_) {
      auto r = f_.conn.exec(
          "SELECT t.pledged_fen, t.cancelled_fen, t.received_fen, t.refunded_fen, t.pledge_count "
          "FROM ledger_totals t JOIN funds f ON f.id = t.fund_id "
          "WHERE t.campaign_id = $1 AND f.slug = $2",
          params(f_.campaign.id, fund));
      REQUIRE(r);
      REQUIRE(r->rows() == 1);
      INFO("fund " << fund);
      CHECK(r->int64(0, 0) == t.pledged);
      CHECK(r->int64(0, 1) == t.cancelled);
      CHECK(r->int64(0, 2) == t.received);
      CHECK(r->int64(0, 3) == t.refunded);
      CHECK(r->int64(0, 4) == t.count);
    }
  }

  std::size_t size() const { return pledges_.size(); }
  std::int64_t refundable(std::size_t which) const {
    return pledges_[which].paid - pledges_[which].refunded;
  }

  // How many pledges reached each status: the mix must have exercised every rule.
  std::map<std::string, int> statuses() const {
    std::map<std::string, int> out;
    for (const auto& m : pledges_) {
      ++out[m.status];
    }
    return out;
  }

 private:
  static void check_pledge(const Pledge& p, const ModelPledge& m) {
    INFO("pledge " << m.written.reference);
    CHECK(p.paid.fen() == m.paid);
    CHECK(p.refunded.fen() == m.refunded);
    CHECK(p.status == m.status);
  }

  // The receipt shows what the pledge has received less what went back; a whole refund voids it.
  void check_receipt(const ModelPledge& m) {
    auto receipt = receipt_for(f_.conn, m.written.id);
    REQUIRE(receipt);
    REQUIRE(receipt->has_value() == m.receipt.has_value());
    if (!m.receipt) {
      return;
    }
    INFO("pledge " << m.written.reference << " receipt " << *m.receipt);
    CHECK((*receipt)->number == *m.receipt);
    CHECK((*receipt)->amount.fen() == m.paid - m.refunded);
    auto status = m.refunded == 0 ? "valid" : m.status == "refunded" ? "void" : "reduced";
    CHECK((*receipt)->status == status);
  }

  LedgerFixture& f_;
  std::vector<ModelPledge> pledges_;
  std::map<std::string, ModelTotals> totals_;  // by fund
  int receipts_ = 0;
};

}  // namespace

TEST_CASE("a random mix of operations: every result and the totals are what a model says") {
  auto f = LedgerFixture::make("randommix");
  LedgerModel model(f);
  std::mt19937 rng(20261128);
  for (int step = 0; step < 200; ++step) {
    INFO("step " << step);
    int op = static_cast<int>(rng() % 5);
    if (op == 0 || model.size() == 0) {
      auto r = f.pledge("mix-key-" + std::to_string(step),
                        100 + static_cast<std::int64_t>(rng() % 100000));
      if (rng() % 2) {
        r.fund = "aed";
      }
      model.pledge(r);
    } else if (op <= 2) {
      auto which = rng() % model.size();
      model.pay(which, 1 + static_cast<std::int64_t>(rng() % 50000),
                "mix-tx-" + std::to_string(step));
    } else if (op == 3) {
      // Part of it, or all that is left (voiding the receipt), or more than there is.
      auto which = rng() % model.size();
      auto part = 1 + static_cast<std::int64_t>(rng() % 3000);
      model.refund(which, rng() % 2 ? part : std::max<std::int64_t>(1, model.refundable(which)));
    } else {
      model.cancel(rng() % model.size());
    }
    model.check_totals();
  }
  model.check_fund_totals();
  auto statuses = model.statuses();
  INFO("pledges by status: pledged " << statuses["pledged"] << ", part_paid "
                                     << statuses["part_paid"] << ", paid " << statuses["paid"]
                                     << ", refunded " << statuses["refunded"] << ", cancelled "
                                     << statuses["cancelled"]);
  for (const char* status : {"pledged", "part_paid", "paid", "refunded", "cancelled"}) {
    CHECK(statuses[status] > 0);
  }
  auto verified = verify_ledger(f.conn);  // every totals row against the entries' sums
  REQUIRE(verified);
  CHECK(verified->ok());
}

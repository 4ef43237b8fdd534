// Charity sales on a real PostgreSQL: items and their checks, orders taking stock, the race for
// the last pieces, expiry giving stock back, payment without a receipt, and proceeds kept apart
// from gifts in the totals and the ledger.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "donations/catalog.hpp"
#include "donations/held_pledges.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/money.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "donations/sale_orders.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai::donations;
using boai::test::LedgerFixture;

namespace {

NewSaleItem item_of(int quantity, std::int64_t price_fen = 2500, int per_buyer = 0) {
  return NewSaleItem{"手工围巾", "志愿者织的", "李阿姨",  "",    Money::from_fen(price_fen),
                     quantity,   per_buyer,    "general", "desk"};
}

SaleItem must_add(LedgerFixture& f, const NewSaleItem& item) {
  auto added = add_sale_item(f.conn, item);
  INFO((added ? "" : added.error().code));
  REQUIRE(added);
  return *added;
}

SaleOrderRequest order_of(const std::string& key, std::int64_t item, int quantity,
                          const std::string& contact = "13800000000") {
  SaleOrderRequest r;
  r.idempotency_key = key;
  r.campaign = "firstaid";
  r.item_id = item;
  r.quantity = quantity;
  r.buyer_name = "王五";
  r.contact = contact;
  return r;
}

std::string refusal(LedgerFixture& f, const SaleOrderRequest& r) {
  auto placed = place_sale_order(f.conn, r);
  REQUIRE_FALSE(placed);
  return placed.error().error.code;
}

int available(LedgerFixture& f, std::int64_t item) {
  auto i = find_sale_item(f.conn, item);
  REQUIRE(i);
  return i->available;
}

}  // namespace

TEST_CASE("a sale item with bad fields is refused and nothing is written") {
  auto f = LedgerFixture::make("sale-items");
  struct Case {
    NewSaleItem item;
    const char* code;
  };
  std::vector<Case> cases;
  auto bad = item_of(3);
  bad.title = "  ";
  cases.push_back({bad, "bad_request"});
  bad = item_of(3);
  bad.title = std::string("围巾\xC3", 7);
  cases.push_back({bad, "text_invalid"});
  bad = item_of(3);
  bad.title = std::string(41, 'x');
  cases.push_back({bad, "too_long"});
  cases.push_back({item_of(3, 0), "amount_out_of_range"});
  cases.push_back({item_of(3, 10'000'001), "amount_out_of_range"});
  cases.push_back({item_of(0), "quantity_invalid"});
  cases.push_back({item_of(3, 100, 4), "quantity_invalid"});
  bad = item_of(3);
  bad.fund = "nosuchfund";
  cases.push_back({bad, "fund_not_found"});
  for (const auto& c : cases) {
    auto added = add_sale_item(f.conn, c.item);
    REQUIRE_FALSE(added);
    CHECK(added.error().code == c.code);
  }
  CHECK(f.count("sale_items") == 0);
  auto good = must_add(f, item_of(3));
  CHECK(good.available == 3);
  CHECK(good.title == "手工围巾");
}

TEST_CASE("orders take stock, and each kind of bad order is refused without taking any") {
  auto f = LedgerFixture::make("sale-orders");
  auto item = must_add(f, item_of(5, 2500, 2));

  auto placed = place_sale_order(f.conn, order_of("order-0001", item.id, 2));
  REQUIRE(placed);
  CHECK(placed->order.pledge.amount.fen() == 5000);
  CHECK(placed->order.stage == "awaiting_payment");
  CHECK(placed->order.pledge.target_kind == "sale");
  CHECK(placed->order.pledge.public_name == "王*");
  CHECK(placed->item.available == 3);

  // The same key again is the same order; stock is not taken twice.
  auto again = place_sale_order(f.conn, order_of("order-0001", item.id, 2));
  REQUIRE(again);
  CHECK(again->order.pledge.replayed);
  CHECK(again->order.pledge.reference == placed->order.pledge.reference);
  CHECK(available(f, item.id) == 3);
  CHECK(refusal(f, order_of("order-0001", item.id, 1)) == "idempotency_key_reused");

  // The per-buyer limit counts this buyer's orders, however the contact is spaced.
  auto over = place_sale_order(f.conn, order_of("order-0002", item.id, 1, "138 0000 0000"));
  REQUIRE_FALSE(over);
  CHECK(over.error().error.code == "over_limit");
  CHECK(over.error().allowed == 0);

  CHECK(refusal(f, order_of("order-0003", item.id, 4, "13900000000")) == "sold_out");
  CHECK(refusal(f, order_of("order-0004", item.id, 0, "13900000000")) == "quantity_invalid");
  CHECK(refusal(f, order_of("order-0005", item.id, -1, "13900000000")) == "quantity_invalid");
  CHECK(refusal(f, order_of("order-0006", 999999, 1, "13900000000")) == "item_not_found");
  CHECK(refusal(f, order_of("short", item.id, 1, "13900000000")) == "idempotency_key_invalid");
  auto nameless = order_of("order-0007", item.id, 1, "13900000000");
  nameless.buyer_name = "";
  CHECK(refusal(f, nameless) == "bad_request");
  auto nul = order_of("order-0008", item.id, 1, std::string("139\0", 4));
  CHECK(refusal(f, nul) == "text_invalid");
  auto elsewhere = order_of("order-0009", item.id, 1, "13900000000");
  elsewhere.campaign = "nosuchroom";
  CHECK(refusal(f, elsewhere) == "campaign_not_found");

  REQUIRE(withdraw_sale_item(f.conn, item.id));
  CHECK(refusal(f, order_of("order-0010", item.id, 1, "13900000000")) == "sale_closed");
  CHECK(available(f, item.id) == 3);
  CHECK(f.count("sale_orders") == 1);
  CHECK(f.count("ledger_entries") == 1);
}

TEST_CASE("a thousand buyers racing for five pieces end with five orders") {
  auto f = LedgerFixture::make("sale-race");
  auto item = must_add(f, item_of(5));
  constexpr int kBuyers = 1000;
  constexpr int kThreads = 8;
  std::atomic<int> next{0}, placed{0}, sold_out{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto conn = boai::sql::Connection::open(f.url);
      if (!conn) {
        other += kBuyers;
        return;
      }
      for (int k = next++; k < kBuyers; k = next++) {
        auto r = order_of("race-order-" + std::to_string(k), item.id, 1,
                          "1390000" + std::to_string(1000 + k));
        auto result = place_sale_order(*conn, r);
        if (result) {
          ++placed;
        } else if (result.error().error.code == "sold_out") {
          CHECK(result.error().available == 0);
          ++sold_out;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(placed == 5);
  CHECK(sold_out == kBuyers - 5);
  CHECK(other == 0);
  CHECK(available(f, item.id) == 0);
  CHECK(f.count("sale_orders") == 5);
  auto v = verify_ledger(f.conn);
  REQUIRE(v);
  CHECK(v->ok());
}

TEST_CASE("an unpaid order expires and its stock returns, and a paid one goes to fulfilment") {
  auto f = LedgerFixture::make("sale-expiry");
  auto item = must_add(f, item_of(3, 1000));
  auto unpaid = order_of("expire-01", item.id, 2);
  unpaid.hold = std::chrono::seconds(1);
  auto waiting = place_sale_order(f.conn, unpaid);
  REQUIRE(waiting);
  auto paid = order_of("expire-02", item.id, 1, "13700000000");
  paid.hold = std::chrono::seconds(1);
  auto bought = place_sale_order(f.conn, paid);
  REQUIRE(bought);
  CHECK(available(f, item.id) == 0);

  PaymentRequest payment;
  payment.provider = "wechat";
  payment.provider_txn_id = "wx-sale-1";
  payment.amount = Money::from_fen(1000);
  payment.reference = bought->order.pledge.reference;
  auto recorded = record_payment(f.conn, payment);
  REQUIRE(recorded);
  CHECK_FALSE(recorded->receipt);  // a purchase, not a gift

  // Expiry runs until the unpaid order's hold has passed: a condition, not a sleep.
  std::vector<SaleOrder> expired;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (expired.empty() && std::chrono::steady_clock::now() < deadline) {
    auto swept = expire_sale_orders(f.conn, 10);
    REQUIRE(swept);
    expired = *swept;
    if (expired.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));  // polling the clock
    }
  }
  REQUIRE(expired.size() == 1);
  CHECK(expired[0].pledge.reference == waiting->order.pledge.reference);
  CHECK(expired[0].stage == "expired");
  CHECK(expired[0].pledge.status == "expired");
  CHECK(available(f, item.id) == 2);
  auto again = expire_sale_orders(f.conn, 10);
  REQUIRE(again);
  CHECK(again->empty());  // the paid order stays, past its hold or not

  auto kept = find_sale_order(f.conn, bought->order.pledge.reference);
  REQUIRE(kept);
  CHECK(kept->stage == "to_fulfil");
  CHECK(kept->pledge.status == "paid");
  auto late = record_payment(f.conn, [&] {
    auto p = payment;
    p.provider_txn_id = "wx-sale-2";
    p.reference = waiting->order.pledge.reference;
    return p;
  }());
  REQUIRE_FALSE(late);
  CHECK(late.error().code == "pledge_not_payable");

  auto handed = hand_over_sale_order(f.conn, bought->order.pledge.reference, "picked_up");
  REQUIRE(handed);
  CHECK(handed->stage == "picked_up");
  auto not_paid = hand_over_sale_order(f.conn, waiting->order.pledge.reference, "delivered");
  REQUIRE_FALSE(not_paid);
  CHECK(not_paid.error().code == "order_not_paid");
  CHECK(f.count("receipts") == 0);
}

TEST_CASE("an order refunded before hand-over puts its pieces back, one after it does not") {
  auto f = LedgerFixture::make("sale-refund");
  auto item = must_add(f, item_of(2, 1000, 1));
  auto pay = [&](const PlacedOrder& placed, const std::string& txn) {
    PaymentRequest payment;
    payment.provider = "wechat";
    payment.provider_txn_id = txn;
    payment.amount = Money::from_fen(1000);
    payment.reference = placed.order.pledge.reference;
    REQUIRE(record_payment(f.conn, payment));
  };
  auto kept = place_sale_order(f.conn, order_of("refund-01", item.id, 1, "13600000000"));
  auto taken = place_sale_order(f.conn, order_of("refund-02", item.id, 1, "13500000000"));
  REQUIRE(kept);
  REQUIRE(taken);
  pay(*kept, "wx-refund-1");
  pay(*taken, "wx-refund-2");
  REQUIRE(hand_over_sale_order(f.conn, taken->order.pledge.reference, "picked_up"));
  CHECK(available(f, item.id) == 0);

  // Part of it back: the order still stands.
  REQUIRE(refund_pledge(f.conn, kept->order.pledge.reference, Money::from_fen(400), "少一条"));
  CHECK(available(f, item.id) == 0);
  REQUIRE(refund_pledge(f.conn, kept->order.pledge.reference, Money::from_fen(600), "不要了"));
  auto refunded = find_sale_order(f.conn, kept->order.pledge.reference);
  REQUIRE(refunded);
  CHECK(refunded->stage == "refunded");
  CHECK(refunded->pledge.status == "refunded");
  CHECK(available(f, item.id) == 1);
  // The same buyer may take one again: a refunded order is not held against the limit.
  CHECK(place_sale_order(f.conn, order_of("refund-03", item.id, 1, "13600000000")));

  REQUIRE(refund_pledge(f.conn, taken->order.pledge.reference, Money::from_fen(1000), "退货"));
  auto handed = find_sale_order(f.conn, taken->order.pledge.reference);
  REQUIRE(handed);
  CHECK(handed->stage == "picked_up");
  CHECK(available(f, item.id) == 0);
  auto v = verify_ledger(f.conn);
  REQUIRE(v);
  CHECK(v->ok());
}

TEST_CASE("sale proceeds are counted apart from gifts, in the totals and the ledger") {
  auto f = LedgerFixture::make("sale-totals");
  auto item = must_add(f, item_of(10, 3000));
  auto gift = write_pledges(f.conn, {f.pledge("gift-0001", 10000)}, PledgeLimits{});
  REQUIRE(gift);
  REQUIRE(gift->pledges[0]);
  auto order = place_sale_order(f.conn, order_of("sale-0001", item.id, 2));
  REQUIRE(order);
  PaymentRequest payment;
  payment.provider = "alipay";
  payment.provider_txn_id = "ali-sale-1";
  payment.amount = Money::from_fen(6000);
  payment.reference = order->order.pledge.reference;
  REQUIRE(record_payment(f.conn, payment));
  auto refunded = refund_pledge(f.conn, order->order.pledge.reference, Money::from_fen(3000),
                                "one scarf was damaged");
  REQUIRE(refunded);

  auto totals = campaign_totals(f.conn, f.campaign.id);
  REQUIRE(totals);
  CHECK(totals->pledged.fen() == 10000);
  CHECK(totals->pledge_count == 1);
  CHECK(totals->received.fen() == 0);
  CHECK(totals->refunded.fen() == 0);
  CHECK(totals->sold.fen() == 6000);
  CHECK(totals->sale_count == 1);
  CHECK(totals->sale_received.fen() == 6000);
  CHECK(totals->sale_refunded.fen() == 3000);
  CHECK(totals->net_sale_received().fen() == 3000);

  auto kinds = f.conn.exec("SELECT string_agg(kind, ',' ORDER BY seq) FROM ledger_entries");
  REQUIRE(kinds);
  CHECK(std::string(kinds->text(0, 0)) == "pledge,sale,sale_payment,sale_refund");
  auto v = verify_ledger(f.conn);
  REQUIRE(v);
  CHECK(v->ok());

  // Cancelling an unpaid order at the desk gives its stock back with a sale's entry.
  auto second = place_sale_order(f.conn, order_of("sale-0002", item.id, 3, "13600000000"));
  REQUIRE(second);
  CHECK(available(f, item.id) == 5);
  REQUIRE(cancel_pledge(f.conn, second->order.pledge.reference, "cancel"));
  CHECK(available(f, item.id) == 8);
  auto after = campaign_totals(f.conn, f.campaign.id);
  REQUIRE(after);
  CHECK(after->sale_cancelled.fen() == 9000);
  CHECK(after->cancelled.fen() == 0);
  auto still = verify_ledger(f.conn);
  REQUIRE(still);
  CHECK(still->ok());
}

TEST_CASE("a room holds back large unpaid gifts, not unpaid orders, until they are paid") {
  auto f = LedgerFixture::make("sale-held");
  auto above = Money::from_yuan(2000);
  auto item = must_add(f, item_of(3, 300'000));  // ¥3,000 a piece: an order above the line
  REQUIRE(place_sale_order(f.conn, order_of("held-order", item.id, 1)));
  auto gifts = write_pledges(f.conn, {f.pledge("held-big", 500'000), f.pledge("held-small", 1'000)},
                             PledgeLimits{});
  REQUIRE(gifts);
  REQUIRE(gifts->pledges[0]);

  auto shown = room_totals(f.conn, f.campaign.id, above);
  REQUIRE(shown);
  CHECK(shown->net_pledged().fen() == 501'000);
  CHECK(shown->held.fen() == 500'000);  // the gift only: the order counts in sold, not pledged
  CHECK(shown->shown_pledged().fen() == 1'000);
  CHECK(shown->shown_pledge_count() == 1);

  PaymentRequest part;
  part.provider = "wechat";
  part.provider_txn_id = "wx-held-1";
  part.amount = Money::from_fen(200'000);
  part.reference = gifts->pledges[0]->reference;
  REQUIRE(record_payment(f.conn, part));
  shown = room_totals(f.conn, f.campaign.id, above);
  REQUIRE(shown);
  CHECK(shown->held.fen() == 300'000);  // what is still owed stays out

  part.provider_txn_id = "wx-held-2";
  part.amount = Money::from_fen(300'000);
  REQUIRE(record_payment(f.conn, part));
  shown = room_totals(f.conn, f.campaign.id, above);
  REQUIRE(shown);
  CHECK(shown->held.fen() == 0);
  CHECK(shown->shown_pledged().fen() == 501'000);
  CHECK(shown->shown_pledge_count() == 2);
}

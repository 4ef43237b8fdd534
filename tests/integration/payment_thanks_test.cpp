// A payment's thanks in its room (app/payment_thanks.cpp), relayed by the outbox on a real
// PostgreSQL: one donation.paid event per payment whichever relay takes the row, with the masked
// name and no reference; nothing for old money, for money without a pledge, or for a room nobody
// opened; and a thanks that fails never holds up the relay.
#include "app/payment_thanks.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "donations/outbox_relay.hpp"
#include "donations/payments.hpp"
#include "donations/pledges.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai;
using boai::donations::OutboxRelay;
using boai::sql::params;
using boai::test::LedgerFixture;
using nlohmann::json;

namespace {

donations::Pledge must_pledge(LedgerFixture& f, const std::string& key, std::int64_t fen) {
  auto batch =
      donations::write_pledges(f.conn, {f.pledge(key, fen, "张三丰")}, donations::PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return *batch->pledges[0];
}

donations::PaymentRequest payment(const std::string& txn, std::int64_t fen,
                                  const std::string& reference) {
  donations::PaymentRequest p;
  p.provider = "wechat";
  p.provider_txn_id = txn;
  p.amount = donations::Money::from_fen(fen);
  p.reference = reference;
  return p;
}

std::vector<json> paid_events(LedgerFixture& f) {
  auto r = f.conn.exec(
      "SELECT payload FROM room_events WHERE room = 'firstaid' AND type = 'donation.paid' "
      "ORDER BY seq");
  REQUIRE(r);
  std::vector<json> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(json::parse(r->text(i, 0)));
  }
  return out;
}

void open_room(LedgerFixture& f) {
  REQUIRE(f.conn.exec("INSERT INTO rooms (slug) VALUES ('firstaid') ON CONFLICT DO NOTHING"));
}

}  // namespace

TEST_CASE("a payment is thanked once in its room, as the room shows donors") {
  auto f = LedgerFixture::make("thanks_once");
  open_room(f);
  auto p = must_pledge(f, "thanks-key-1", 5000);
  REQUIRE(donations::record_payment(f.conn, payment("tx-thanks-1", 2000, p.reference)));
  REQUIRE(OutboxRelay::relay_pending(f.conn, app::thank_payment_in_room));
  REQUIRE(donations::record_payment(f.conn, payment("tx-thanks-2", 3000, p.reference)));
  // Two relays at once, as two nodes would: each row is taken by one of them.
  auto other = sql::Connection::open(f.url);
  REQUIRE(other);
  REQUIRE(OutboxRelay::relay_pending(*other, app::thank_payment_in_room));
  REQUIRE(OutboxRelay::relay_pending(f.conn, app::thank_payment_in_room));

  auto events = paid_events(f);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["pledge"] == p.id);
  CHECK(events[0]["amount_fen"] == 2000);
  CHECK(events[0]["paid_in_full"] == false);
  CHECK(events[1]["amount_fen"] == 3000);
  CHECK(events[1]["paid_in_full"] == true);
  CHECK(events[1]["display_name"] == p.public_name);
  CHECK(events[1]["display_name"] != "张三丰");
  CHECK(events[1]["kind"] == "gift");
  CHECK(events[1]["type"] == "donation.paid");
  CHECK(events[1]["seq"].get<std::int64_t>() > events[0]["seq"].get<std::int64_t>());
  CHECK(events[1].dump().find(p.reference) == std::string::npos);  // the reference stays private
}

TEST_CASE("old money, money without a pledge and rooms never opened are not announced") {
  auto f = LedgerFixture::make("thanks_none");
  auto p = must_pledge(f, "thanks-key-2", 1000);
  REQUIRE(donations::record_payment(f.conn, payment("tx-no-room", 1000, p.reference)));
  auto relayed = OutboxRelay::relay_pending(f.conn, app::thank_payment_in_room);
  REQUIRE(relayed);
  CHECK(*relayed >= 2);
  CHECK(f.count("room_events") == 0);  // no room yet: nobody to tell, and the relay went on

  open_room(f);
  auto q = must_pledge(f, "thanks-key-3", 1000);
  auto old = payment("tx-old", 1000, q.reference);
  old.paid_us = (std::chrono::system_clock::now() - std::chrono::hours(2)).time_since_epoch() /
                std::chrono::microseconds(1);
  REQUIRE(donations::record_payment(f.conn, old));
  auto stray = payment("tx-stray", 777, "");
  stray.payer_remark = "no reference here";
  REQUIRE(donations::record_payment(f.conn, stray));
  REQUIRE(OutboxRelay::relay_pending(f.conn, app::thank_payment_in_room));
  CHECK(paid_events(f).empty());
}

TEST_CASE("a thanks that fails is rolled back alone and the relay goes on") {
  auto f = LedgerFixture::make("thanks_fails");
  open_room(f);
  auto p = must_pledge(f, "thanks-key-4", 1000);
  REQUIRE(donations::record_payment(f.conn, payment("tx-fails", 1000, p.reference)));
  int calls = 0;
  auto failing = [&calls](sql::Connection& tx, const std::string& topic,
                          const std::string& payload) -> std::expected<void, Error> {
    ++calls;
    (void)app::thank_payment_in_room(tx, topic, payload);
    (void)tx.exec("SELECT 1/0");  // leaves the transaction aborted but for the savepoint
    return std::unexpected(make_error("thanks_failed", "for the test"));
  };
  auto relayed = OutboxRelay::relay_pending(f.conn, failing);
  REQUIRE(relayed);
  CHECK(*relayed >= 2);  // the pledge's row and the payment's
  CHECK(calls == *relayed);
  CHECK(paid_events(f).empty());  // what the failed thanks wrote is gone
  auto left = f.conn.exec("SELECT count(*) FROM outbox WHERE relayed_at IS NULL");
  REQUIRE(left);
  CHECK(left->int64(0, 0) == 0);
}

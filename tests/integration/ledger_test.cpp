// The ledger on a real PostgreSQL: pledges, payments, receipts, refunds, expenditures, bad input
// that writes nothing, concurrency, totals, tampering, the public export and the outbox.
#include <catch2/catch.hpp>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "donations/catalog.hpp"
#include "donations/ledger_export.hpp"
#include "donations/ledger_verify.hpp"
#include "donations/outbox_relay.hpp"
#include "donations/payments.hpp"
#include "donations/period_dates.hpp"
#include "donations/pledge_batcher.hpp"
#include "donations/pledges.hpp"
#include "donations/reference_code.hpp"
#include "tests/support/ledger_fixture.hpp"

using namespace boai::donations;
using boai::sql::params;
using boai::test::LedgerFixture;

namespace {

Pledge must_pledge(LedgerFixture& f, const PledgeRequest& r) {
  auto batch = write_pledges(f.conn, {r}, PledgeLimits{});
  REQUIRE(batch);
  REQUIRE(batch->pledges[0]);
  return *batch->pledges[0];
}

std::string pledge_error(LedgerFixture& f, const PledgeRequest& r) {
  auto batch = write_pledges(f.conn, {r}, PledgeLimits{});
  REQUIRE(batch);
  REQUIRE_FALSE(batch->pledges[0]);
  return batch->pledges[0].error().code;
}

PaymentRequest payment(const std::string& txn, std::int64_t fen, const std::string& ref) {
  PaymentRequest p;
  p.provider = "wechat";
  p.provider_txn_id = txn;
  p.amount = Money::from_fen(fen);
  p.reference = ref;
  p.raw_notice = R"({"transaction_id":")" + txn + "\"}";
  return p;
}

void require_verified(LedgerFixture& f) {
  auto v = verify_ledger(f.conn);
  REQUIRE(v);
  INFO((v->problems.empty() ? std::string() : v->problems[0]));
  REQUIRE(v->ok());
}

// A pledge that every check lets through but PostgreSQL refuses, as a broken row would be. A
// trigger's body takes no parameters: the message is this file's constant.
constexpr const char* kBreaks = "this pledge breaks its transaction";
void refuse_pledges_saying_kbreaks(LedgerFixture& f) {
  REQUIRE(f.conn.exec_script(
      std::string("CREATE FUNCTION test_refuse_pledge() RETURNS trigger LANGUAGE plpgsql AS $$ ") +
      "BEGIN IF NEW.message = '" + kBreaks +
      "' THEN RAISE EXCEPTION 'refused by the test'; "
      "END IF; RETURN NEW; END $$; "
      "CREATE TRIGGER test_refuse_pledge BEFORE INSERT ON pledges "
      "FOR EACH ROW EXECUTE FUNCTION test_refuse_pledge();"));
}

}  // namespace

TEST_CASE("a pledge is recorded with a reference, a ledger entry and totals") {
  auto f = LedgerFixture::make("pledge");
  auto p = must_pledge(f, f.pledge("key-00000001", 10050));
  CHECK(is_reference_code(p.reference));
  CHECK(p.status == "pledged");
  CHECK(p.fund == "general");
  CHECK(p.public_name == "张*");
  CHECK(p.amount.fen() == 10050);
  CHECK_FALSE(p.replayed);

  auto totals = campaign_totals(f.conn, f.campaign.id);
  REQUIRE(totals);
  CHECK(totals->pledged.fen() == 10050);
  CHECK(totals->pledge_count == 1);
  CHECK(f.count("ledger_entries") == 1);
  CHECK(f.count("outbox") == 1);
  require_verified(f);

  auto directed = f.pledge("key-00000002", 2000, "Lily");
  directed.fund = "aed";
  auto d = must_pledge(f, directed);
  CHECK(d.fund == "aed");
  CHECK(d.public_name == "L***");
}

TEST_CASE("a retry with the same key returns the first pledge, other content is refused") {
  auto f = LedgerFixture::make("idem");
  auto first = must_pledge(f, f.pledge("retry-key-1", 5000));
  auto again = must_pledge(f, f.pledge("retry-key-1", 5000));
  CHECK(again.reference == first.reference);
  CHECK(again.replayed);
  CHECK(pledge_error(f, f.pledge("retry-key-1", 6000)) == "idempotency_key_reused");
  CHECK(f.count("pledges") == 1);
  CHECK(f.count("ledger_entries") == 1);
}

TEST_CASE("bad pledges get a stable code and write nothing") {
  auto f = LedgerFixture::make("badpledge");
  REQUIRE(add_campaign(f.conn, {"old", "旧活动", Money::from_yuan(1), "general", {}, "closed"}));
  REQUIRE(add_campaign(f.conn, {"soon", "新活动", Money::from_yuan(1), "general", {}, "draft"}));
  struct Case {
    const char* what;
    std::function<void(PledgeRequest&)> change;
    const char* code;
  };
  std::vector<Case> cases = {
      {"zero", [](auto& r) { r.amount = Money::from_fen(0); }, "amount_out_of_range"},
      {"negative", [](auto& r) { r.amount = Money::from_fen(-100); }, "amount_out_of_range"},
      {"too small", [](auto& r) { r.amount = Money::from_fen(99); }, "amount_out_of_range"},
      {"too large", [](auto& r) { r.amount = Money::from_fen(5'000'001); }, "amount_out_of_range"},
      {"unknown campaign", [](auto& r) { r.campaign = "nope"; }, "campaign_not_found"},
      {"closed campaign", [](auto& r) { r.campaign = "old"; }, "campaign_closed"},
      {"draft campaign", [](auto& r) { r.campaign = "soon"; }, "campaign_not_open"},
      {"unknown fund", [](auto& r) { r.fund = "yachts"; }, "fund_not_found"},
      {"long name", [](auto& r) { r.display_name = std::string(33, 'a'); }, "too_long"},
      {"long message", [](auto& r) { r.message = std::string(201 * 3, 'x'); }, "too_long"},
      {"bad UTF-8 name", [](auto& r) { r.display_name = "\xff\xfe"; }, "text_invalid"},
      {"bad UTF-8 message", [](auto& r) { r.message = "ok\xC0\xAF"; }, "text_invalid"},
      {"NUL in a message", [](auto& r) { r.message = std::string("bad\0byte", 8); },
       "text_invalid"},
      {"short key", [](auto& r) { r.idempotency_key = "abc"; }, "idempotency_key_invalid"},
      {"bad channel", [](auto& r) { r.channel = "telepathy"; }, "channel_invalid"},
  };
  int n = 0;
  for (const auto& c : cases) {
    INFO(c.what);
    auto r = f.pledge("bad-key-" + std::to_string(n++) + "xxxx", 1000);
    c.change(r);
    CHECK(pledge_error(f, r) == c.code);
  }
  CHECK(f.count("pledges") == 0);
  CHECK(f.count("ledger_entries") == 0);
  CHECK(f.count("outbox") == 0);
  // 200 Chinese characters are fine: the limit counts characters, not bytes.
  auto ok = f.pledge("good-key-1", 1000);
  ok.message = std::string();
  for (int i = 0; i < 200; ++i) {
    ok.message += "爱";
  }
  CHECK(must_pledge(f, ok).message.size() == 600);
}

TEST_CASE("one bad request in a batch does not sink the others") {
  auto f = LedgerFixture::make("mixedbatch");
  auto bad = f.pledge("batch-bad-1", 0);
  auto batch = write_pledges(
      f.conn, {f.pledge("batch-ok-1", 1000), bad, f.pledge("batch-ok-2", 2000)}, PledgeLimits{});
  REQUIRE(batch);
  CHECK(batch->pledges[0]);
  CHECK_FALSE(batch->pledges[1]);
  CHECK(batch->pledges[2]);
  CHECK(f.count("pledges") == 2);
  require_verified(f);
}

TEST_CASE("payments settle pledges, issue receipts, and keep the unmatched") {
  auto f = LedgerFixture::make("payments");
  auto p = must_pledge(f, f.pledge("pay-key-001", 10000));

  auto part = record_payment(f.conn, payment("tx-1", 4000, p.reference));
  REQUIRE(part);
  CHECK(part->pledge->status == "part_paid");
  CHECK_FALSE(part->receipt);

  auto rest = payment("tx-2", 7000, "");
  rest.payer_remark = "捐款 " + p.reference + " 张三";  // found in the remark
  auto full = record_payment(f.conn, rest);
  REQUIRE(full);
  CHECK(full->pledge->status == "paid");
  CHECK(full->pledge->paid.fen() == 11000);  // over-payment kept, not rounded away
  REQUIRE(full->receipt);
  CHECK(full->receipt->number.ends_with("-000001"));
  CHECK(full->receipt->amount.fen() == 11000);

  auto replay = record_payment(f.conn, rest);  // the provider sent its notice twice
  REQUIRE(replay);
  CHECK(replay->replayed);
  CHECK(replay->id == full->id);
  auto conflicting = payment("tx-2", 9999, "");
  CHECK(record_payment(f.conn, conflicting).error().code == "payment_conflict");

  auto unmatched = record_payment(f.conn, payment("tx-3", 500, ""));
  REQUIRE(unmatched);
  CHECK_FALSE(unmatched->pledge);
  CHECK(f.count("payments") == 3);
  CHECK(record_payment(f.conn, payment("tx-4", 500, "ZZZZZZZZ")).error().code ==
        "pledge_not_found");

  auto totals = campaign_totals(f.conn, f.campaign.id);
  CHECK(totals->received.fen() == 11000);
  require_verified(f);
}

TEST_CASE("bad payments get a stable code and write nothing") {
  auto f = LedgerFixture::make("badpay");
  auto p = must_pledge(f, f.pledge("badpay-key1", 1000));
  auto check = [&](PaymentRequest r, const char* code) {
    auto before = f.count("ledger_entries");
    auto out = record_payment(f.conn, r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == code);
    CHECK(f.count("ledger_entries") == before);
  };
  auto r = payment("t1", 1000, p.reference);
  r.provider = "paypal";
  check(r, "provider_invalid");
  check(payment("", 1000, p.reference), "txn_id_invalid");
  check(payment("t2", 0, p.reference), "amount_out_of_range");
  check(payment("t3", -5, p.reference), "amount_out_of_range");
  r = payment("t4", 1000, p.reference);
  r.fee = Money::from_fen(2000);
  check(r, "fee_invalid");
  r = payment("t5", 1000, p.reference);
  r.payer_remark = "\xff";
  check(r, "text_invalid");
}

TEST_CASE("refunds reduce or void the receipt, a refunded pledge takes no payment") {
  auto f = LedgerFixture::make("refunds");
  auto p = must_pledge(f, f.pledge("refund-key1", 10000));
  REQUIRE(record_payment(f.conn, payment("r-1", 10000, p.reference)));

  auto part = refund_pledge(f.conn, p.reference, Money::from_fen(3000), "部分退款");
  REQUIRE(part);
  CHECK(part->status == "paid");
  auto receipt = receipt_for(f.conn, p.id);
  CHECK((*receipt)->status == "reduced");
  CHECK((*receipt)->amount.fen() == 7000);

  CHECK(refund_pledge(f.conn, p.reference, Money::from_fen(7001), "太多").error().code ==
        "amount_out_of_range");
  auto rest = refund_pledge(f.conn, p.reference, Money::from_fen(7000), "全额退款");
  REQUIRE(rest);
  CHECK(rest->status == "refunded");
  receipt = receipt_for(f.conn, p.id);
  CHECK((*receipt)->status == "void");
  std::string number = (*receipt)->number;

  auto entries = f.count("ledger_entries");
  CHECK(record_payment(f.conn, payment("r-2", 100, p.reference)).error().code ==
        "pledge_not_payable");
  CHECK(f.count("ledger_entries") == entries);

  // The voided number is never handed out again.
  auto q = must_pledge(f, f.pledge("refund-key2", 500));
  auto paid = record_payment(f.conn, payment("r-3", 500, q.reference));
  REQUIRE(paid);
  CHECK(paid->receipt->number != number);
  auto totals = campaign_totals(f.conn, f.campaign.id);
  CHECK(totals->refunded.fen() == 10000);
  require_verified(f);
}

TEST_CASE("cancelling an unpaid pledge, a paid one cannot be cancelled") {
  auto f = LedgerFixture::make("cancel");
  auto p = must_pledge(f, f.pledge("cancel-key1", 1000));
  auto c = cancel_pledge(f.conn, p.reference);
  REQUIRE(c);
  CHECK(c->status == "cancelled");
  CHECK(cancel_pledge(f.conn, p.reference).error().code == "pledge_not_cancellable");
  CHECK(cancel_pledge(f.conn, "ZZZZZZZZ").error().code == "pledge_not_found");
  CHECK(record_payment(f.conn, payment("c-1", 1000, p.reference)).error().code ==
        "pledge_not_payable");
  require_verified(f);
}

TEST_CASE("expenditures are published beside income") {
  auto f = LedgerFixture::make("spend");
  ExpenditureRequest e{"aed",        "firstaid",       Money::from_yuan(3000),  //
                       "AED 设备",   "某医疗器械公司", "王站长",
                       "INV-2026-07"};
  auto spent = record_expenditure(f.conn, e);
  REQUIRE(spent);
  e.fund = "nope";
  CHECK(record_expenditure(f.conn, e).error().code == "fund_not_found");
  e.fund = "aed";
  e.purpose = "";
  CHECK(record_expenditure(f.conn, e).error().code == "text_invalid");
  CHECK(campaign_totals(f.conn, f.campaign.id)->spent.fen() == 300000);
  require_verified(f);
}

TEST_CASE("50 concurrent requests with one idempotency key make one pledge") {
  auto f = LedgerFixture::make("concurrent_idem");
  std::vector<std::string> references(50);
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      auto conn = boai::sql::Connection::open(f.url);
      if (!conn) {
        return;
      }
      auto batch = write_pledges(*conn, {f.pledge("same-key-for-all", 8800)}, PledgeLimits{});
      if (batch && batch->pledges[0]) {
        references[i] = batch->pledges[0]->reference;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::set<std::string> distinct(references.begin(), references.end());
  CHECK(distinct.size() == 1);
  CHECK_FALSE(distinct.begin()->empty());
  CHECK(f.count("pledges") == 1);
  CHECK(f.count("ledger_entries") == 1);
}

TEST_CASE("the batcher acknowledges after commit and makes one pledge per key") {
  auto f = LedgerFixture::make("batcher");
  std::mutex mutex;
  std::vector<DomainEvent> events;
  PledgeBatcher batcher({f.url, PledgeLimits{}, 2, 64}, [&](const std::vector<DomainEvent>& e) {
    std::lock_guard lock(mutex);
    events.insert(events.end(), e.begin(), e.end());
  });
  std::atomic<int> acknowledged_and_visible{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      auto key = "batch-key-" + std::to_string(i % 25);  // every key submitted twice
      auto r = batcher.submit_and_wait(f.pledge(key, 1000 + i % 25));
      if (!r) {
        return;
      }
      // Acknowledged means committed: another connection sees it.
      auto other = boai::sql::Connection::open(f.url);
      auto seen = other->exec("SELECT 1 FROM pledges WHERE reference = $1", params(r->reference));
      if (seen && seen->rows() == 1) {
        ++acknowledged_and_visible;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(acknowledged_and_visible == 50);
  CHECK(f.count("pledges") == 25);
  std::lock_guard lock(mutex);
  auto created = std::count_if(events.begin(), events.end(),
                               [](auto& e) { return e.topic == "pledge.created"; });
  CHECK(created == 25);
  CHECK(std::any_of(events.begin(), events.end(),
                    [](auto& e) { return e.topic == "totals.changed"; }));
  require_verified(f);
}

TEST_CASE("two writers with the same keys in opposite orders neither deadlock nor duplicate") {
  auto f = LedgerFixture::make("keyorder");
  constexpr int kRounds = 5, kKeys = 20;
  std::vector<std::vector<std::string>> refs(2, std::vector<std::string>(kRounds * kKeys));
  std::vector<int> failures(2, 0);
  auto writer = [&](int w) {
    auto conn = boai::sql::Connection::open(f.url);
    if (!conn) {
      return;
    }
    for (int round = 0; round < kRounds; ++round) {
      std::vector<PledgeRequest> batch;
      for (int k = 0; k < kKeys; ++k) {
        int key = w == 0 ? k : kKeys - 1 - k;  // the second writer goes backwards
        auto name = "order-" + std::to_string(round) + "-" + std::to_string(key);
        batch.push_back(f.pledge(name, 1000));
      }
      auto out = write_pledges(*conn, batch, PledgeLimits{});
      if (!out) {
        ++failures[w];
        continue;
      }
      for (int k = 0; k < kKeys; ++k) {
        int key = w == 0 ? k : kKeys - 1 - k;
        if (out->pledges[k]) {
          refs[w][round * kKeys + key] = out->pledges[k]->reference;
        }
      }
    }
  };
  std::thread a(writer, 0), b(writer, 1);
  a.join();
  b.join();
  CHECK(failures[0] == 0);
  CHECK(failures[1] == 0);
  CHECK(refs[0] == refs[1]);  // each key is one pledge, whoever wrote it first
  CHECK(f.count("pledges") == kRounds * kKeys);
  require_verified(f);
}

TEST_CASE("the batcher shares transactions between submitters, a bad pledge fails alone") {
  auto f = LedgerFixture::make("batchmix");
  PledgeBatcher batcher({f.url, PledgeLimits{}, 2, 64});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = batcher.submit_and_wait(f.pledge("share-key-" + std::to_string(t * 10 + i), 1000));
        if (r) {
          ++ok;
        }
      }
    });
  }
  // A request that passes the checks but breaks its transaction: the batch is written again in
  // halves, so only it fails.
  refuse_pledges_saying_kbreaks(f);
  std::vector<std::promise<bool>> done(9);
  for (int i = 0; i < 9; ++i) {
    auto r = f.pledge("apart-key-" + std::to_string(i), 1000);
    if (i == 4) {
      r.message = kBreaks;
    }
    batcher.submit(r, [&done, i](auto result) { done[i].set_value(result.has_value()); });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (int i = 0; i < 9; ++i) {
    CHECK(done[i].get_future().get() == (i != 4));
  }
  CHECK(ok == 160);
  auto stats = batcher.stats();
  CHECK(stats.pledges == 168);           // the bad one's transaction never committed
  CHECK(stats.batches < stats.pledges);  // 16 waiting submitters: batches hold several
  CHECK(f.count("pledges") == 168);
  CHECK(f.count("outbox") < 168);  // one row per batch and campaign
  require_verified(f);
}

TEST_CASE("a reference code already taken makes the batch go again with new codes, once") {
  auto f = LedgerFixture::make("refclash");
  // The first INSERT fails as a clash on the reference would, in words no code should read (a
  // server's messages may be translated); a sequence counts the attempts across rollbacks.
  REQUIRE(f.conn.exec_script(
      "CREATE SEQUENCE test_attempts; "
      "CREATE FUNCTION test_clash_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF nextval('test_attempts') = 1 THEN RAISE unique_violation USING "
      "CONSTRAINT = 'pledges_reference_key', MESSAGE = '重复键违反唯一约束'; END IF; "
      "RETURN NEW; END $$; "
      "CREATE TRIGGER test_clash_once BEFORE INSERT ON pledges "
      "FOR EACH ROW EXECUTE FUNCTION test_clash_once();"));
  auto out = write_pledges(f.conn, {f.pledge("clash-key-1", 1000), f.pledge("clash-key-2", 2000)},
                           PledgeLimits{});
  REQUIRE(out);
  CHECK(out->pledges[0]);
  CHECK(out->pledges[1]);
  CHECK(f.count("pledges") == 2);
  auto attempts = f.conn.exec("SELECT last_value FROM test_attempts");
  REQUIRE(attempts);
  CHECK(attempts->int64(0, 0) == 3);  // one refused, then one per row
  require_verified(f);
}

TEST_CASE("a batch of retries commits without touching the ledger") {
  auto f = LedgerFixture::make("allretries");
  auto first = write_pledges(f.conn, {f.pledge("again-key-1", 1000)}, PledgeLimits{});
  REQUIRE(first);
  // The head row's xmin changes with any UPDATE, even one that writes the same values.
  auto head_version = [&] {
    return std::string(f.conn.exec("SELECT xmin::text FROM ledger_head")->text(0, 0));
  };
  std::string before = head_version();
  auto again = write_pledges(f.conn, {f.pledge("again-key-1", 1000)}, PledgeLimits{});
  REQUIRE(again);
  REQUIRE(again->pledges[0]);
  CHECK(again->pledges[0]->replayed);
  CHECK(again->pledges[0]->reference == first->pledges[0]->reference);
  CHECK(again->events.empty());
  CHECK(head_version() == before);
  CHECK(f.count("ledger_entries") == 1);
  require_verified(f);
}

TEST_CASE("a writer that reuses its plans writes batch after batch and after a failed one") {
  auto f = LedgerFixture::make("plans");
  auto conn = boai::sql::Connection::open(f.url);
  REQUIRE(conn);
  conn->reuse_plans();
  auto first = write_pledges(*conn, {f.pledge("plan-key-1", 1000), f.pledge("plan-key-2", 2000)},
                             PledgeLimits{});
  REQUIRE(first);
  CHECK(first->pledges[1]);
  refuse_pledges_saying_kbreaks(f);
  auto bad = f.pledge("plan-key-3", 1000);
  bad.message = kBreaks;
  CHECK_FALSE(write_pledges(*conn, {bad}, PledgeLimits{}));
  auto again = write_pledges(*conn, {f.pledge("plan-key-1", 1000), f.pledge("plan-key-4", 500)},
                             PledgeLimits{});
  REQUIRE(again);
  REQUIRE(again->pledges[0]);
  CHECK(again->pledges[0]->replayed);
  CHECK(again->pledges[0]->reference == first->pledges[0]->reference);
  CHECK(again->pledges[1]);
  CHECK(f.count("pledges") == 3);
  require_verified(f);
}

TEST_CASE("a writer's cached campaigns are checked in the same transaction") {
  auto f = LedgerFixture::make("campaigncache");
  CampaignCache cache;
  auto write = [&](const std::string& key) {
    auto out = write_pledges(f.conn, {f.pledge(key, 1000)}, PledgeLimits{}, cache);
    REQUIRE(out);
    return out->pledges[0];
  };
  CHECK(write("cache-key-1"));
  CHECK(cache.contains("firstaid"));
  REQUIRE(f.conn.exec("UPDATE campaigns SET status = 'closed' WHERE slug = 'firstaid'"));
  auto closed = write("cache-key-2");  // the cache still says live
  REQUIRE_FALSE(closed);
  CHECK(closed.error().code == "campaign_closed");
  REQUIRE(f.conn.exec("UPDATE campaigns SET status = 'live' WHERE slug = 'firstaid'"));
  CHECK(write("cache-key-3"));  // the cache said closed: read again
  CHECK(cache.at("firstaid").status == "live");
  CHECK(write("cache-key-4"));
  CHECK(f.count("pledges") == 3);
  require_verified(f);
}

TEST_CASE("50 concurrent payments get 50 consecutive receipt numbers") {
  auto f = LedgerFixture::make("receipts");
  std::vector<Pledge> pledges;
  for (int i = 0; i < 50; ++i) {
    pledges.push_back(must_pledge(f, f.pledge("rcpt-key-" + std::to_string(i), 1000)));
  }
  std::vector<std::string> numbers(50);
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      auto conn = boai::sql::Connection::open(f.url);
      if (!conn) {
        return;
      }
      auto p = record_payment(*conn,
                              payment("rcpt-tx-" + std::to_string(i), 1000, pledges[i].reference));
      if (p && p->receipt) {
        numbers[i] = p->receipt->number;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::set<int> serials;
  for (const auto& n : numbers) {
    REQUIRE(n.size() == 11);
    serials.insert(std::stoi(n.substr(5)));
  }
  CHECK(serials.size() == 50);
  CHECK(*serials.begin() == 1);
  CHECK(*serials.rbegin() == 50);
  require_verified(f);
}

TEST_CASE("the database refuses UPDATE and DELETE on the ledger") {
  auto f = LedgerFixture::make("guard");
  must_pledge(f, f.pledge("guard-key-1", 1000));
  auto u = f.conn.exec("UPDATE ledger_entries SET amount_fen = 1");
  REQUIRE_FALSE(u);
  CHECK(u.error().message.find("append-only") != std::string::npos);
  CHECK_FALSE(f.conn.exec("DELETE FROM ledger_entries"));
  CHECK_FALSE(f.conn.exec("TRUNCATE ledger_entries"));
  CHECK(f.count("ledger_entries") == 1);
}

TEST_CASE("tampering as the database owner is caught by verify") {
  auto f = LedgerFixture::make("tamper");
  for (int i = 0; i < 5; ++i) {
    must_pledge(f, f.pledge("tamper-key-" + std::to_string(i), 1000 + i));
  }
  require_verified(f);
  // The owner can switch the guard off; verify must still notice.
  REQUIRE(f.conn.exec("SET session_replication_role = replica"));

  SECTION("a changed amount") {
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET amount_fen = 999999 WHERE seq = 3"));
    auto v = verify_ledger(f.conn);
    CHECK(v->first_bad_seq == 3);
  }
  SECTION("a deleted entry") {
    REQUIRE(f.conn.exec("DELETE FROM ledger_entries WHERE seq = 2"));
    CHECK(verify_ledger(f.conn)->first_bad_seq == 3);
  }
  SECTION("two entries swapped") {
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET seq = -1 WHERE seq = 2"));
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET seq = 2 WHERE seq = 3"));
    REQUIRE(f.conn.exec("UPDATE ledger_entries SET seq = 3 WHERE seq = -1"));
    CHECK(verify_ledger(f.conn)->first_bad_seq == 2);
  }
  SECTION("the last entry removed") {
    REQUIRE(f.conn.exec("DELETE FROM ledger_entries WHERE seq = 5"));
    CHECK_FALSE(verify_ledger(f.conn)->ok());
  }
  SECTION("the totals changed") {
    REQUIRE(f.conn.exec("UPDATE ledger_totals SET pledged_fen = pledged_fen + 1"));
    auto v = verify_ledger(f.conn);
    CHECK_FALSE(v->ok());
    CHECK(v->problems[0].find("totals") != std::string::npos);
  }
  SECTION("a month's totals changed (what the monthly disclosure shows)") {
    REQUIRE(f.conn.exec("UPDATE ledger_month_totals SET received_fen = received_fen - 1"));
    auto v = verify_ledger(f.conn);
    CHECK_FALSE(v->ok());
    CHECK(v->problems[0].find("the totals of " + month_of(now_us()).name) != std::string::npos);
  }
}

TEST_CASE("the public export masks every name and carries the chain") {
  auto f = LedgerFixture::make("export");
  auto named = f.pledge("export-key-1", 1000, "张三丰");
  named.contact = "13800138000";
  auto p1 = must_pledge(f, named);
  must_pledge(f, f.pledge("export-key-2", 2000, "Lily Chen"));
  auto anon = f.pledge("export-key-3", 3000, "王五");
  anon.anonymous = true;
  must_pledge(f, anon);
  REQUIRE(record_payment(f.conn, payment("ex-1", 1000, p1.reference)));

  auto e = export_public_ledger(f.conn);
  REQUIRE(e);
  for (const auto* text : {&e->csv, &e->json}) {
    for (const char* secret : {"张三丰", "三丰", "Lily", "Chen", "王五", "13800138000"}) {
      INFO(secret);
      CHECK(text->find(secret) == std::string::npos);
    }
    CHECK(text->find("张**") != std::string::npos);
    CHECK(text->find("L***") != std::string::npos);
    CHECK(text->find("爱心人士") != std::string::npos);
  }
  auto v = verify_ledger(f.conn);
  CHECK(e->json.find(v->head_hash) != std::string::npos);
  CHECK(e->csv.find(v->head_hash) != std::string::npos);
}

TEST_CASE("outbox events are relayed with NOTIFY after commit, ids only") {
  auto f = LedgerFixture::make("outbox");
  auto listener = boai::sql::Connection::open(f.url);
  REQUIRE(listener);
  REQUIRE(listener->exec("LISTEN boai_events"));
  auto p = must_pledge(f, f.pledge("outbox-key-1", 1000));
  CHECK(OutboxRelay::relay_pending(f.conn) == 1);
  auto n = listener->wait_notification(5000);
  REQUIRE(n);
  CHECK(n->channel == "boai_events");
  CHECK(n->payload.find("\"topic\":\"pledge.created\"") != std::string::npos);
  CHECK(n->payload.find("\"ids\":[" + std::to_string(p.id) + "]") != std::string::npos);
  CHECK(n->payload.size() < 200);
  CHECK(OutboxRelay::relay_pending(f.conn) == 0);  // relayed once only

  OutboxRelay relay(f.url);  // the background relay picks up what is written later
  must_pledge(f, f.pledge("outbox-key-2", 1000));
  relay.poke();
  CHECK(listener->wait_notification(5000));
}
